import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, FieldError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { CaseService } from 'src/modules/citizens/case.service';
import { CaseworkerCheck } from 'src/modules/citizens/caseworker-check';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CreateAssessmentDto, UpdateAssessmentDto } from 'src/modules/visitation/assessment.dto';
import { AssessmentRow, contentErrors, isActivityTheme, SectionRow, SupportNeedRow, text, toView } from 'src/modules/visitation/assessment-content';
import { AssessmentView } from 'src/modules/visitation/assessment.view';
import 'src/modules/visitation/visitation.errors';

const SELECT_ASSESSMENT = `
  SELECT id, citizen_id, case_id, status, assessed_on::text AS assessed_on, background, citizen_wishes, professional_assessment,
         caseworker_id, completed_at, completed_by, created_at, version
    FROM assessment`;

/** The columns a PATCH may set, by DTO field. */
const COLUMNS = {
  assessedOn: 'assessed_on',
  background: 'background',
  citizenWishes: 'citizen_wishes',
  professionalAssessment: 'professional_assessment',
} as const;

/**
 * Udredning (VUM 2.0): a draft is filled in over one or more visits and completed once; a completed
 * assessment never changes (the database refuses it too). Decisions cite a completed assessment.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly cases: CaseService,
    private readonly caseworkers: CaseworkerCheck,
    private readonly standards: QualityStandardService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, caseId: string, dto: CreateAssessmentDto): Promise<AssessmentView> {
    const c = await this.cases.requireCase(principal, caseId);
    if (c.status !== 'open') throw ruleViolated('the case is closed; a new inquiry opens a new case');
    const caseworkerId = await this.caseworkerOf(principal, dto.caseworkerId);
    await this.checkContent(dto);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO assessment (citizen_id, case_id, status, assessed_on, background, citizen_wishes, professional_assessment, caseworker_id, version)
       VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, 1) RETURNING id`,
      [c.citizen_id, caseId, dto.assessedOn ?? null, text(dto.background), text(dto.citizenWishes), text(dto.professionalAssessment), caseworkerId],
    );
    await this.writeParts(id, dto);
    await this.accessLog.record(principal, { action: 'create', objectType: 'assessment', objectId: id, citizenId: c.citizen_id, purpose });
    return (await this.views([await this.row(id)]))[0];
  }

  /** The case's assessments, newest first, with their content. */
  @Transactional()
  async listForCase(principal: Principal, purpose: Purpose, caseId: string): Promise<AssessmentView[]> {
    const c = await this.cases.requireCase(principal, caseId);
    const rows: AssessmentRow[] = await this.db.query(`${SELECT_ASSESSMENT} WHERE case_id = $1 ORDER BY created_at DESC, id DESC`, [caseId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'assessment', citizenId: c.citizen_id, purpose });
    return this.views(rows);
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<AssessmentView> {
    const row = await this.visible(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'assessment', objectId: id, citizenId: row.citizen_id, purpose });
    return (await this.views([row]))[0];
  }

  /** Change a draft (If-Match); each section and support need given replaces its row. */
  @Transactional()
  async update(principal: Principal, purpose: Purpose, id: string, version: number, dto: UpdateAssessmentDto): Promise<AssessmentView> {
    const current = await this.visible(principal, id);
    if (current.status === 'completed') throw this.completedConflict();
    await this.checkContent(dto);
    const sets: string[] = [];
    const params: unknown[] = [id, version];
    for (const [field, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
      const value = dto[field];
      if (value === undefined) continue;
      params.push(field === 'assessedOn' ? value : text(value));
      sets.push(`${column} = $${params.length}`);
    }
    const [row] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE assessment SET ${sets.map((s) => `${s}, `).join('')}version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 AND status = 'draft' RETURNING id`,
        params,
      ),
    );
    if (!row) {
      if ((await this.row(id)).status === 'completed') throw this.completedConflict();
      throw this.staleVersion();
    }
    await this.writeParts(id, dto);
    await this.accessLog.record(principal, { action: 'update', objectType: 'assessment', objectId: id, citizenId: current.citizen_id, purpose });
    return (await this.views([await this.row(id)]))[0];
  }

  /**
   * draft → completed (If-Match). Refused with every missing item at once: the date (not in the future), the
   * citizen's own wishes, all six activity themes (scored or not assessed), and a support-need level for
   * every service the case's inquiries ask for.
   */
  @Transactional()
  async complete(principal: Principal, purpose: Purpose, id: string, version: number): Promise<AssessmentView> {
    const visible = await this.visible(principal, id);
    if (visible.status === 'completed') throw this.completedConflict();
    await this.db.query('SELECT 1 FROM assessment WHERE id = $1 FOR UPDATE', [id]);
    const current = await this.row(id);
    if (current.status === 'completed') throw this.completedConflict();
    if (current.version !== version) throw this.staleVersion();

    const [view] = await this.views([current]);
    const asked = [...new Set((await this.cases.get(principal, purpose, current.case_id)).inquiries.map((i) => i.standardCode))].sort();
    const errors: FieldError[] = [];
    if (!view.assessedOn) errors.push({ pointer: '/assessedOn', reason: 'the date of the assessment (udredningsdato) is required' });
    else if (view.assessedOn > danishDate(this.clock.now())) errors.push({ pointer: '/assessedOn', reason: 'the assessment cannot be dated in the future' });
    if (!view.citizenWishes)
      errors.push({ pointer: '/citizenWishes', reason: "record the citizen's own wishes (or that the citizen does not wish to say)" });
    for (const theme of view.sections.activityThemes)
      if (theme.level === null && !theme.notAssessed)
        errors.push({ pointer: `/sections/${theme.section}`, reason: 'score the activity theme 0–4 or mark it not assessed (ikke vurderet)' });
    const assessed = new Set(view.supportNeeds.map((n) => n.standardCode));
    for (const code of asked)
      if (!assessed.has(code)) errors.push({ pointer: `/supportNeeds/${code}`, reason: `the case asks for ${code}: assess the support need (støttebehov)` });
    if (errors.length)
      throw new DomainError('ruleViolated', `the assessment cannot be completed: ${errors.map((e) => e.pointer).join(', ')}`, errors);

    await this.db.query(
      `UPDATE assessment SET status = 'completed', completed_at = now(), completed_by = $3, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2`,
      [id, version, principal.id],
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'assessment', objectId: id, citizenId: current.citizen_id, purpose });
    return (await this.views([await this.row(id)]))[0];
  }

  /**
   * For decisions: the assessment, if it exists, the caller may see it, it belongs to the case and is
   * completed; otherwise 422 on /assessmentId. Runs in the caller's transaction; the caller logs its action.
   */
  async requireCompleted(principal: Principal, assessmentId: string, caseId: string): Promise<AssessmentView> {
    const refused = () => ruleViolated('the assessment is not a completed assessment of this case', '/assessmentId');
    const [row]: AssessmentRow[] = await this.db.query(`${SELECT_ASSESSMENT} WHERE id = $1`, [assessmentId]);
    if (!row || row.case_id !== caseId || row.status !== 'completed') throw refused();
    await this.cases.requireCase(principal, row.case_id).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'notFound' ? refused() : err;
    });
    return (await this.views([row]))[0];
  }

  /** The assessment, or 404 when it does not exist or its case is outside the caller's scope. */
  private async visible(principal: Principal, id: string): Promise<AssessmentRow> {
    const [row]: AssessmentRow[] = await this.db.query(`${SELECT_ASSESSMENT} WHERE id = $1`, [id]);
    if (!row) throw notFound('assessment');
    await this.cases.requireCase(principal, row.case_id).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'notFound' ? notFound('assessment') : err;
    });
    return row;
  }

  private async row(id: string): Promise<AssessmentRow> {
    const [row]: AssessmentRow[] = await this.db.query(`${SELECT_ASSESSMENT} WHERE id = $1`, [id]);
    if (!row) throw notFound('assessment');
    return row;
  }

  private async caseworkerOf(principal: Principal, given: string | undefined): Promise<string> {
    if (given) {
      await this.caseworkers.require(principal, given, '/caseworkerId');
      return given;
    }
    if (principal.kind === 'user' && this.caseworkers.isCaseworkerRole(principal.role)) return principal.id;
    throw ruleViolated('give caseworkerId: the caseworker who makes the assessment', '/caseworkerId');
  }

  /** The content rules the DTO cannot express (see contentErrors), with the standards checked in the catalogue. */
  private async checkContent(dto: UpdateAssessmentDto): Promise<void> {
    const unknown = new Set<string>();
    for (const code of new Set((dto.supportNeeds ?? []).map((n) => n.standardCode))) if (!(await this.standardExists(code))) unknown.add(code);
    const errors = contentErrors(dto, unknown);
    if (errors.length) {
      const badDate = errors.some((e) => e.pointer === '/assessedOn');
      throw new DomainError(badDate ? 'validationFailed' : 'ruleViolated', errors.map((e) => `${e.pointer}: ${e.reason}`).join('; '), errors);
    }
  }

  private standardExists(code: string): Promise<boolean> {
    return this.standards.get(code).then(
      () => true,
      (err: unknown) => {
        if (err instanceof DomainError && err.code === 'notFound') return false;
        throw err;
      },
    );
  }

  /** Upserts the sections and support needs given: one statement each. */
  private async writeParts(id: string, dto: UpdateAssessmentDto): Promise<void> {
    if (dto.sections?.length)
      await this.db.query(
        `INSERT INTO assessment_section (assessment_id, section, level, description, sources)
         SELECT $1, s.section, s.level, s.description, s.sources
           FROM jsonb_to_recordset($2::jsonb) AS s(section text, level smallint, description text, sources text[])
         ON CONFLICT (assessment_id, section) DO UPDATE SET level = EXCLUDED.level, description = EXCLUDED.description, sources = EXCLUDED.sources`,
        [
          id,
          JSON.stringify(
            dto.sections.map((s) => ({ section: s.section, level: isActivityTheme(s.section) ? (s.level ?? null) : null, description: text(s.description), sources: s.sources ?? [] })),
          ),
        ],
      );
    if (dto.supportNeeds?.length)
      await this.db.query(
        `INSERT INTO assessment_support_need (assessment_id, standard_code, level, note)
         SELECT $1, n.standard_code, n.level, n.note FROM jsonb_to_recordset($2::jsonb) AS n(standard_code text, level text, note text)
         ON CONFLICT (assessment_id, standard_code) DO UPDATE SET level = EXCLUDED.level, note = EXCLUDED.note`,
        [id, JSON.stringify(dto.supportNeeds.map((n) => ({ standard_code: n.standardCode, level: n.level, note: text(n.note) })))],
      );
  }

  /** Views of several assessments: three queries however many there are. */
  private async views(rows: AssessmentRow[]): Promise<AssessmentView[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const sections: SectionRow[] = await this.db.query(
      'SELECT assessment_id, section, level, description, sources FROM assessment_section WHERE assessment_id = ANY($1::uuid[])',
      [ids],
    );
    const needs: SupportNeedRow[] = await this.db.query(
      'SELECT assessment_id, standard_code, level, note FROM assessment_support_need WHERE assessment_id = ANY($1::uuid[]) ORDER BY standard_code',
      [ids],
    );
    return rows.map((r) =>
      toView(
        r,
        sections.filter((x) => x.assessment_id === r.id),
        needs.filter((n) => n.assessment_id === r.id),
      ),
    );
  }

  private completedConflict() {
    return conflict('the assessment is completed and never changes; make a new assessment');
  }

  private staleVersion() {
    return new DomainError('versionMismatch', 'the assessment was changed by someone else; reload and retry', [{ pointer: '#header/If-Match', reason: 'stale version' }]);
  }
}
