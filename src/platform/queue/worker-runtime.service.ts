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

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs a BullMQ worker per queue that has consumers or jobs. Events are handled at least once by BullMQ and
 * exactly once in effect: the consumer's (consumer, event id) row and its effect commit together.
 */
@Injectable()
export class WorkerRuntime {
  private readonly logger = new Logger('worker');
  private readonly workers: Worker[] = [];
  private stopping = false;
  /** Jobs whose handler is running in this process. */
  private inFlight = 0;

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
    // Not awaited: BullMQ waits for Redis before it sends anything, and a worker that starts while Redis is
    // down must still relay, beat and come up; the schedules are registered as soon as Redis answers.
    void this.scheduleJobs();
    this.logger.log(`worker started: queues ${[...names].join(', ')}`);
  }

  /** Registers the repeatable jobs (idempotent: fixed ids), retrying until Redis accepts them or we stop. */
  private async scheduleJobs(): Promise<void> {
    const pending = this.registry.jobs.filter((j) => j.schedule);
    for (let attempt = 1; pending.length && !this.stopping; attempt++) {
      for (const job of [...pending]) {
        try {
          await this.queues
            .get(job.queue)
            .upsertJobScheduler(job.jobName, { pattern: job.schedule, tz: 'Europe/Copenhagen' }, { name: job.jobName });
          pending.splice(pending.indexOf(job), 1);
        } catch (err) {
          if (attempt === 1 || attempt % 20 === 0) this.logger.warn(`could not schedule ${job.jobName} yet: ${(err as Error).message}`);
        }
      }
      if (pending.length && !this.stopping) await delay(2000);
    }
  }

  /**
   * Stops taking jobs and lets running ones finish within the timeout. Returns true when jobs had to be
   * abandoned (BullMQ retries them once their lock expires; their transactions die with the process).
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    const workers = this.workers.splice(0);
    const closing = Promise.all(workers.map((w) => w.close()));
    closing.catch((err: Error) => this.logger.warn(`closing the workers failed: ${err.message}`));
    const deadline = Date.now() + timeoutMs;
    const closed = await Promise.race([closing.then(() => true), this.idle(deadline).then(() => false)]);
    if (closed) return false;
    if (this.inFlight > 0) {
      // BullMQ cannot be forced once close() has begun (close(true) returns the same pending promise), so
      // stop waiting instead: the process exits, the locks expire and another worker retries the jobs.
      this.logger.warn(`${this.inFlight} job(s) did not finish in time; abandoning them (another worker will retry them)`);
      return true;
    }
    // Our jobs are done, but closing may still wait on Redis: while it is unreachable ioredis holds QUIT
    // until it reconnects, which may be never. Give it a moment, then cut the connections.
    const closedSoon = await Promise.race([closing.then(() => true), delay(1000).then(() => false)]);
    if (!closedSoon) {
      // BullMQ's disconnect() may itself wait for a connection that never comes: cut, but do not wait long.
      // Whatever is left goes when the process exits.
      this.logger.warn('Redis did not answer while closing the workers; disconnecting');
      await Promise.race([Promise.allSettled(workers.map((w) => w.disconnect())), delay(500)]);
    }
    return false;
  }

  /** Resolves when no job of ours is running, or at the deadline. */
  private async idle(deadline: number): Promise<void> {
    while (this.inFlight > 0 && Date.now() < deadline) await delay(Math.min(50, Math.max(1, deadline - Date.now())));
  }

  private async process(queue: QueueName, job: Job): Promise<unknown> {
    this.inFlight++;
    try {
      return await this.handle(queue, job);
    } finally {
      this.inFlight--;
    }
  }

  private async handle(queue: QueueName, job: Job): Promise<unknown> {
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
