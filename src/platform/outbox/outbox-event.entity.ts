import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Generated } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';

/** An event written in the business transaction that caused it; the worker's relay publishes it to BullMQ. */
@Entity({ name: 'outbox' })
@Index('ix_outbox_unpublished', ['id'], { where: 'published_at IS NULL' })
export class OutboxEvent {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  @Generated('increment')
  id: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  publishAttempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}
