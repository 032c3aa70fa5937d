import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DomainEvent } from 'src/platform/outbox/events';
import { ConsumerRegistry, EventConsumer } from 'src/platform/queue/consumers';
import { NotificationsService } from 'src/modules/notifications/notifications.service';

const ROLE_NAMES: Record<string, string> = {
  caseworker: 'sagsbehandler',
  panelMember: 'medlem af visitationsudvalget',
  providerStaff: 'medarbejder i tilbud',
  institutionManager: 'tilbudsleder',
  finance: 'økonomimedarbejder',
  admin: 'administrator',
  auditor: 'revisor / databeskyttelsesrådgiver',
};

/** On UserCreated: welcome the new user, and tell the unit's managers that they have a new colleague. */
@Injectable()
export class UserCreatedConsumer implements EventConsumer<'UserCreated'>, OnModuleInit {
  readonly consumer = 'notifications.user-created';
  readonly queue = 'notifications' as const;
  readonly eventType = 'UserCreated' as const;

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly notifications: NotificationsService,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  onModuleInit(): void {
    this.registry.addConsumer(this);
  }

  async handle(event: DomainEvent<'UserCreated'>): Promise<void> {
    const { userId, username, role, orgUnitId } = event.payload;
    const roleName = ROLE_NAMES[role] ?? role;
    await this.notifications.create(
      userId,
      'accountCreated',
      'Din bruger er oprettet',
      `Velkommen. Din bruger ${username} er oprettet med rollen ${roleName}.`,
      event.eventId,
    );
    const managers: { id: string }[] = await this.txHost.tx.query(
      `SELECT id FROM app_user WHERE org_unit_id = $1 AND role = 'institutionManager' AND active AND id <> $2`,
      [orgUnitId, userId],
    );
    for (const manager of managers)
      await this.notifications.create(manager.id, 'colleagueAdded', 'Ny medarbejder', `${username} er oprettet som ${roleName} i dit tilbud.`, event.eventId);
  }
}
