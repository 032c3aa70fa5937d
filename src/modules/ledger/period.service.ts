import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, notFound } from 'src/platform/errors/domain-error';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { PeriodStatus } from 'src/modules/ledger/ledger.constants';
import { ListPeriodsQuery, PeriodView } from 'src/modules/ledger/ledger.dto';
import { readableOwner } from 'src/modules/ledger/ledger-access';

interface PeriodRow {
  owner_id: string;
  month: string;
  status: PeriodStatus;
  closed_at: Date | null;
  closed_by: string | null;
  reopenings: number;
}

const toView = (r: PeriodRow): PeriodView => ({
  ownerId: r.owner_id,
  month: r.month.slice(0, 7),
  status: r.status,
  closedAt: r.closed_at?.toISOString() ?? null,
  closedBy: r.closed_by,
  reopenings: r.reopenings,
});

const SELECT_PERIOD = `
  SELECT lp.owner_id, lp.month::text AS month, lp.status, lp.closed_at, lp.closed_by,
         (SELECT count(*)::int FROM ledger_period_reopening r WHERE r.owner_id = lp.owner_id AND r.month = lp.month) AS reopenings
    FROM ledger_period lp`;

/**
 * Months of an owner's books, open or closed. Closing takes FOR UPDATE on the period row, which the journal
 * writer share-locks before posting: a closing waits for postings in flight, and postings after it see it
 * closed. The own municipality's period is the whole area's: closing it closes the month for every account.
 */
@Injectable()
export class PeriodService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly units: OrgUnitService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async close(principal: Principal, ownerId: string, month: string): Promise<PeriodView> {
    await this.requireOwner(ownerId);
    const row = await this.lock(ownerId, month);
    if (row.status === 'closed') throw conflict(`${month} is closed already`);
    rowsOf(
      await this.db.query(`UPDATE ledger_period SET status = 'closed', closed_at = now(), closed_by = $3 WHERE owner_id = $1 AND month = $2 RETURNING owner_id`, [
        ownerId,
        `${month}-01`,
        principal.kind === 'user' ? principal.id : null,
      ]),
    );
    return this.get(ownerId, month);
  }

  /** An administrator reopens a closed month, with a reason kept in ledger_period_reopening. */
  @Transactional()
  async reopen(principal: Principal, ownerId: string, month: string, reason: string): Promise<PeriodView> {
    await this.requireOwner(ownerId);
    const row = await this.lock(ownerId, month);
    if (row.status !== 'closed') throw conflict(`${month} is open`);
    rowsOf(
      await this.db.query(`UPDATE ledger_period SET status = 'open', closed_at = NULL, closed_by = NULL WHERE owner_id = $1 AND month = $2 RETURNING owner_id`, [
        ownerId,
        `${month}-01`,
      ]),
    );
    await this.db.query('INSERT INTO ledger_period_reopening (owner_id, month, reason, reopened_by) VALUES ($1, $2, $3, $4)', [
      ownerId,
      `${month}-01`,
      reason.trim(),
      principal.kind === 'user' ? principal.id : null,
    ]);
    return this.get(ownerId, month);
  }

  async list(principal: Principal, q: ListPeriodsQuery): Promise<PeriodView[]> {
    const owner = readableOwner(principal, q.ownerId);
    const rows: PeriodRow[] = await this.db.query(
      `${SELECT_PERIOD} WHERE ($1::uuid IS NULL OR lp.owner_id = $1) AND ($2::int IS NULL OR extract(year FROM lp.month) = $2)
        ORDER BY lp.month, lp.owner_id`,
      [owner, q.year ?? null],
    );
    return rows.map(toView);
  }

  private async get(ownerId: string, month: string): Promise<PeriodView> {
    const [row]: PeriodRow[] = await this.db.query(`${SELECT_PERIOD} WHERE lp.owner_id = $1 AND lp.month = $2`, [ownerId, `${month}-01`]);
    return toView(row);
  }

  /** The period row, made if missing, under FOR UPDATE. */
  private async lock(ownerId: string, month: string): Promise<{ status: PeriodStatus }> {
    await this.db.query(`INSERT INTO ledger_period (owner_id, month, status) VALUES ($1, $2, 'open') ON CONFLICT (owner_id, month) DO NOTHING`, [ownerId, `${month}-01`]);
    const [row]: { status: PeriodStatus }[] = await this.db.query('SELECT status FROM ledger_period WHERE owner_id = $1 AND month = $2 FOR UPDATE', [ownerId, `${month}-01`]);
    return row;
  }

  /** A period belongs to the own municipality (the whole area), the authority, an own institution, or an account owner. */
  private async requireOwner(ownerId: string): Promise<void> {
    const own = await this.units.ownMunicipality();
    if (own.id === ownerId) return;
    const unit = await this.units.getUnit(ownerId).catch(() => null);
    if (unit && !unit.external && (unit.kind === 'authority' || unit.kind === 'institution')) return;
    const [account]: unknown[] = await this.db.query('SELECT 1 FROM ledger_account WHERE owner_id = $1 LIMIT 1', [ownerId]);
    if (!account) throw notFound('ledger owner');
  }
}
