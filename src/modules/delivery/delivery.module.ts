import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { VisitationModule } from 'src/modules/visitation/visitation.module';
import 'src/modules/delivery/delivery.errors';

/**
 * Delivery (the institutions, udfører): the order inbox with capacity and waiting lists, stays and
 * self-referral admissions, registrations, documentation, sub-goals and progress, provider reports,
 * use-of-force reports, delivery security and occupancy.
 */
@Module({
  imports: [CatalogueModule, CitizensModule, VisitationModule],
  controllers: [],
  providers: [],
  exports: [],
})
export class DeliveryModule {}
