import { Module } from '@nestjs/common';
import { ApiPlatformModule } from 'src/platform/api-platform.module';
import { CoreModule } from 'src/platform/core.module';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { OrganisationModule } from 'src/modules/organisation/organisation.module';
import { VisitationModule } from 'src/modules/visitation/visitation.module';
import { DeliveryModule } from 'src/modules/delivery/delivery.module';
import { LedgerModule } from 'src/modules/ledger/ledger.module';

/** The HTTP API process. */
@Module({
  imports: [CoreModule, ApiPlatformModule, OrganisationModule, NotificationsModule, CatalogueModule, CitizensModule, VisitationModule, DeliveryModule, LedgerModule],
})
export class AppModule {}
