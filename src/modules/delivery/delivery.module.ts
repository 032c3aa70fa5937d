import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { VisitationModule } from 'src/modules/visitation/visitation.module';
import { InboxController } from 'src/modules/delivery/inbox.controller';
import { InboxService } from 'src/modules/delivery/inbox.service';
import { OccupancyService } from 'src/modules/delivery/occupancy.service';
import { StayService } from 'src/modules/delivery/stay.service';
import { StaysController } from 'src/modules/delivery/stays.controller';
import { WaitingListService } from 'src/modules/delivery/waiting-list.service';
import 'src/modules/delivery/delivery.errors';

/**
 * Delivery (the institutions, udfører): the order inbox with capacity and waiting lists, stays and
 * self-referral admissions, registrations, documentation, sub-goals and progress, provider reports,
 * use-of-force reports, delivery security and occupancy.
 */
@Module({
  imports: [CatalogueModule, CitizensModule, VisitationModule],
  controllers: [InboxController, StaysController],
  providers: [InboxService, WaitingListService, StayService, OccupancyService],
  exports: [],
})
export class DeliveryModule {}
