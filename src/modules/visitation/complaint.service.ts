import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { AppConfig } from 'src/platform/config/app-config';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { complaintBody } from 'src/modules/visitation/complaint-guidance';
import {
  ComplaintPage,
  ComplaintView,
  CreateComplaintDto,
  ForwardComplaintDto,
  ListComplaintsQuery,
  ReassessComplaintDto,
  RecordAppealOutcomeDto,
} from 'src/modules/visitation/complaint.dto';
import { DecisionService } from 'src/modules/visitation/decision.service';
import { AppealOutcome, ComplaintStatus, CorrespondenceChannel, DECIDING_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import 'src/modules/visitation/visitation.errors';

/** Genvurdering, and forwarding if upheld, within 4 weeks of receipt (RSL § 66). */
export const REASSESSMENT_DAYS = 28;

interface ComplaintRow {
  id: string;
  decision_id: string;
  citizen_id: string;
  case_id: string;
  standard_code: string;
  legal_basis: string;
  received_on: string;
  channel: CorrespondenceChannel;
  late: boolean;
  summary: string;
  status: ComplaintStatus;
  reassessment_due_on: string;
  reassessed_on: string | null;
  reassessment_note: string | null;
  new_decision_id: string | null;
  appeal_body: string | null;
  forwarded_on: string | null;
  documents: string[];
  outcome: AppealOutcome | null;
  outcome_on: string | null;
  outcome_note: string | null;
  remitted_decision_due_on: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Dates as text so no time zone shifts a legal date. */
const SELECT_COMPLAINT = `
  SELECT c.id, c.decision_id, c.citizen_id, c.case_id, c.standard_code, c.legal_basis, c.received_on::text AS received_on,
         c.channel, c.late, c.summary, c.status, c.reassessment_due_on::text AS reassessment_due_on,
         c.reassessed_on::text AS reassessed_on, c.reassessment_note, c.new_decision_id, c.appeal_body,
         c.forwarded_on::text AS forwarded_on, c.documents, c.outcome, c.outcome_on::text AS outcome_on, c.outcome_note,
         c.remitted_decision_due_on::text AS remitted_decision_due_on, c.created_by, c.created_at, c.updated_at, c.version
    FROM complaint c`;

/**
 * Overdue (RSL § 66): past the re-assessment due date and still awaiting re-assessment, or upheld but not yet
 * forwarded — the complaint must be with Ankestyrelsen within the same 4 weeks. $n = today.
 */
const overdueSql = (today: string) => `(c.status IN ('awaitingReassessment', 'upheld') AND c.reassessment_due_on < ${today}::date)`;

const blank = (s: string | null | undefined) => !s || s.trim() === '';

/**
 * Klager: received against a notified, appealable decision (late ones flagged, never refused), re-assessed by
 * the authority within 4 weeks — changed by a new decision in the citizen's favour, or upheld and forwarded to
 * Ankestyrelsen — and Ankestyrelsen's outcome recorded. Each step is recorded once (the table's trigger keeps it).
 */
@Injectable()
export class ComplaintService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly citizens: CitizenService,
    private readonly decisions: DecisionService,
    private readonly standards: QualityStandardService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, decisionId: string, dto: CreateComplaintDto): Promise<ComplaintView> {
    this.requireDeciding(principal);
    const d = await this.decisions.requireDecision(principal, decisionId);
    if (d.status !== 'notified') throw conflict(`the decision is ${d.status}: a complaint is against a notified decision`);
    if (!d.appealable)
      throw ruleViolated(
        `the decision (${d.legal_basis}) is final by law and cannot be appealed: SEL § 82 a, § 82 b and § 101 a decisions are not brought before Ankestyrelsen`,
      );
    const today = this.today();
    if (dto.receivedOn > today) throw ruleViolated('receivedOn cannot be in the future', '/receivedOn');
    if (dto.receivedOn < d.notified_on!) throw ruleViolated(`a complaint is received on or after the day the decision was notified (${d.notified_on})`, '/receivedOn');
    if (blank(dto.summary)) throw ruleViolated('say what the citizen complains about', '/summary');
    const late = dto.receivedOn > d.complaint_deadline!;
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO complaint (decision_id, citizen_id, case_id, standard_code, legal_basis, received_on, channel, late, summary,
                              reassessment_due_on, created_by, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id`,
      [
        d.id,
        d.citizen_id,
        d.case_id,
        d.standard_code,
        d.legal_basis,
        dto.receivedOn,
        dto.channel,
        late,
        dto.summary.trim(),
        addDays(dto.receivedOn, REASSESSMENT_DAYS),
        principal.id,
      ],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'complaint', objectId: id, citizenId: d.citizen_id, purpose });
    return this.view(await this.row(id));
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<ComplaintView> {
    const row = await this.requireComplaint(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'complaint', objectId: id, citizenId: row.citizen_id, purpose });
    return this.view(row);
  }

  /** The complaints against one decision, oldest first. */
  @Transactional()
  async listForDecision(principal: Principal, purpose: Purpose, decisionId: string): Promise<ComplaintView[]> {
    const d = await this.decisions.requireDecision(principal, decisionId);
    const rows: ComplaintRow[] = await this.db.query(`${SELECT_COMPLAINT} WHERE c.decision_id = $1 ORDER BY c.received_on, c.created_at, c.id`, [decisionId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'complaint', citizenId: d.citizen_id, purpose });
    return rows.map((r) => this.view(r));
  }

  /** All complaints, oldest received first (keyset pages); filtered by status and by overdue. */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, q: ListComplaintsQuery): Promise<ComplaintPage> {
    if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see complaints');
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: ComplaintRow[] = await this.db.query(
      `${SELECT_COMPLAINT}
        WHERE ($1::text IS NULL OR c.status = $1)
          AND ($2::boolean IS NULL OR ${overdueSql('$3')} = $2)
          AND ($4::date IS NULL OR (c.received_on, c.id) > ($4::date, $5::uuid))
        ORDER BY c.received_on, c.id
        LIMIT $6`,
      [q.status ?? null, q.overdue ?? null, this.today(), after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.received_on, r.id]);
    await this.accessLog.record(
      principal,
      ...page.items.map((r): AccessRecord => ({ action: 'read', objectType: 'complaint', objectId: r.id, citizenId: r.citizen_id, purpose })),
    );
    return { items: page.items.map((r) => this.view(r)), nextCursor: page.nextCursor };
  }

  /**
   * Genvurdering. `changed` drafts the new decision (in the citizen's favour) on the complaint's case in this
   * transaction and links it; `upheld` needs a note saying why the decision stands.
   */
  @Transactional()
  async reassess(principal: Principal, purpose: Purpose, id: string, version: number, dto: ReassessComplaintDto): Promise<ComplaintView> {
    const c = await this.lockForChange(principal, id, version);
    if (c.status !== 'awaitingReassessment')
      throw conflict(`the complaint was re-assessed on ${c.reassessed_on} (${c.status}); a re-assessment is recorded once`);
    const reassessedOn = dto.reassessedOn ?? this.today();
    this.checkDate(reassessedOn, '/reassessedOn', c.received_on, 'the complaint was received');
    const note = dto.note?.trim() || null;
    let newDecisionId: string | null = null;
    if (dto.outcome === 'upheld') {
      if (dto.newDecision) throw ruleViolated('an upheld decision stands: no new decision is made', '/newDecision');
      if (!note) throw ruleViolated('say why the decision is upheld (genvurderingsnotat)', '/note');
    } else {
      if (!dto.newDecision) throw ruleViolated('a changed decision needs the new decision in the citizen’s favour', '/newDecision');
      const draft = { ...dto.newDecision, standardCode: dto.newDecision.standardCode ?? (dto.newDecision.grantId ? undefined : c.standard_code) };
      const created = await this.decisions.create(principal, purpose, c.case_id, draft).catch((err: unknown) => {
        throw underNewDecision(err);
      });
      newDecisionId = created.id;
    }
    rowsOf(
      await this.db.query(
        `UPDATE complaint SET status = $3, reassessed_on = $4, reassessment_note = $5, new_decision_id = $6, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2`,
        [id, version, dto.outcome, reassessedOn, note, newDecisionId],
      ),
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'complaint', objectId: id, citizenId: c.citizen_id, purpose });
    return this.view(await this.row(id));
  }

  /** Oversendelse of an upheld complaint, with the case documents, to Ankestyrelsen (Styrelsen for Patientklager for SUL). */
  @Transactional()
  async forward(principal: Principal, purpose: Purpose, id: string, version: number, dto: ForwardComplaintDto): Promise<ComplaintView> {
    const c = await this.lockForChange(principal, id, version);
    if (c.status !== 'upheld')
      throw conflict(
        c.status === 'awaitingReassessment'
          ? 'the complaint awaits re-assessment: the authority re-assesses before it forwards'
          : `the complaint is ${c.status}: only an upheld complaint is forwarded`,
      );
    const forwardedOn = dto.forwardedOn ?? this.today();
    this.checkDate(forwardedOn, '/forwardedOn', c.reassessed_on!, 'the decision was upheld');
    const documents = dto.documents.map((s) => s.trim());
    if (documents.some((s) => !s)) throw ruleViolated('name each document sent along', '/documents');
    const d = await this.decisions.requireRow(c.decision_id);
    const standard = await this.standards.getVersion(d.standard_code, d.standard_version_no);
    rowsOf(
      await this.db.query(
        `UPDATE complaint SET status = 'forwarded', forwarded_on = $3, appeal_body = $4, documents = $5::text[], version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2`,
        [id, version, forwardedOn, complaintBody(standard.legalBasis.law), documents],
      ),
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'complaint', objectId: id, citizenId: c.citizen_id, purpose });
    return this.view(await this.row(id));
  }

  /** Ankestyrelsen's outcome. Hjemvist: the authority decides again within REMITTED_DECISION_DEADLINE_DAYS. */
  @Transactional()
  async recordOutcome(principal: Principal, purpose: Purpose, id: string, version: number, dto: RecordAppealOutcomeDto): Promise<ComplaintView> {
    const c = await this.lockForChange(principal, id, version);
    if (c.status !== 'forwarded')
      throw conflict(
        c.status === 'decided'
          ? `Ankestyrelsen's outcome (${c.outcome}) was recorded on ${c.outcome_on}; it is recorded once`
          : `the complaint is ${c.status}: an outcome is recorded for a forwarded complaint`,
      );
    this.checkDate(dto.decidedOn, '/decidedOn', c.forwarded_on!, 'the complaint was forwarded');
    const remittedDueOn = dto.outcome === 'remitted' ? addDays(dto.decidedOn, this.config.REMITTED_DECISION_DEADLINE_DAYS) : null;
    rowsOf(
      await this.db.query(
        `UPDATE complaint SET status = 'decided', outcome = $3, outcome_on = $4, outcome_note = $5, remitted_decision_due_on = $6,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2`,
        [id, version, dto.outcome, dto.decidedOn, dto.note?.trim() || null, remittedDueOn],
      ),
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'complaint', objectId: id, citizenId: c.citizen_id, purpose });
    return this.view(await this.row(id));
  }

  /** The complaint, or 404 when it does not exist or its citizen is outside the caller's scope. */
  private async requireComplaint(principal: Principal, id: string): Promise<ComplaintRow> {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound('complaint');
    const [row]: ComplaintRow[] = await this.db.query(`${SELECT_COMPLAINT} WHERE c.id = $1`, [id]);
    if (!row) throw notFound('complaint');
    await this.citizens.requireVisible(principal, row.citizen_id);
    return row;
  }

  /** Locks the complaint for a step: stale version 409 (versionMismatch). */
  private async lockForChange(principal: Principal, id: string, version: number): Promise<ComplaintRow> {
    this.requireDeciding(principal);
    await this.requireComplaint(principal, id);
    const [locked]: ComplaintRow[] = await this.db.query(`${SELECT_COMPLAINT} WHERE c.id = $1 FOR UPDATE`, [id]);
    if (locked.version !== version)
      throw new DomainError('versionMismatch', `the complaint was changed by someone else (now version ${locked.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    return locked;
  }

  private requireDeciding(principal: Principal): void {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members handle complaints');
  }

  /** A step's date: not in the future and not before the step it follows. */
  private checkDate(date: string, pointer: string, earliest: string, what: string): void {
    if (date > this.today()) throw ruleViolated(`${pointer.slice(1)} cannot be in the future`, pointer);
    if (date < earliest) throw ruleViolated(`${pointer.slice(1)} cannot be before ${earliest}, the day ${what}`, pointer);
  }

  private async row(id: string): Promise<ComplaintRow> {
    const [row]: ComplaintRow[] = await this.db.query(`${SELECT_COMPLAINT} WHERE c.id = $1`, [id]);
    if (!row) throw notFound('complaint');
    return row;
  }

  private view(r: ComplaintRow): ComplaintView {
    const today = this.today();
    return {
      id: r.id,
      decisionId: r.decision_id,
      citizenId: r.citizen_id,
      caseId: r.case_id,
      standardCode: r.standard_code,
      legalBasis: r.legal_basis,
      receivedOn: r.received_on,
      channel: r.channel,
      late: r.late,
      summary: r.summary,
      status: r.status,
      reassessmentDueOn: r.reassessment_due_on,
      overdue: (r.status === 'awaitingReassessment' || r.status === 'upheld') && r.reassessment_due_on < today,
      reassessedOn: r.reassessed_on,
      reassessmentNote: r.reassessment_note,
      newDecisionId: r.new_decision_id,
      appealBody: r.appeal_body,
      forwardedOn: r.forwarded_on,
      documents: r.documents,
      outcome: r.outcome,
      outcomeOn: r.outcome_on,
      outcomeNote: r.outcome_note,
      remittedDecisionDueOn: r.remitted_decision_due_on,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
    };
  }

  private today(): string {
    return danishDate(this.clock.now());
  }
}

/** The new decision's field errors, pointed into the request body's `newDecision`. */
function underNewDecision(err: unknown): unknown {
  if (!(err instanceof DomainError) || !err.errors.length) return err;
  const errors = err.errors.map((e) => (e.pointer.startsWith('/') ? { ...e, pointer: `/newDecision${e.pointer}` } : e));
  return new DomainError(err.code, `the new decision: ${err.message}`, errors, err.headers);
}
