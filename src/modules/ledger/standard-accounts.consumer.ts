import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvent } from 'src/platform/outbox/events';
import { ConsumerRegistry, EventConsumer } from 'src/platform/queue/consumers';
import { AccountService } from 'src/modules/ledger/account.service';

/**
 * A new institution or municipality gets its standard accounts. The run is idempotent and set-based (it makes
 * whatever is missing, for every owner), so a replayed event or two events at once do no harm.
 */
@Injectable()
export class InstitutionCreatedConsumer implements EventConsumer<'InstitutionCreated'>, OnModuleInit {
  readonly consumer = 'ledger.standard-accounts.institution';
  readonly queue = 'maintenance' as const;
  readonly eventType = 'InstitutionCreated' as const;

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly accounts: AccountService,
  ) {}

  onModuleInit(): void {
    this.registry.addConsumer(this);
  }

  async handle(_event: DomainEvent<'InstitutionCreated'>): Promise<void> {
    await this.accounts.ensureStandardAccounts();
  }
}

@Injectable()
export class MunicipalityCreatedConsumer implements EventConsumer<'MunicipalityCreated'>, OnModuleInit {
  readonly consumer = 'ledger.standard-accounts.municipality';
  readonly queue = 'maintenance' as const;
  readonly eventType = 'MunicipalityCreated' as const;

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly accounts: AccountService,
  ) {}

  onModuleInit(): void {
    this.registry.addConsumer(this);
  }

  async handle(_event: DomainEvent<'MunicipalityCreated'>): Promise<void> {
    await this.accounts.ensureStandardAccounts();
  }
}
