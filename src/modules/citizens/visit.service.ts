import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { isDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import 'src/modules/citizens/citizens.errors';
import { CaseService } from 'src/modules/citizens/case.service';
import { CaseworkerCheck } from 'src/modules/citizens/caseworker-check';
import { Purpose, VisitStatus } from 'src/modules/citizens/citizens.constants';
import { VisitPage, VisitView } from 'src/modules/citizens/citizens.dto';
import { CalendarQuery, CancelVisitDto, CreateVisitDto, HoldVisitDto, UpdateVisitDto } from 'src/modules/citizens/visit.dto';

interface VisitRow {
  id: string;
  case_id: string;
  citizen_id: string;
  citizen_name: string | null;
  caseworker_id: string;
  status: VisitStatus;
  starts_at: Date;
  ends_at: Date;
  place: string;
  participants: string[];
  notes: string | null;
  cancel_reason: string | null;
  version: number;
}

const SELECT_VISIT = `
  SELECT v.id, v.case_id, k.citizen_id, coalesce(c.name, c.pseudonym) AS citizen_name, v.caseworker_id, v.status, v.starts_at,
         v.ends_at, v.place, v.participants, v.notes, v.cancel_reason, v.version
    FROM visit v JOIN citizen_case k ON k.id = v.case_id JOIN citizen c ON c.id = k.citizen_id`;

/** A calendar bound: a date is a whole Danish day (from its start; `to` through its end), an instant is exact. */
const BOUND = (p: string, end: boolean) =>
  `CASE WHEN ${p} ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN (${p}::date + ${end ? 1 : 0})::timestamp AT TIME ZONE 'Europe/Copenhagen' ELSE ${p}::timestamptz END`;

const toView = (r: VisitRow): VisitView => ({
  id: r.id,
  caseId: r.case_id,
  citizenId: r.citizen_id,
  citizenName: r.citizen_name,
  caseworkerId: r.caseworker_id,
  status: r.status,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  place: r.place,
  participants: r.participants,
  notes: r.notes,
  cancelReason: r.cancel_reason,
  version: r.version,
});

/** Besøg: planned, then held or cancelled; the caseworker's calendar. */
@Injectable()
export class VisitService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly cases: CaseService,
    private readonly caseworkers: CaseworkerCheck,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, caseId: string, dto: CreateVisitDto): Promise<VisitView> {
    const c = await this.cases.requireCase(principal, caseId);
    if (c.status !== 'open') throw ruleViolated('the case is closed');
    this.checkTimes(dto.startsAt, dto.endsAt);
    const caseworkerId = await this.caseworkerOf(principal, dto.caseworkerId);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO visit (case_id, caseworker_id, status, starts_at, ends_at, place, participants, created_by, version)
       VALUES ($1, $2, 'planned', $3, $4, $5, $6, $7, 1) RETURNING id`,
      [caseId, caseworkerId, dto.startsAt, dto.endsAt, dto.place.trim(), dto.participants ?? [], principal.kind === 'user' ? principal.id : null],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'visit', objectId: id, citizenId: c.citizen_id, purpose });
    return toView(await this.row(id));
  }

  @Transactional()
  async listForCase(principal: Principal, purpose: Purpose, caseId: string): Promise<VisitView[]> {
    const c = await this.cases.requireCase(principal, caseId);
    const rows: VisitRow[] = await this.db.query(`${SELECT_VISIT} WHERE v.case_id = $1 ORDER BY v.starts_at, v.id`, [caseId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'visit', citizenId: c.citizen_id, purpose });
    return rows.map(toView);
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<VisitView> {
    const row = await this.visible(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'visit', objectId: id, citizenId: row.citizen_id, purpose });
    return toView(row);
  }

  /** Reschedule or change a planned visit (If-Match). */
  @Transactional()
  async update(principal: Principal, purpose: Purpose, id: string, version: number, dto: UpdateVisitDto): Promise<VisitView> {
    const current = await this.visible(principal, id);
    if (current.status !== 'planned') throw conflict(`the visit is ${current.status}; only a planned visit can change`);
    this.checkTimes(dto.startsAt ?? current.starts_at.toISOString(), dto.endsAt ?? current.ends_at.toISOString());
    if (dto.caseworkerId) await this.caseworkers.require(principal, dto.caseworkerId, '/caseworkerId');
    const [row] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE visit SET starts_at = coalesce($3, starts_at), ends_at = coalesce($4, ends_at), place = coalesce($5, place),
                participants = coalesce($6, participants), caseworker_id = coalesce($7, caseworker_id),
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, version, dto.startsAt ?? null, dto.endsAt ?? null, dto.place?.trim() ?? null, dto.participants ?? null, dto.caseworkerId ?? null],
      ),
    );
    if (!row)
      throw new DomainError('versionMismatch', 'the visit was changed by someone else; reload and retry', [{ pointer: '#header/If-Match', reason: 'stale version' }]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'visit', objectId: id, citizenId: current.citizen_id, purpose });
    return toView(await this.row(id));
  }

  /** planned → held, with what happened; not before the visit starts. */
  @Transactional()
  async hold(principal: Principal, purpose: Purpose, id: string, dto: HoldVisitDto): Promise<VisitView> {
    const current = await this.lockPlanned(principal, id);
    if (current.starts_at > this.clock.now()) throw ruleViolated('a visit cannot be held before it starts');
    await this.db.query(`UPDATE visit SET status = 'held', notes = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, dto.notes ?? null]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'visit', objectId: id, citizenId: current.citizen_id, purpose });
    return toView(await this.row(id));
  }

  /** planned → cancelled, with the reason. */
  @Transactional()
  async cancel(principal: Principal, purpose: Purpose, id: string, dto: CancelVisitDto): Promise<VisitView> {
    const current = await this.lockPlanned(principal, id);
    await this.db.query(`UPDATE visit SET status = 'cancelled', cancel_reason = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, dto.reason.trim()]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'visit', objectId: id, citizenId: current.citizen_id, purpose });
    return toView(await this.row(id));
  }

  /**
   * The caseworker's calendar: visits overlapping [from, to), in start order. Each citizen shown is logged
   * as read.
   */
  @Transactional()
  async calendar(principal: Principal, purpose: Purpose, q: CalendarQuery): Promise<VisitPage> {
    let caseworkerId = q.caseworker ?? 'me';
    if (caseworkerId === 'me') {
      if (principal.kind !== 'user') throw new DomainError('badRequest', 'caseworker=me needs a user; give a user id', [{ pointer: '/caseworker', reason: 'not a user' }]);
      caseworkerId = principal.id;
    }
    for (const [name, value] of [['from', q.from], ['to', q.to]] as const)
      if (!isDate(value.slice(0, 10))) throw new DomainError('validationFailed', `${name} is not a calendar date`, [{ pointer: `/${name}`, reason: 'not a calendar date' }]);
    const [{ lo, hi }]: { lo: Date; hi: Date }[] = await this.db.query(`SELECT ${BOUND('$1', false)} AS lo, ${BOUND('$2', true)} AS hi`, [q.from, q.to]);
    if (lo >= hi) throw new DomainError('validationFailed', 'to must be after from', [{ pointer: '/to', reason: 'not after from' }]);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: VisitRow[] = await this.db.query(
      `${SELECT_VISIT}
        WHERE v.caseworker_id = $1 AND v.starts_at < $3 AND v.ends_at > $2 AND ($4::text IS NULL OR v.status = $4)
          AND ($5::timestamptz IS NULL OR (v.starts_at, v.id) > ($5::timestamptz, $6::uuid))
        ORDER BY v.starts_at, v.id LIMIT $7`,
      [caseworkerId, lo, hi, q.status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.starts_at.toISOString(), r.id]);
    const citizens = [...new Set(page.items.map((r) => r.citizen_id))];
    await this.accessLog.record(principal, ...citizens.map((citizenId): AccessRecord => ({ action: 'read', objectType: 'visit', citizenId, purpose })));
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  private async visible(principal: Principal, id: string): Promise<VisitRow> {
    const [row]: VisitRow[] = await this.db.query(`${SELECT_VISIT} WHERE v.id = $1`, [id]);
    if (!row) throw notFound('visit');
    await this.cases.requireCase(principal, row.case_id).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'notFound' ? notFound('visit') : err;
    });
    return row;
  }

  private async lockPlanned(principal: Principal, id: string): Promise<VisitRow> {
    await this.visible(principal, id);
    await this.db.query('SELECT 1 FROM visit WHERE id = $1 FOR UPDATE', [id]);
    const current = await this.row(id);
    if (current.status !== 'planned') throw conflict(`the visit is ${current.status}; only a planned visit can be held or cancelled`);
    return current;
  }

  private async row(id: string): Promise<VisitRow> {
    const [row]: VisitRow[] = await this.db.query(`${SELECT_VISIT} WHERE v.id = $1`, [id]);
    if (!row) throw notFound('visit');
    return row;
  }

  private checkTimes(startsAt: string, endsAt: string) {
    if (new Date(endsAt).getTime() <= new Date(startsAt).getTime()) throw ruleViolated('endsAt must be after startsAt', '/endsAt');
  }

  private async caseworkerOf(principal: Principal, given: string | undefined): Promise<string> {
    if (given) {
      await this.caseworkers.require(principal, given, '/caseworkerId');
      return given;
    }
    if (principal.kind === 'user' && this.caseworkers.isCaseworkerRole(principal.role)) return principal.id;
    throw ruleViolated('give caseworkerId: the caseworker who holds the visit', '/caseworkerId');
  }
}
