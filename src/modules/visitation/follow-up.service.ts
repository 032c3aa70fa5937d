import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addMonths, danishDate, isDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { CaseService } from 'src/modules/citizens/case.service';
import { CaseworkerCheck } from 'src/modules/citizens/caseworker-check';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import {
  CreateFollowUpDto,
  FollowUpListItem,
  FollowUpPage,
  FollowUpReferralView,
  FollowUpView,
  ListFollowUpsQuery,
  RecordedFollowUpView,
  RecordFollowUpDto,
} from 'src/modules/visitation/follow-up.dto';
import type { GrantRow } from 'src/modules/visitation/grant.service';
import { LIST_FOLLOW_UPS, SELECT_FOLLOW_UP } from 'src/modules/visitation/sql/follow-up.sql';
import { FollowUpOutcome, FollowUpSource, FollowUpStatus, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import 'src/modules/visitation/visitation.errors';

interface FollowUpRow {
  id: string;
  grant_id: string;
  citizen_id: string;
  standard_code: string;
  due_on: string;
  source: FollowUpSource;
  source_ref: string | null;
  reason: string | null;
  status: FollowUpStatus;
  held_on: string | null;
  outcome: FollowUpOutcome | null;
  notes: string | null;
  referred_standard_code: string | null;
  next_due_on: string | null;
  recorded_by: string | null;
  recorded_at: Date | null;
  due_event_id: string | null;
  created_at: Date;
  version: number;
}

interface ListRow extends FollowUpRow {
  citizen_name: string | null;
  case_id: string | null;
  caseworker_id: string | null;
  institution_id: string;
}

/** What a provider report (tilbagemelding) from the delivery context asks for. */
export interface ProviderReportFollowUp {
  grantId: string;
  /** The provider report's id in the delivery context: the same reference never makes a second follow-up. */
  reportRef: string;
  summary: string;
  /** Default: today. */
  dueOn?: string;
}

/** What follow-ups need of a grant. */
type GrantRef = Pick<GrantRow, 'id' | 'citizen_id' | 'standard_code' | 'standard_version_no' | 'valid_from' | 'valid_to'>;

const invalid = (pointer: string, reason: string) => new DomainError('validationFailed', reason, [{ pointer, reason }]);

/**
 * Opfølgning on grants: the first is scheduled when a grant is made (its standard's interval), later ones when a
 * follow-up is recorded with `continue`; provider reports and caseworkers add more. A follow-up goes open → done
 * (recorded: outcome, notes, next date) or cancelled (the grant ended before it was due), and is then kept.
 */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly standards: QualityStandardService,
    private readonly citizens: CitizenService,
    private readonly cases: CaseService,
    private readonly caseworkers: CaseworkerCheck,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * The grant's first scheduled follow-up, due its first day + the standard's interval; none when the standard
   * has no interval, or when the grant ends before then. Runs in the transaction that makes the grant.
   */
  async scheduleFirst(grant: GrantRef): Promise<string | null> {
    const standard = await this.standards.getVersion(grant.standard_code, grant.standard_version_no);
    if (!standard.followUpIntervalMonths) return null;
    const dueOn = addMonths(grant.valid_from, standard.followUpIntervalMonths);
    if (grant.valid_to !== null && dueOn > grant.valid_to) return null;
    return this.insert(grant, dueOn, 'schedule', null, null);
  }

  /**
   * A grant's end was brought forward (change, termination, discharge): its open follow-ups due after the new
   * last day are cancelled. Those due on or before it stay: the follow-up is still to be held.
   */
  async grantEnded(grant: GrantRef): Promise<number> {
    if (grant.valid_to === null) return 0;
    const cancelled = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE follow_up SET status = 'cancelled', version = version + 1, updated_at = now()
          WHERE grant_id = $1 AND status = 'open' AND due_on > $2::date RETURNING id`,
        [grant.id, grant.valid_to],
      ),
    );
    return cancelled.length;
  }

  /**
   * A follow-up task from a provider report (for the delivery context): due today unless told, idempotent by the
   * report's reference (the same reference returns the follow-up it made). The caller logs its own access; give
   * `actor` to have the follow-up's creation logged too.
   */
  @Transactional()
  async createFromProviderReport(report: ProviderReportFollowUp, actor?: { principal: Principal; purpose: Purpose }): Promise<FollowUpView> {
    const dueOn = report.dueOn ?? this.today();
    if (!isDate(dueOn)) throw invalid('/dueOn', 'dueOn is not a calendar date');
    const summary = report.summary.trim();
    if (!summary) throw invalid('/summary', 'a provider report needs a summary');
    // Serialises follow-ups of one grant, so two deliveries of the same report make one follow-up.
    const grant = await this.lockGrant(report.grantId);
    const [existing]: FollowUpRow[] = await this.db.query(
      `${SELECT_FOLLOW_UP} WHERE f.grant_id = $1 AND f.source = 'providerReport' AND f.source_ref = $2`,
      [grant.id, report.reportRef],
    );
    if (existing) return this.view(existing);
    const id = await this.insert(grant, dueOn, 'providerReport', report.reportRef, summary);
    if (actor) await this.accessLog.record(actor.principal, { action: 'create', objectType: 'followUp', objectId: id, citizenId: grant.citizen_id, purpose: actor.purpose });
    return this.view(await this.requireRow(id));
  }

  /** A follow-up set by hand: due today or later, on a grant that has not ended. */
  @Transactional()
  async create(principal: Principal, purpose: Purpose, grantId: string, dto: CreateFollowUpDto): Promise<FollowUpView> {
    this.requireAuthority(principal, 'grant');
    if (!isDate(dto.dueOn)) throw invalid('/dueOn', 'dueOn is not a calendar date');
    const today = this.today();
    if (dto.dueOn < today) throw invalid('/dueOn', 'dueOn cannot be in the past');
    const reason = dto.reason.trim();
    if (!reason) throw invalid('/reason', 'reason is required');
    const grant = await this.lockGrant(grantId);
    await this.citizens.requireVisible(principal, grant.citizen_id);
    if (grant.valid_to !== null && grant.valid_to < today) throw ruleViolated(`the grant ended on ${grant.valid_to}`);
    const id = await this.insert(grant, dto.dueOn, 'manual', null, reason);
    await this.accessLog.record(principal, { action: 'create', objectType: 'followUp', objectId: id, citizenId: grant.citizen_id, purpose });
    return this.view(await this.requireRow(id));
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<FollowUpView> {
    const row = await this.requireFollowUp(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'followUp', objectId: id, citizenId: row.citizen_id, purpose });
    return this.view(row);
  }

  /** A grant's follow-ups, newest due date first: the history, as recorded. */
  @Transactional()
  async listForGrant(principal: Principal, purpose: Purpose, grantId: string): Promise<FollowUpView[]> {
    this.requireAuthority(principal, 'grant');
    const [grant]: { citizen_id: string }[] = await this.db.query('SELECT citizen_id FROM citizen_grant WHERE id = $1', [grantId]);
    if (!grant) throw notFound('grant');
    await this.citizens.requireVisible(principal, grant.citizen_id);
    const rows: FollowUpRow[] = await this.db.query(`${SELECT_FOLLOW_UP} WHERE f.grant_id = $1 ORDER BY f.due_on DESC, f.created_at DESC, f.id`, [grantId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'followUp', objectId: grantId, citizenId: grant.citizen_id, purpose });
    return rows.map((r) => this.view(r));
  }

  /**
   * The follow-up list, earliest due first: `me` = grants on cases I am responsible for; `all` = everyone's,
   * including grants without a case (confirmed self-referral admissions), which no caseworker owns.
   */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, q: ListFollowUpsQuery): Promise<FollowUpPage> {
    this.requireAuthority(principal, 'follow-up');
    const me = principal.kind === 'user' ? principal.id : null;
    const who = (q.caseworker ?? 'me').toLowerCase();
    let caseworkerId: string | null = null;
    if (who === 'me') {
      if (!me) throw invalid('/caseworker', 'an API key has no list of its own: give caseworker=all or a user id');
      caseworkerId = me;
    } else if (who !== 'all') {
      caseworkerId = who;
      if (caseworkerId !== me) await this.caseworkers.require(principal, caseworkerId, '/caseworker');
    }
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    if (after && (typeof after[0] !== 'string' || !isDate(after[0]))) throw invalid('/cursor', 'cursor is not one this API issued');
    const rows: ListRow[] = await this.db.query(LIST_FOLLOW_UPS, [
      caseworkerId,
      q.status ?? 'open',
      q.dueBefore ?? null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit + 1,
    ]);
    const page = pageOf(rows, limit, (r) => [r.due_on, r.id]);
    // The list shows citizens' names: each citizen on the page is logged as read, once.
    const citizens = new Set(page.items.map((r) => r.citizen_id));
    await this.accessLog.record(principal, ...[...citizens].map((citizenId): AccessRecord => ({ action: 'read', objectType: 'followUpList', citizenId, purpose })));
    return {
      today: this.today(),
      items: page.items.map(
        (r): FollowUpListItem => ({
          ...this.view(r),
          citizenName: r.citizen_name,
          caseId: r.case_id,
          caseworkerId: r.caseworker_id,
          institutionId: r.institution_id,
        }),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Records a held follow-up (If-Match). `continue` opens the next scheduled follow-up on `nextDueOn` (an open
   * scheduled one it replaces is cancelled); `terminate` records the conclusion (the grant runs until a
   * termination decision); `terminateAndRefer` makes an inquiry for the referred service on the citizen's case.
   */
  @Transactional()
  async record(principal: Principal, purpose: Purpose, id: string, version: number, dto: RecordFollowUpDto): Promise<RecordedFollowUpView> {
    this.requireAuthority(principal, 'follow-up');
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'a follow-up is recorded by a caseworker');
    const today = this.today();
    this.checkRecord(dto, today);
    const seen = await this.requireFollowUp(principal, id);
    // The grant first, then the follow-up: the order ending a grant takes them in (grant → its follow-ups).
    await this.lockGrant(seen.grant_id);
    await this.db.query('SELECT 1 FROM follow_up WHERE id = $1 FOR UPDATE', [id]);
    const current = await this.requireRow(id);
    if (current.status !== 'open') throw conflict(`the follow-up is ${current.status === 'done' ? `recorded (held ${current.held_on})` : 'cancelled'}; it is kept as it is`);
    if (current.version !== version)
      throw new DomainError('versionMismatch', `the follow-up was changed by someone else (now version ${current.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);

    const [updated] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE follow_up SET status = 'done', held_on = $3, outcome = $4, notes = $5, next_due_on = $6, referred_standard_code = $7,
                recorded_by = $8, recorded_at = now(), version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, version, dto.heldOn, dto.outcome, dto.notes.trim(), dto.nextDueOn ?? null, dto.referredStandardCode ?? null, principal.id],
      ),
    );
    if (!updated) throw new DomainError('versionMismatch', 'the follow-up was changed by someone else; reload and retry', [{ pointer: '#header/If-Match', reason: 'stale version' }]);
    const records: AccessRecord[] = [{ action: 'update', objectType: 'followUp', objectId: id, citizenId: current.citizen_id, purpose }];

    let next: FollowUpView | null = null;
    let referral: FollowUpReferralView | null = null;
    if (dto.outcome === 'continue') {
      const grant = await this.lockGrant(current.grant_id);
      // One open scheduled follow-up per grant: the date agreed now replaces one still pending from before.
      rowsOf(
        await this.db.query(
          `UPDATE follow_up SET status = 'cancelled', version = version + 1, updated_at = now()
            WHERE grant_id = $1 AND status = 'open' AND source = 'schedule' RETURNING id`,
          [grant.id],
        ),
      );
      const nextId = await this.insert(grant, dto.nextDueOn!, 'schedule', null, null);
      records.push({ action: 'create', objectType: 'followUp', objectId: nextId, citizenId: current.citizen_id, purpose });
      next = this.view(await this.requireRow(nextId));
    } else if (dto.outcome === 'terminateAndRefer') {
      referral = await this.refer(principal, purpose, current, dto);
    }
    await this.accessLog.record(principal, ...records);
    return { ...this.view(await this.requireRow(id)), next, referral };
  }

  /** The rules the request itself must satisfy (400): dates, and what each outcome needs and excludes. */
  private checkRecord(dto: RecordFollowUpDto, today: string): void {
    if (!isDate(dto.heldOn)) throw invalid('/heldOn', 'heldOn is not a calendar date');
    if (dto.heldOn > today) throw invalid('/heldOn', 'heldOn cannot be in the future');
    if (dto.outcome === 'continue') {
      if (!dto.nextDueOn) throw invalid('/nextDueOn', 'continue needs the next follow-up date (nextDueOn)');
      if (!isDate(dto.nextDueOn)) throw invalid('/nextDueOn', 'nextDueOn is not a calendar date');
      if (dto.nextDueOn <= today) throw invalid('/nextDueOn', 'nextDueOn must be after today');
    } else if (dto.nextDueOn !== undefined) throw invalid('/nextDueOn', 'only continue has a next follow-up date');
    if (dto.outcome === 'terminateAndRefer') {
      if (!dto.referredStandardCode) throw invalid('/referredStandardCode', 'terminateAndRefer needs the service referred to (referredStandardCode)');
    } else if (dto.referredStandardCode !== undefined) throw invalid('/referredStandardCode', 'only terminateAndRefer refers to a service');
    if (!dto.notes.trim()) throw invalid('/notes', 'notes are required');
  }

  /** The referral is a new inquiry (channel referral, received the day the follow-up was held): the decision flow starts there. */
  private async refer(principal: Principal, purpose: Purpose, f: FollowUpRow, dto: RecordFollowUpDto): Promise<FollowUpReferralView> {
    const request = `Henvist fra opfølgning ${dto.heldOn} på bevilling af ${f.standard_code} (afsluttes).\n\n${dto.notes.trim()}`.slice(0, 8000);
    const inquiry = await this.cases
      .createInquiry(principal, purpose, f.citizen_id, { receivedOn: dto.heldOn, channel: 'referral', request, standardCode: dto.referredStandardCode! })
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.errors.some((e) => e.pointer === '/standardCode'))
          throw ruleViolated(err.message, '/referredStandardCode');
        if (err instanceof DomainError && err.code === 'notFound' && /quality standard/.test(err.message))
          throw ruleViolated(`${dto.referredStandardCode} is not a quality standard`, '/referredStandardCode');
        throw err;
      });
    return { inquiryId: inquiry.id, caseId: inquiry.caseId, caseOpened: inquiry.caseOpened };
  }

  private async insert(grant: GrantRef, dueOn: string, source: FollowUpSource, sourceRef: string | null, reason: string | null): Promise<string> {
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO follow_up (grant_id, citizen_id, due_on, source, source_ref, reason, version) VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id`,
      [grant.id, grant.citizen_id, dueOn, source, sourceRef, reason],
    );
    return id;
  }

  private async lockGrant(grantId: string): Promise<GrantRef> {
    const [grant]: GrantRef[] = await this.db.query(
      `SELECT id, citizen_id, standard_code, standard_version_no, valid_from::text AS valid_from, valid_to::text AS valid_to
         FROM citizen_grant WHERE id = $1 FOR UPDATE`,
      [grantId],
    );
    if (!grant) throw notFound('grant');
    return grant;
  }

  private requireAuthority(principal: Principal, what: string): void {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound(what);
  }

  /** The follow-up, or 404 when it does not exist or its citizen is outside the caller's scope. */
  private async requireFollowUp(principal: Principal, id: string): Promise<FollowUpRow> {
    this.requireAuthority(principal, 'follow-up');
    const row = await this.findRow(id);
    if (!row) throw notFound('follow-up');
    await this.citizens.requireVisible(principal, row.citizen_id);
    return row;
  }

  private async requireRow(id: string): Promise<FollowUpRow> {
    const row = await this.findRow(id);
    if (!row) throw notFound('follow-up');
    return row;
  }

  private async findRow(id: string): Promise<FollowUpRow | undefined> {
    const [row]: FollowUpRow[] = await this.db.query(`${SELECT_FOLLOW_UP} WHERE f.id = $1`, [id]);
    return row;
  }

  view(r: FollowUpRow): FollowUpView {
    return {
      id: r.id,
      grantId: r.grant_id,
      citizenId: r.citizen_id,
      standardCode: r.standard_code,
      dueOn: r.due_on,
      source: r.source,
      sourceRef: r.source_ref,
      reason: r.reason,
      status: r.status,
      overdue: r.status === 'open' && r.due_on < this.today(),
      heldOn: r.held_on,
      outcome: r.outcome,
      notes: r.notes,
      referredStandardCode: r.referred_standard_code,
      nextDueOn: r.next_due_on,
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at?.toISOString() ?? null,
      dueNotified: r.due_event_id !== null,
      createdAt: r.created_at.toISOString(),
      version: r.version,
    };
  }

  private today(): string {
    return danishDate(this.clock.now());
  }
}
