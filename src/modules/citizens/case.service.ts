import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, danishDate, isDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { PageQuery } from 'src/platform/http/pagination';
import 'src/modules/citizens/citizens.errors';
import { CreateInquiryDto, CreateNoteDto, UpdateCaseDto } from 'src/modules/citizens/case.dto';
import { CASE_ROLES, CaseStatus, InquiryChannel, Purpose } from 'src/modules/citizens/citizens.constants';
import { CaseView, CreatedInquiryView, InquiryView, NotePage, NoteView } from 'src/modules/citizens/citizens.dto';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { CaseworkerCheck } from 'src/modules/citizens/caseworker-check';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';

export interface CaseRow {
  id: string;
  citizen_id: string;
  status: CaseStatus;
  responsible_caseworker_id: string | null;
  opened_on: string;
  closed_on: string | null;
  version: number;
}

interface InquiryRow {
  id: string;
  case_id: string;
  received_on: string;
  channel: InquiryChannel;
  request: string;
  standard_code: string;
  standard_version_no: number;
  casework_deadline: string;
  created_at: Date;
}

interface NoteRow {
  id: string;
  case_id: string;
  text: string;
  amends_note_id: string | null;
  amended_by: string[];
  author_user_id: string | null;
  recorded_at: Date;
  recorded_at_us: string;
}

const SELECT_CASE = `
  SELECT id, citizen_id, status, responsible_caseworker_id, opened_on::text AS opened_on, closed_on::text AS closed_on, version
    FROM citizen_case`;

const toInquiry = (r: InquiryRow): InquiryView => ({
  id: r.id,
  caseId: r.case_id,
  receivedOn: r.received_on,
  channel: r.channel,
  request: r.request,
  standardCode: r.standard_code,
  standardVersionNo: r.standard_version_no,
  caseworkDeadline: r.casework_deadline,
  createdAt: r.created_at.toISOString(),
});

const toNote = (r: NoteRow): NoteView => ({
  id: r.id,
  caseId: r.case_id,
  text: r.text,
  amendsNoteId: r.amends_note_id,
  amendedBy: r.amended_by,
  authorUserId: r.author_user_id,
  recordedAt: r.recorded_at.toISOString(),
});

/**
 * Sager, henvendelser and journal notes. An inquiry opens a case or joins the citizen's open one; its date
 * plus the standard's casework deadline is the date a decision is due.
 */
