import { Module } from '@nestjs/common';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { AccountService } from 'src/modules/ledger/account.service';
import { InstitutionCreatedConsumer, MunicipalityCreatedConsumer } from 'src/modules/ledger/standard-accounts.consumer';

/**
 * The ledger in the worker: standard accounts for new institutions and municipalities. The worker has no
 * organisation module (its controllers and identity store are the API's), so the read service is provided here.
 */
@Module({
  providers: [OrgUnitService, AccountService, InstitutionCreatedConsumer, MunicipalityCreatedConsumer],
})
export class LedgerWorkerModule {}
