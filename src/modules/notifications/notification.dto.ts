import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class NotificationView {
  id: string;
  /** e.g. accountCreated */
  kind: string;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export class ListNotificationsQuery {
  /** Only unread notifications. */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}
