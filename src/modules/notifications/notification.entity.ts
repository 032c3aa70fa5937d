import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';

/** A message to a user in the system (e.g. "your account was created"), produced by event consumers. */
@Entity({ name: 'notification' })
@Index('ix_notification_recipient', ['recipientUserId', 'createdAt'])
@Index('uq_notification_source', ['sourceEventId', 'recipientUserId', 'kind'], { unique: true })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  recipientUserId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  sourceEventId: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
