import { Module } from '@nestjs/common';
import { AuthModule } from 'src/platform/auth/auth.module';
import { CoreModule } from 'src/platform/core.module';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { DemoSeed } from 'src/modules/organisation/demo-seed';
import { OrganisationModule } from 'src/modules/organisation/organisation.module';
import { VisitationModule } from 'src/modules/visitation/visitation.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { LedgerModule } from 'src/modules/ledger/ledger.module';

/** A context for seeding without HTTP: `npm run seed`, `npm start` and the tests. */
@Module({
  imports: [CoreModule, AuthModule, OrganisationModule, CatalogueModule, CitizensModule, VisitationModule, LedgerModule],
  providers: [DemoSeed],
})
export class SeedModule {}
