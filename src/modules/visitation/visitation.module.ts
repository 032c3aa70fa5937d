import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { OrganisationModule } from 'src/modules/organisation/organisation.module';
import 'src/modules/visitation/visitation.errors';

/**
 * Visitation (the authority, bestiller): assessments (udredning), decisions (afgørelser) with the panel's
 * review and the letter, grants (bevillinger), orders (bestillinger), self-referral admissions, work lists.
 */
@Module({
  imports: [CatalogueModule, CitizensModule, OrganisationModule],
  controllers: [],
  providers: [],
  exports: [],
})
export class VisitationModule {}
