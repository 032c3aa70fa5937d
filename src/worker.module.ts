import { Module } from '@nestjs/common';
import { CoreModule } from 'src/platform/core.module';
import { WorkerPlatformModule } from 'src/platform/worker-platform.module';
import { NotificationsWorkerModule } from 'src/modules/notifications/notifications-worker.module';

/** The worker process: outbox relay and consumers; no HTTP. */
@Module({
  imports: [CoreModule, WorkerPlatformModule, NotificationsWorkerModule],
})
export class WorkerModule {}
