import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { ListNotificationsQuery, NotificationView } from 'src/modules/notifications/notification.dto';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { ROLES } from 'src/modules/organisation/organisation.constants';

/** The caller's own notifications (beskeder). */
@ApiTags('notifications')
@Controller('api/v1/me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Policy({ roles: ROLES })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListNotificationsQuery): Promise<NotificationView[]> {
    return this.notifications.listFor(principal, q.unread ?? false);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Policy({ roles: ROLES })
  markRead(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<NotificationView> {
    return this.notifications.markRead(principal, id);
  }
}
