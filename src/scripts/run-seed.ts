import { NestFactory } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { DemoSeed } from 'src/modules/organisation/demo-seed';
import { SeedModule } from 'src/modules/organisation/seed.module';

/** Seeds the demo data in a short-lived application context; true when it seeded. */
export async function runDemoSeed(): Promise<boolean> {
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    return await app.get(ClsService).run(() => app.get(DemoSeed).run());
  } finally {
    await app.close();
  }
}
