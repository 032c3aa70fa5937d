import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvent } from 'src/platform/outbox/events';
import { ConsumerRegistry, EventConsumer } from 'src/platform/queue/consumers';
import { NotificationsService } from 'src/modules/notifications/notifications.service';

/** 2027-05-03 → 3.5.2027, as Danes write dates. */
const danish = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}.${m}.${y}`;
};

/**
 * On FollowUpDue: tell the responsible caseworker. The text names the service and the date only — no CPR and no
 * name (a notification is read outside the case, e.g. on a shared screen); the link leads to the follow-up.
 * Grants without a case have no caseworker: they are on everyone's follow-up list (`caseworker=all`) instead.
 */
@Injectable()
export class FollowUpDueConsumer implements EventConsumer<'FollowUpDue'>, OnModuleInit {
  readonly consumer = 'notifications.follow-up-due';
  readonly queue = 'notifications' as const;
  readonly eventType = 'FollowUpDue' as const;

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.registry.addConsumer(this);
  }

  async handle(event: DomainEvent<'FollowUpDue'>): Promise<void> {
    const { caseworkerId, standardCode, dueOn, followUpId } = event.payload;
    if (!caseworkerId) return;
    await this.notifications.create(
      caseworkerId,
      'followUpDue',
      `Opfølgning forfalden: ${standardCode}`,
      `Opfølgningen på en bevilling af ${standardCode} skulle holdes senest ${danish(dueOn)}. Se opfølgning ${followUpId} på din opfølgningsliste.`,
      event.eventId,
    );
  }
}
