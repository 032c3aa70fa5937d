import { Module } from '@nestjs/common';
import { FollowUpDueConsumer } from 'src/modules/notifications/follow-up-due.consumer';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { UserCreatedConsumer } from 'src/modules/notifications/user-created.consumer';

/** In-app notifications: the worker side (event consumers). */
@Module({
  providers: [NotificationsService, UserCreatedConsumer, FollowUpDueConsumer],
})
export class NotificationsWorkerModule {}
