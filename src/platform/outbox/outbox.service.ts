import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { EventPayloads, EventType } from 'src/platform/outbox/events';

/**
 * Writes events into the `outbox` table in the caller's transaction. A request never talks to BullMQ:
 * the worker's relay publishes committed rows, so an event of a rolled-back transaction never leaves.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
  ) {}

  async publish<T extends EventType>(type: T, payload: EventPayloads[T]): Promise<number> {
    if (!this.txHost.isTransactionActive()) throw new Error(`outbox event ${type} written outside a transaction`);
    const rows: { id: string }[] = await this.txHost.tx.query(
      'INSERT INTO outbox (type, payload, request_id) VALUES ($1, $2, $3) RETURNING id',
      [type, JSON.stringify(payload), this.cls.isActive() ? (this.cls.getId() ?? null) : null],
    );
    return Number(rows[0].id);
  }
}
