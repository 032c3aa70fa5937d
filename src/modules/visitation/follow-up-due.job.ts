import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { ConsumerRegistry, JobHandler } from 'src/platform/queue/consumers';
import { EMIT_FOLLOW_UPS_DUE } from 'src/modules/visitation/sql/follow-up.sql';

/** Follow-ups announced per transaction: a long backlog never holds one long transaction. */
const BATCH = 500;

/**
 * Every morning: each open follow-up due today or earlier gets one FollowUpDue event (the responsible
 * caseworker is notified). The event's id is stored on the follow-up in the same statement, so a second run —
 * the same day, or a retry after a crash — announces nothing twice.
 */
@Injectable()
export class FollowUpDueJob implements JobHandler, OnModuleInit {
  readonly queue = 'maintenance' as const;
  readonly jobName = 'follow-up-due';
  readonly schedule = '15 6 * * *';
  private readonly logger = new Logger('follow-up-due');

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly clock: Clock,
    private readonly registry: ConsumerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.addJob(this);
  }

  async handle(): Promise<{ emitted: number; dueBy: string }> {
    return this.run();
  }

  /** Announces every follow-up due by today (Danish date) that has not been announced. */
  async run(): Promise<{ emitted: number; dueBy: string }> {
    if (!this.cls.isActive()) return this.cls.run(() => this.run());
    const dueBy = danishDate(this.clock.now());
    const requestId = this.cls.getId() ?? null;
    let emitted = 0;
    for (;;) {
      const batch = await this.txHost.withTransaction(async () => rowsOf<{ id: string }>(await this.txHost.tx.query(EMIT_FOLLOW_UPS_DUE, [dueBy, BATCH, requestId])).length);
      emitted += batch;
      if (batch < BATCH) break;
    }
    this.logger.log({ msg: 'follow-ups due announced', emitted, dueBy });
    return { emitted, dueBy };
  }
}
