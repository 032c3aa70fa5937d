import { NestFactory } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { CatalogueSeed } from 'src/modules/catalogue/catalogue-seed';
import { DemoSeed } from 'src/modules/organisation/demo-seed';
import { AccountService } from 'src/modules/ledger/account.service';
import { VisitationDemoSeed } from 'src/modules/visitation/visitation-demo-seed';
import { SeedModule } from 'src/scripts/seed.module';

/** Seeds the demo organisation, the catalogue, its chart of accounts, then demo cases (each only if empty); true when anything was seeded. */
export async function runDemoSeed(): Promise<boolean> {
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    return await app.get(ClsService).run(async () => {
      const organisation = await app.get(DemoSeed).run();
      const catalogue = await app.get(CatalogueSeed).run();
      // The chart of accounts of the demo organisation (the worker would make it from the outbox events too).
      const accounts = await app.get(AccountService).ensureStandardAccounts();
      const cases = await app.get(VisitationDemoSeed).run();
      return organisation || catalogue || cases || accounts.created > 0;
    });
  } finally {
    await app.close();
  }
}
