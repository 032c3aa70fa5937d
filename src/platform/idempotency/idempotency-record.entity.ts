import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The stored outcome of a POST sent with an Idempotency-Key, replayed when the same request comes again. */
@Entity({ name: 'idempotency_record' })
export class IdempotencyRecord {
  /** The caller (user or API key) the key belongs to: keys of different callers never collide. */
  @PrimaryColumn({ type: 'text' })
  principal: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  route: string;

  @Column({ type: 'text' })
  requestHash: string;

  @Column({ type: 'integer' })
  responseStatus: number;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: unknown;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  responseHeaders: Record<string, string>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
