import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DomainEvent, EventType } from 'src/platform/outbox/events';
import { QueueName } from 'src/platform/queue/queues';

/** Reacts to one event type. Runs inside a transaction together with the de-duplication record. */
export interface EventConsumer<T extends EventType = EventType> {
  /** Stable name: (consumer, event id) is recorded once; renaming it would replay events. */
  readonly consumer: string;
  readonly queue: QueueName;
  readonly eventType: T;
  handle(event: DomainEvent<T>): Promise<void>;
}

/** A scheduled or directly queued job that is not an event (e.g. the nightly access-log purge). */
export interface JobHandler {
  readonly queue: QueueName;
  readonly jobName: string;
  /** Cron pattern (Europe/Copenhagen) for a repeatable job, registered with upsertJobScheduler. */
  readonly schedule?: string;
  handle(job: Job): Promise<unknown>;
}

/** Where contexts register what the worker runs. */
@Injectable()
export class ConsumerRegistry {
  readonly consumers: EventConsumer[] = [];
  readonly jobs: JobHandler[] = [];

  addConsumer<T extends EventType>(consumer: EventConsumer<T>): void {
    this.consumers.push(consumer as unknown as EventConsumer);
  }

  addJob(handler: JobHandler): void {
    this.jobs.push(handler);
  }
}
