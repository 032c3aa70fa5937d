import { Module } from '@nestjs/common';
import { CoreModule } from 'src/platform/core.module';
import { WorkerPlatformModule } from 'src/platform/worker-platform.module';
import { NotificationsWorkerModule } from 'src/modules/notifications/notifications-worker.module';
import { VisitationWorkerModule } from 'src/modules/visitation/visitation-worker.module';
import { LedgerWorkerModule } from 'src/modules/ledger/ledger-worker.module';

/** The worker process: outbox relay, consumers and scheduled jobs; no HTTP. */
@Module({
  imports: [CoreModule, WorkerPlatformModule, NotificationsWorkerModule, VisitationWorkerModule, LedgerWorkerModule],
})
export class WorkerModule {}
