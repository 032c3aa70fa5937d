import type { DefaultJobOptions } from 'bullmq';
import type { EventType } from 'src/platform/outbox/events';

interface QueueDefinition {
  /** Default options for every job of the queue; all fields spelled out so nothing is left to chance. */
  jobOptions: Required<Pick<DefaultJobOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'>>;
  /** How many jobs one worker process runs at once. */
  concurrency: number;
}

/** Every queue the system has. A queue without complete options does not compile. */
export const QUEUES = {
  /** Domain events for consumers that notify people. */
  notifications: {
    jobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
      // Completed jobs are kept a week so that a republished outbox row finds its jobId and is not run twice.
      removeOnComplete: { age: 7 * 24 * 3600, count: 100000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
    concurrency: 10,
  },
  /** Scheduled housekeeping: access-log retention, follow-ups falling due, and later settlement runs and deadlines. */
  maintenance: {
    jobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 30 * 24 * 3600, count: 1000 },
      removeOnFail: { age: 90 * 24 * 3600 },
    },
    concurrency: 1,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;

/** Which queues receive each event type (fan-out). Every event type must be routed: the map is exhaustive. */
export const EVENT_ROUTES: { [T in EventType]: readonly QueueName[] } = {
  UserCreated: ['notifications'],
  // The ledger makes the standard accounts of a new institution or municipality (serially: one at a time).
  InstitutionCreated: ['maintenance'],
  MunicipalityCreated: ['maintenance'],
  // The delivery context (the institutions' side) subscribes to these when it is built.
  OrderSent: [],
  OrderChanged: [],
  OrderAccepted: [],
  OrderRejected: [],
  OrderActionPlanOffered: [],
  AdmissionConfirmed: [],
  FollowUpDue: ['notifications'],
  OrderEnded: [],
  OrderWaitListed: [],
  WaitingListPlaceOffered: [],
  SelfReferralAdmitted: [],
  // The provider report's follow-up task is already on the caseworker's list: nothing more to do yet.
  ProviderReportSubmitted: [],
  // Reviewed from the acting municipality's pending list; another municipality would be told by an integration.
  UseOfForceReported: [],
};

/** Job ids BullMQ accepts (no ':' and not only digits): one per outbox row. */
export const outboxJobId = (eventId: number) => `outbox-${eventId}`;
