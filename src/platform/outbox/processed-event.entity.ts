import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';

/** Consumer-side de-duplication: a consumer records each event it handled in the effect's transaction. */
@Entity({ name: 'processed_event' })
export class ProcessedEvent {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  eventId: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
