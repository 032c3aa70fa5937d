import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CaseService } from 'src/modules/citizens/case.service';
import { CasesController } from 'src/modules/citizens/cases.controller';
import { CaseworkerCheck } from 'src/modules/citizens/caseworker-check';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { CitizensController } from 'src/modules/citizens/citizens.controller';
import { CprCipher } from 'src/modules/citizens/cpr-cipher';
import { VisitService } from 'src/modules/citizens/visit.service';
import { VisitsController } from 'src/modules/citizens/visits.controller';

/** Citizens (borgere, with encrypted CPR), cases and inquiries, journal notes, visits. */
@Module({
  imports: [CatalogueModule],
  controllers: [CitizensController, CasesController, VisitsController],
  providers: [CprCipher, CitizenService, CaseService, VisitService, CaseworkerCheck],
  exports: [CitizenService, CaseService, VisitService, CaseworkerCheck],
})
export class CitizensModule {}
