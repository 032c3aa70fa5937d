import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { rowsOf } from 'src/platform/database/rows';
import { notFound } from 'src/platform/errors/domain-error';
import { NotificationView } from 'src/modules/notifications/notification.dto';

interface Row {
  id: string;
  kind: string;
  subject: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}
const toView = (r: Row): NotificationView => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  body: r.body,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

@Injectable()
export class NotificationsService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async create(recipientUserId: string, kind: string, subject: string, body: string, sourceEventId: number): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO notification (recipient_user_id, kind, subject, body, source_event_id) VALUES ($1, $2, $3, $4, $5)`,
      [recipientUserId, kind, subject, body, sourceEventId],
    );
  }

  async listFor(principal: Principal, unreadOnly: boolean): Promise<NotificationView[]> {
    const rows: Row[] = await this.txHost.tx.query(
      `SELECT id, kind, subject, body, created_at, read_at FROM notification
        WHERE recipient_user_id = $1 AND (NOT $2 OR read_at IS NULL) ORDER BY created_at DESC, id LIMIT 200`,
      [principal.id, unreadOnly],
    );
    return rows.map(toView);
  }

  async markRead(principal: Principal, id: string): Promise<NotificationView> {
    const [row] = rowsOf<Row>(await this.txHost.tx.query(
      `UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_user_id = $2
       RETURNING id, kind, subject, body, created_at, read_at`,
      [id, principal.id],
    ));
    if (!row) throw notFound('notification');
    return toView(row);
  }
}
