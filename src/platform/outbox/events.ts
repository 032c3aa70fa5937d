import type { Role } from 'src/platform/auth/principal';

/**
 * The catalogue of domain events that cross context boundaries, with their payloads. Contexts publish them
 * through the outbox and react to them in consumers; this is the contract between them.
 */
export interface EventPayloads {
  /** A user account was created by an administrator (or the seed). */
  UserCreated: { userId: string; username: string; role: Role; orgUnitId: string; createdBy: string | null };
}

export type EventType = keyof EventPayloads;

export interface DomainEvent<T extends EventType = EventType> {
  eventId: number;
  type: T;
  payload: EventPayloads[T];
  requestId: string | null;
  occurredAt: string;
}