@Injectable()
export class CaseService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly citizens: CitizenService,
    private readonly caseworkers: CaseworkerCheck,
    private readonly standards: QualityStandardService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async createInquiry(principal: Principal, purpose: Purpose, citizenId: string, dto: CreateInquiryDto): Promise<CreatedInquiryView> {
    const citizen = await this.citizens.lock(principal, citizenId);
    const today = danishDate(this.clock.now());
    if (!isDate(dto.receivedOn)) throw new DomainError('validationFailed', 'receivedOn is not a calendar date', [{ pointer: '/receivedOn', reason: 'not a calendar date' }]);
    if (dto.receivedOn > today) throw ruleViolated('receivedOn cannot be in the future', '/receivedOn');
    const standard = await this.standards.inForce(dto.standardCode, dto.receivedOn).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated(`no version of ${dto.standardCode} was in force on ${dto.receivedOn}`, '/standardCode');
      throw err;
    });
    if (citizen.anonymous && !standard.anonymousAllowed)
      throw ruleViolated(`${dto.standardCode} is not given to anonymous clients`, '/standardCode');

    const [open]: CaseRow[] = await this.db.query(`${SELECT_CASE} WHERE citizen_id = $1 AND status = 'open'`, [citizenId]);
    let caseId = open?.id;
    if (!caseId) {
      const responsible = dto.responsibleCaseworkerId ?? (principal.kind === 'user' && this.caseworkers.isCaseworkerRole(principal.role) ? principal.id : null);
      if (responsible) await this.caseworkers.require(principal, responsible, '/responsibleCaseworkerId');
      [{ id: caseId }] = await this.db.query(
        `INSERT INTO citizen_case (citizen_id, status, responsible_caseworker_id, opened_on, created_by, version)
         VALUES ($1, 'open', $2, $3, $4, 1) RETURNING id`,
        [citizenId, responsible, dto.receivedOn, principal.kind === 'user' ? principal.id : null],
      );
    }
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO inquiry (case_id, received_on, channel, request, standard_code, standard_version_id, standard_version_no,
                            casework_deadline, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [caseId, dto.receivedOn, dto.channel, dto.request.trim(), dto.standardCode, standard.id, standard.versionNo, addDays(dto.receivedOn, standard.caseworkDeadlineDays), principal.kind === 'user' ? principal.id : null],
    );
    await this.accessLog.record(
      principal,
      ...(open ? [] : [{ action: 'create' as const, objectType: 'case', objectId: caseId, citizenId, purpose }]),
      { action: 'create', objectType: 'inquiry', objectId: id, citizenId, purpose },
    );
    const [inquiry] = await this.inquiries(caseId!, id);
    return { ...inquiry, caseOpened: !open };
  }

  @Transactional()
  async listForCitizen(principal: Principal, purpose: Purpose, citizenId: string): Promise<CaseView[]> {
    await this.citizens.requireVisible(principal, citizenId);
    const rows: CaseRow[] = await this.db.query(`${SELECT_CASE} WHERE citizen_id = $1 ORDER BY opened_on DESC, created_at DESC, id`, [citizenId]);
    const inquiries = await this.inquiries(rows.map((r) => r.id));
    await this.accessLog.record(principal, { action: 'read', objectType: 'case', citizenId, purpose });
    return rows.map((r) => this.view(r, inquiries));
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<CaseView> {
    const row = await this.requireCase(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'case', objectId: id, citizenId: row.citizen_id, purpose });
    return this.view(row, await this.inquiries([id]));
  }

  /** Change the responsible caseworker and/or close the case; stale If-Match is 409 and changes nothing. */
  @Transactional()
  async update(principal: Principal, purpose: Purpose, id: string, version: number, dto: UpdateCaseDto): Promise<CaseView> {
    const current = await this.requireCase(principal, id);
    if (current.status === 'closed') throw conflict('the case is closed; a new inquiry opens a new case');
    if (dto.responsibleCaseworkerId) await this.caseworkers.require(principal, dto.responsibleCaseworkerId, '/responsibleCaseworkerId');
    const [row] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE citizen_case SET responsible_caseworker_id = coalesce($3, responsible_caseworker_id),
                status = CASE WHEN $4::boolean THEN 'closed' ELSE status END,
                closed_on = CASE WHEN $4::boolean THEN greatest($5::date, opened_on) ELSE closed_on END,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, version, dto.responsibleCaseworkerId ?? null, dto.status === 'closed', danishDate(this.clock.now())],
      ),
    );
    if (!row)
      throw new DomainError('versionMismatch', 'the case was changed by someone else; reload and retry', [{ pointer: '#header/If-Match', reason: 'stale version' }]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'case', objectId: id, citizenId: current.citizen_id, purpose });
    return this.view((await this.db.query(`${SELECT_CASE} WHERE id = $1`, [id]))[0] as CaseRow, await this.inquiries([id]));
  }

  @Transactional()
  async addNote(principal: Principal, purpose: Purpose, caseId: string, dto: CreateNoteDto): Promise<NoteView> {
    const c = await this.requireCase(principal, caseId);
    if (dto.amendsNoteId) {
      const [amended]: { id: string }[] = await this.db.query('SELECT id FROM journal_note WHERE id = $1 AND case_id = $2', [dto.amendsNoteId, caseId]);
      if (!amended) throw ruleViolated('the amended note is not a note of this case', '/amendsNoteId');
    }
    const [{ id }]: { id: string }[] = await this.db.query(
      'INSERT INTO journal_note (case_id, text, amends_note_id, author_user_id) VALUES ($1, $2, $3, $4) RETURNING id',
      [caseId, dto.text, dto.amendsNoteId ?? null, principal.kind === 'user' ? principal.id : null],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'journalNote', objectId: id, citizenId: c.citizen_id, purpose });
    const [note] = await this.notes(caseId, null, 1, id);
    return toNote(note);
  }

  /** Notes oldest first, each with the notes that amend it. */
  @Transactional()
  async listNotes(principal: Principal, purpose: Purpose, caseId: string, q: PageQuery): Promise<NotePage> {
    const c = await this.requireCase(principal, caseId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows = await this.notes(caseId, after, limit + 1);
    await this.accessLog.record(principal, { action: 'read', objectType: 'journalNote', objectId: null, citizenId: c.citizen_id, purpose });
    // The cursor keeps the microseconds: a Date would round them away and repeat or skip rows between pages.
    const page = pageOf(rows, limit, (r) => [r.recorded_at_us, r.id]);
    return { items: page.items.map(toNote), nextCursor: page.nextCursor };
  }

  /** The case, or 404 when it does not exist or its citizen is outside the caller's scope. */
  async requireCase(principal: Principal, id: string): Promise<CaseRow> {
    const [row]: CaseRow[] = await this.db.query(`${SELECT_CASE} WHERE id = $1`, [id]);
    if (!row || !CASE_ROLES.includes(principal.role)) throw notFound('case');
    await this.citizens.requireVisible(principal, row.citizen_id);
    return row;
  }

  /** An inquiry of the case (for another context that cites it), or a 422 at `pointer`. No access log: no personal data leaves. */
  async requireInquiry(caseId: string, inquiryId: string, pointer: string): Promise<InquiryView> {
    const [inquiry] = await this.inquiries(caseId, inquiryId);
    if (!inquiry) throw ruleViolated('the inquiry is not an inquiry of this case', pointer);
    return inquiry;
  }

  /** An inquiry by id with its case, or 404 when it does not exist or its citizen is outside the caller's scope. */
  async requireInquiryById(principal: Principal, inquiryId: string): Promise<{ inquiry: InquiryView; case: CaseRow }> {
    const [row]: { case_id: string }[] = await this.db.query('SELECT case_id FROM inquiry WHERE id = $1', [inquiryId]);
    if (!row) throw notFound('inquiry');
    const c = await this.requireCase(principal, row.case_id).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw notFound('inquiry');
      throw err;
    });
    const [inquiry] = await this.inquiries(c.id, inquiryId);
    return { inquiry, case: c };
  }

  private notes(caseId: string, after: [string, string] | null, limit: number, id?: string): Promise<NoteRow[]> {
    return this.db.query(
      `SELECT n.id, n.case_id, n.text, n.amends_note_id, n.author_user_id, n.recorded_at,
              to_char(n.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at_us,
              coalesce((SELECT array_agg(a.id ORDER BY a.recorded_at, a.id) FROM journal_note a WHERE a.amends_note_id = n.id), '{}') AS amended_by
         FROM journal_note n
        WHERE n.case_id = $1 AND ($2::uuid IS NULL OR n.id = $2)
          AND ($3::timestamptz IS NULL OR (n.recorded_at, n.id) > ($3::timestamptz, $4::uuid))
        ORDER BY n.recorded_at, n.id LIMIT $5`,
      [caseId, id ?? null, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  private async inquiries(caseIds: string[] | string, id?: string): Promise<InquiryView[]> {
    const ids = Array.isArray(caseIds) ? caseIds : [caseIds];
    if (!ids.length) return [];
    const rows: InquiryRow[] = await this.db.query(
      `SELECT i.id, i.case_id, i.received_on::text AS received_on, i.channel, i.request, i.standard_code,
              i.standard_version_no, i.casework_deadline::text AS casework_deadline, i.created_at
         FROM inquiry i
        WHERE i.case_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR i.id = $2)
        ORDER BY i.received_on, i.created_at, i.id`,
      [ids, id ?? null],
    );
    return rows.map(toInquiry);
  }

  private view(r: CaseRow, inquiries: InquiryView[]): CaseView {
    const own = inquiries.filter((i) => i.caseId === r.id);
    const deadline = own.length ? own.map((i) => i.caseworkDeadline).sort()[0] : null;
    return {
      id: r.id,
      citizenId: r.citizen_id,
      status: r.status,
      responsibleCaseworkerId: r.responsible_caseworker_id,
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      caseworkDeadline: deadline,
      overdue: r.status === 'open' && deadline !== null && deadline < danishDate(this.clock.now()),
      inquiries: own,
      version: r.version,
    };
  }
}
