import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from 'src/platform/config/app-config';
import { DomainEvent } from 'src/platform/outbox/events';
import { ConsumerRegistry } from 'src/platform/queue/consumers';
import { QueueRegistry } from 'src/platform/queue/queue-registry';
import { QUEUES, QueueName } from 'src/platform/queue/queues';
import { bullConnectionOptions } from 'src/platform/queue/redis';

/**
 * Runs a BullMQ worker per queue that has consumers or jobs. Events are handled at least once by BullMQ and
 * exactly once in effect: the consumer's (consumer, event id) row and its effect commit together.
 */
@Injectable()
export class WorkerRuntime {
  private readonly logger = new Logger('worker');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly queues: QueueRegistry,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly config: AppConfig,
  ) {}

  async start(): Promise<void> {
    const names = new Set<QueueName>([
      ...this.registry.consumers.map((c) => c.queue),
      ...this.registry.jobs.map((j) => j.queue),
    ]);
    for (const name of names) {
      const worker = new Worker(name, (job) => this.process(name, job), {
        connection: bullConnectionOptions(this.config),
        prefix: this.config.REDIS_PREFIX,
        concurrency: Math.min(QUEUES[name].concurrency, this.config.WORKER_CONCURRENCY),
        lockDuration: this.config.WORKER_LOCK_DURATION_MS,
        stalledInterval: Math.max(1000, Math.floor(this.config.WORKER_LOCK_DURATION_MS / 2)),
        maxStalledCount: 5,
        autorun: true,
      });
      worker.on('failed', (job, err) => this.logger.warn(`job ${job?.id} (${job?.name}) on ${name} failed: ${err.message}`));
      worker.on('error', (err) => this.logger.warn(`worker ${name}: ${err.message}`));
      this.workers.push(worker);
    }
    for (const job of this.registry.jobs.filter((j) => j.schedule)) {
      await this.queues
        .get(job.queue)
        .upsertJobScheduler(job.jobName, { pattern: job.schedule, tz: 'Europe/Copenhagen' }, { name: job.jobName })
        .catch((err: Error) => this.logger.warn(`could not schedule ${job.jobName}: ${err.message}`));
    }
    this.logger.log(`worker started: queues ${[...names].join(', ')}`);
  }

  /** Stops taking jobs, lets running ones finish within the timeout, then closes forcibly. */
  async stop(timeoutMs: number): Promise<void> {
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
    ]);
    if (timedOut) {
      this.logger.warn('jobs did not finish in time; closing workers forcibly (they will be retried)');
      await Promise.allSettled(this.workers.map((w) => w.close(true)));
    }
    this.workers.length = 0;
  }

  private async process(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.registry.jobs.find((j) => j.queue === queue && j.jobName === job.name);
    if (handler) return this.cls.run(() => handler.handle(job));
    const event = job.data as DomainEvent;
    const consumers = this.registry.consumers.filter((c) => c.queue === queue && c.eventType === job.name);
    if (!consumers.length) throw new UnrecoverableError(`no consumer for ${job.name} on ${queue}`);
    for (const consumer of consumers) {
      await this.cls.run(async () => {
        this.cls.set('requestId', event.requestId);
        await this.txHost.withTransaction(async () => {
          const claimed: unknown[] = await this.txHost.tx.query(
            `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
            [consumer.consumer, event.eventId],
          );
          if (!claimed.length) return;
          await consumer.handle(event);
        });
      });
    }
    return undefined;
  }
}
