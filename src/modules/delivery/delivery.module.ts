import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { OrganisationModule } from 'src/modules/organisation/organisation.module';
import { VisitationModule } from 'src/modules/visitation/visitation.module';
import { InboxController } from 'src/modules/delivery/inbox.controller';
import { InboxService } from 'src/modules/delivery/inbox.service';
import { OccupancyService } from 'src/modules/delivery/occupancy.service';
import { StayService } from 'src/modules/delivery/stay.service';
import { StaysController } from 'src/modules/delivery/stays.controller';
import { WaitingListService } from 'src/modules/delivery/waiting-list.service';
import { DeliverySecurityController } from 'src/modules/delivery/delivery-security.controller';
import { DeliverySecurityService } from 'src/modules/delivery/delivery-security.service';
import { RegistrationService } from 'src/modules/delivery/registration.service';
import { RegistrationsController } from 'src/modules/delivery/registrations.controller';
import { DocumentationController } from 'src/modules/delivery/documentation.controller';
import { NoteService } from 'src/modules/delivery/note.service';
import { OrderAccess } from 'src/modules/delivery/order-access';
import { ProviderReportService } from 'src/modules/delivery/provider-report.service';
import { ReportsController } from 'src/modules/delivery/reports.controller';
import { SubGoalService } from 'src/modules/delivery/sub-goal.service';
import { UseOfForceService } from 'src/modules/delivery/use-of-force.service';
import 'src/modules/delivery/delivery.errors';

/**
 * Delivery (the institutions, udfører): the order inbox with capacity and waiting lists, stays and
 * self-referral admissions, registrations, documentation, sub-goals and progress, provider reports,
 * use-of-force reports, delivery security and occupancy.
 */
@Module({
  imports: [CatalogueModule, CitizensModule, OrganisationModule, VisitationModule],
  controllers: [InboxController, StaysController, RegistrationsController, DeliverySecurityController, DocumentationController, ReportsController],
  providers: [
    InboxService,
    WaitingListService,
    StayService,
    OccupancyService,
    RegistrationService,
    DeliverySecurityService,
    OrderAccess,
    NoteService,
    SubGoalService,
    ProviderReportService,
    UseOfForceService,
  ],
  exports: [RegistrationService, DeliverySecurityService],
})
export class DeliveryModule {}
