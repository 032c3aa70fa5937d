import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { DomainEvent, EventType } from 'src/platform/outbox/events';
import { EVENT_ROUTES, outboxJobId, QueueName } from 'src/platform/queue/queues';
import { QueueRegistry } from 'src/platform/queue/queue-registry';

interface OutboxRow {
  id: string;
  type: EventType;
  payload: DomainEvent['payload'];
  request_id: string | null;
  created_at: Date;
}

/**
 * How long the relay waits for BullMQ to accept a batch. A queue that has never reached Redis waits for it
 * instead of failing; meanwhile the batch's rows stay locked, so give up, record the attempt and retry later.
 * (If the jobs arrive after all, the retry adds them under the same jobIds, which BullMQ ignores.)
 */
const ADD_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms (Redis unreachable?)`)), ms);
  });
  promise.catch(() => undefined); // a late failure after the timeout is expected and already handled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so several workers
 * can relay side by side; a row is marked published only after BullMQ accepted its jobs. If the process
 * dies in between, the row is published again with the same jobId, which BullMQ ignores.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('outbox-relay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delay);
  }

  private async tick(): Promise<void> {
    let published = 0;
    try {
      published = await this.relayBatch(200);
      if (this.failures) this.logger.log('outbox relay recovered');
      this.failures = 0;
    } catch (err) {
      this.failures++;
      if (this.failures === 1 || this.failures % 20 === 0)
        this.logger.warn(`outbox relay failed (${this.failures}x): ${(err as Error).message}`);
    }
    const backoff = Math.min(this.config.OUTBOX_POLL_INTERVAL_MS * 2 ** Math.min(this.failures, 4), 5000);
    this.schedule(published > 0 ? 0 : this.failures ? backoff : this.config.OUTBOX_POLL_INTERVAL_MS);
  }

  /** Publishes one batch; returns how many rows it published. Throws (after recording the attempt) if BullMQ refused. */
  async relayBatch(limit: number): Promise<number> {
    let failure: unknown;
    const published = await this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, type, payload, request_id, created_at FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (!rows.length) return 0;
      const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
      for (const row of rows) {
        const event: DomainEvent = {
          eventId: Number(row.id),
          type: row.type,
          payload: row.payload,
          requestId: row.request_id,
          occurredAt: new Date(row.created_at).toISOString(),
        };
        for (const queue of EVENT_ROUTES[row.type] ?? []) {
          const list = byQueue.get(queue) ?? [];
          list.push({ name: row.type, data: event, opts: { jobId: outboxJobId(event.eventId) } });
          byQueue.set(queue, list);
        }
      }
      try {
        for (const [queue, jobs] of byQueue) await withTimeout(this.queues.get(queue).addBulk(jobs), ADD_TIMEOUT_MS, `adding jobs to ${queue}`);
      } catch (err) {
        // Recorded in this transaction, which therefore must commit: throwing here would roll the record back.
        failure = err;
        await manager.query(
          `UPDATE outbox SET publish_attempts = publish_attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
          [rows.map((r) => r.id), String((err as Error).message).slice(0, 500)],
        );
        return 0;
      }
      await manager.query(`UPDATE outbox SET published_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
    if (failure) throw failure;
    return published;
  }
}
