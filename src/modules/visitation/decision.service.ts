import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, FieldError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import type { VersionView } from 'src/modules/catalogue/catalogue.dto';
import { legalText } from 'src/modules/catalogue/version-row';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { CaseRow, CaseService } from 'src/modules/citizens/case.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import type { OrgUnitView } from 'src/modules/organisation/organisation.dto';
import { CreateDecisionDto, GoalDto, PanelReviewDto, UpdateDecisionDto } from 'src/modules/visitation/decision.dto';
import { DecisionRow, num, SELECT_DECISION, toDecisionView } from 'src/modules/visitation/decision-row';
import { checkDecision, ExistingGrant } from 'src/modules/visitation/decision-rules';
import { GrantService } from 'src/modules/visitation/grant.service';
import { DECIDING_ROLES, DecisionKind, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { DecisionView, GoalView, PanelReviewView } from 'src/modules/visitation/visitation.dto';
import 'src/modules/visitation/visitation.errors';

/** A decision's content, as stored and as checked (the DTOs merged onto the current row). */
interface Fields {
  kind: DecisionKind;
  standardCode: string;
  grantId: string | null;
  decidedOn: string;
  inquiryId: string | null;
  assessmentId: string | null;
  scope: number | null;
  requestedScope: number | null;
  validFrom: string | null;
  validTo: string | null;
  institutionId: string | null;
  servicePurpose: string | null;
  reasoning: string;
  leastInterventionJustification: string | null;
  hearingHeldOn: string | null;
  hearingSummary: string | null;
  hearingExemptionReason: string | null;
}

const pick = <T>(given: T | undefined, current: T): T => (given === undefined ? current : given);
const trimmed = (s: string | null | undefined) => (s === null || s === undefined ? null : s.trim() || null);

/**
 * Afgørelser: drafted by a caseworker, checked against the quality-standard version in force on the decision
 * date, reviewed by the visitation panel where the standard says so. Notification lives in
 * DecisionNotificationService; this service keeps drafts and the panel's review.
 */
@Injectable()
export class DecisionService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly citizens: CitizenService,
    private readonly cases: CaseService,
    private readonly standards: QualityStandardService,
    private readonly units: OrgUnitService,
    private readonly grants: GrantService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, caseId: string, dto: CreateDecisionDto): Promise<DecisionView> {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members make decisions');
    const c = await this.cases.requireCase(principal, caseId);
    if (c.status === 'closed') throw conflict('the case is closed; a new inquiry opens a new case');
    if ((dto.kind === 'change' || dto.kind === 'termination') !== (dto.grantId !== undefined))
      throw ruleViolated(dto.grantId ? 'only a change or termination refers to a grant' : `a ${dto.kind} names the grant it acts on`, '/grantId');
    let standardCode = dto.standardCode;
    let grant: Awaited<ReturnType<GrantService['forDecision']>> | null = null;
    if (dto.grantId) {
      grant = await this.grants.forDecision(c.citizen_id, dto.grantId);
      if (standardCode && standardCode !== grant.standardCode) throw ruleViolated(`the grant is of ${grant.standardCode}`, '/standardCode');
      standardCode = grant.standardCode;
    }
    if (!standardCode) throw ruleViolated('name the service (standardCode)', '/standardCode');
    const fields: Fields = {
      kind: dto.kind,
      standardCode,
      grantId: dto.grantId ?? null,
      decidedOn: dto.decidedOn ?? this.today(),
      inquiryId: dto.inquiryId ?? null,
      assessmentId: dto.assessmentId ?? null,
      scope: dto.scope ?? (dto.kind === 'change' ? (grant?.scope ?? null) : null),
      requestedScope: dto.requestedScope ?? null,
      validFrom: dto.kind === 'termination' ? null : (dto.validFrom ?? null),
      validTo: dto.validTo ?? (dto.kind === 'change' ? (grant?.validTo ?? null) : null),
      institutionId: dto.institutionId ?? (dto.kind === 'change' ? (grant?.institutionId ?? null) : null),
      servicePurpose: trimmed(dto.servicePurpose),
      reasoning: dto.reasoning,
      leastInterventionJustification: trimmed(dto.leastInterventionJustification),
      hearingHeldOn: dto.hearing?.heldOn ?? null,
      hearingSummary: dto.hearing?.summary ?? null,
      hearingExemptionReason: trimmed(dto.hearingExemptionReason),
    };
    const standard = await this.check(principal, c, fields, dto.goals ?? []);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO decision (citizen_id, case_id, kind, standard_id, standard_code, standard_version_id, standard_version_no,
                             legal_basis, scope_unit, least_intervention_required, panel_required, appealable, caseworker_id,
                             grant_id, decided_on, inquiry_id, assessment_id, scope, requested_scope, valid_from, valid_to,
                             institution_id, service_purpose, reasoning, least_intervention_justification, hearing_held_on,
                             hearing_summary, hearing_exemption_reason, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
               $25, $26, $27, $28, 1) RETURNING id`,
      [
        c.citizen_id,
        caseId,
        fields.kind,
        standard.standardId,
        standard.standardCode,
        standard.id,
        standard.versionNo,
        legalText(standard.legalBasis.law, standard.legalBasis.paragraph, standard.legalBasis.subsection),
        standard.scopeUnit,
        standard.leastInterventionRule,
        standard.panelApprovalRequired && fields.kind !== 'termination',
        standard.appealable,
        principal.id,
        ...this.contentParams(fields),
      ],
    );
    await this.replaceGoals(id, dto.goals ?? []);
    await this.accessLog.record(principal, { action: 'create', objectType: 'decision', objectId: id, citizenId: c.citizen_id, purpose });
    return this.view(await this.requireRow(id));
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<DecisionView> {
    const row = await this.requireDecision(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'decision', objectId: id, citizenId: row.citizen_id, purpose });
    return this.view(row);
  }

  @Transactional()
  async listForCase(principal: Principal, purpose: Purpose, caseId: string, status?: string): Promise<DecisionView[]> {
    const c = await this.cases.requireCase(principal, caseId);
    const rows: DecisionRow[] = await this.db.query(`${SELECT_DECISION} WHERE d.case_id = $1 AND ($2::text IS NULL OR d.status = $2) ORDER BY d.created_at DESC, d.id`, [
      caseId,
      status ?? null,
    ]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'decision', citizenId: c.citizen_id, purpose });
    return this.views(rows);
  }

  /** Edit a draft (If-Match); everything is checked again against the standard version in force. */
  @Transactional()
  async update(principal: Principal, purpose: Purpose, id: string, version: number, dto: UpdateDecisionDto): Promise<DecisionView> {
    const current = await this.lockForChange(principal, id, version);
    const c = await this.cases.requireCase(principal, current.case_id);
    const fields: Fields = {
      kind: current.kind,
      standardCode: current.standard_code,
      grantId: current.grant_id,
      decidedOn: pick(dto.decidedOn, current.decided_on),
      inquiryId: pick(dto.inquiryId, current.inquiry_id),
      assessmentId: pick(dto.assessmentId, current.assessment_id),
      scope: pick(dto.scope, num(current.scope)),
      requestedScope: pick(dto.requestedScope, num(current.requested_scope)),
      validFrom: current.kind === 'termination' ? null : pick(dto.validFrom, current.valid_from),
      validTo: pick(dto.validTo, current.valid_to),
      institutionId: pick(dto.institutionId, current.institution_id),
      servicePurpose: dto.servicePurpose === undefined ? current.service_purpose : trimmed(dto.servicePurpose),
      reasoning: pick(dto.reasoning, current.reasoning),
      leastInterventionJustification:
        dto.leastInterventionJustification === undefined ? current.least_intervention_justification : trimmed(dto.leastInterventionJustification),
      hearingHeldOn: dto.hearing === undefined ? current.hearing_held_on : (dto.hearing?.heldOn ?? null),
      hearingSummary: dto.hearing === undefined ? current.hearing_summary : (dto.hearing?.summary ?? null),
      hearingExemptionReason: dto.hearingExemptionReason === undefined ? current.hearing_exemption_reason : trimmed(dto.hearingExemptionReason),
    };
    const standard = await this.check(principal, c, fields, dto.goals ?? []);
    await this.db.query(
      `UPDATE decision SET standard_version_id = $3, standard_version_no = $4, legal_basis = $5, scope_unit = $6,
              least_intervention_required = $7, panel_required = $8, appealable = $9,
              grant_id = $10, decided_on = $11, inquiry_id = $12, assessment_id = $13, scope = $14, requested_scope = $15,
              valid_from = $16, valid_to = $17, institution_id = $18, service_purpose = $19, reasoning = $20,
              least_intervention_justification = $21, hearing_held_on = $22, hearing_summary = $23, hearing_exemption_reason = $24,
              version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2`,
      [
        id,
        version,
        standard.id,
        standard.versionNo,
        legalText(standard.legalBasis.law, standard.legalBasis.paragraph, standard.legalBasis.subsection),
        standard.scopeUnit,
        standard.leastInterventionRule,
        standard.panelApprovalRequired && fields.kind !== 'termination',
        standard.appealable,
        ...this.contentParams(fields),
      ],
    );
    if (dto.goals) await this.replaceGoals(id, dto.goals);
    await this.accessLog.record(principal, { action: 'update', objectType: 'decision', objectId: id, citizenId: current.citizen_id, purpose });
    return this.view(await this.requireRow(id));
  }

  /** Discard a draft (nothing was decided). */
  @Transactional()
  async discard(principal: Principal, purpose: Purpose, id: string, version: number): Promise<void> {
    const current = await this.lockForChange(principal, id, version);
    await this.db.query('DELETE FROM decision WHERE id = $1', [id]);
    await this.accessLog.record(principal, { action: 'delete', objectType: 'decision', objectId: id, citizenId: current.citizen_id, purpose });
  }

  /** Send a draft to the visitation panel (only where the standard requires its approval). */
  @Transactional()
  async submit(principal: Principal, purpose: Purpose, id: string, version: number): Promise<DecisionView> {
    const current = await this.lockForChange(principal, id, version);
    if (!current.panel_required) throw ruleViolated(`${current.standard_code} needs no panel approval: notify the decision directly`);
    await this.db.query(`UPDATE decision SET status = 'awaitingPanel', version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'decision', objectId: id, citizenId: current.citizen_id, purpose });
    return this.view(await this.requireRow(id));
  }

  /** The panel approves, or returns the decision to its caseworker with a comment. Never one's own decision. */
  @Transactional()
  async review(principal: Principal, purpose: Purpose, id: string, dto: PanelReviewDto): Promise<DecisionView> {
    const current = await this.requireDecision(principal, id);
    await this.db.query('SELECT 1 FROM decision WHERE id = $1 FOR UPDATE', [id]);
    if (current.caseworker_id === principal.id) throw new DomainError('forbidden', 'you cannot review your own decision: another panel member must');
    const [row] = (await this.db.query('SELECT status FROM decision WHERE id = $1', [id])) as { status: string }[];
    if (row.status !== 'awaitingPanel') throw conflict(`the decision is ${row.status}, not awaiting the panel`);
    const comment = trimmed(dto.comment);
    if (dto.outcome === 'returned' && !comment) throw ruleViolated('say why the decision is returned', '/comment');
    await this.db.query('INSERT INTO panel_review (decision_id, reviewer_id, outcome, comment) VALUES ($1, $2, $3, $4)', [id, principal.id, dto.outcome, comment]);
    await this.db.query(`UPDATE decision SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
      id,
      dto.outcome === 'approved' ? 'approved' : 'draft',
    ]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'decision', objectId: id, citizenId: current.citizen_id, purpose });
    return this.view(await this.requireRow(id));
  }

  /** The decision, or 404 when it does not exist or its citizen is outside the caller's scope. */
  async requireDecision(principal: Principal, id: string): Promise<DecisionRow> {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound('decision');
    const row = await this.findRow(id);
    if (!row) throw notFound('decision');
    await this.citizens.requireVisible(principal, row.citizen_id);
    return row;
  }

  async requireRow(id: string): Promise<DecisionRow> {
    const row = await this.findRow(id);
    if (!row) throw notFound('decision');
    return row;
  }

  async view(row: DecisionRow): Promise<DecisionView> {
    return (await this.views([row]))[0];
  }

  async views(rows: DecisionRow[]): Promise<DecisionView[]> {
    const ids = rows.map((r) => r.id);
    const goals: (GoalView & { decision_id: string })[] = ids.length
      ? await this.db.query(
          `SELECT decision_id, ordinal, description, primary_theme AS "primaryTheme", secondary_themes AS "secondaryThemes",
                  target_level AS "targetLevel", goal_type AS "goalType"
             FROM decision_goal WHERE decision_id = ANY($1::uuid[]) ORDER BY ordinal`,
          [ids],
        )
      : [];
    const reviews: (PanelReviewView & { decision_id: string; reviewed: Date })[] = ids.length
      ? await this.db.query(
          `SELECT decision_id, id, reviewer_id AS "reviewerId", outcome, comment, reviewed_at AS reviewed
             FROM panel_review WHERE decision_id = ANY($1::uuid[]) ORDER BY reviewed_at, id`,
          [ids],
        )
      : [];
    return rows.map((r) =>
      toDecisionView(
        r,
        goals.filter((g) => g.decision_id === r.id).map(({ decision_id: _, ...g }) => g),
        reviews.filter((v) => v.decision_id === r.id).map(({ decision_id: _, reviewed, ...v }) => ({ ...v, reviewedAt: reviewed.toISOString() })),
      ),
    );
  }

  private async findRow(id: string): Promise<DecisionRow | undefined> {
    const [row]: DecisionRow[] = await this.db.query(`${SELECT_DECISION} WHERE d.id = $1`, [id]);
    return row;
  }

  /** Locks a draft for a change by its caseworker's colleagues: stale version 409, not a draft 409. */
  private async lockForChange(principal: Principal, id: string, version: number): Promise<DecisionRow> {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members change decisions');
    const current = await this.requireDecision(principal, id);
    await this.db.query('SELECT 1 FROM decision WHERE id = $1 FOR UPDATE', [id]);
    const locked = await this.requireRow(id);
    if (locked.version !== version)
      throw new DomainError('versionMismatch', `the decision was changed by someone else (now version ${locked.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    if (locked.status !== 'draft')
      throw conflict(locked.status === 'notified' ? 'a notified decision never changes; make a new decision' : `the decision is ${locked.status}: only a draft is changed`);
    return { ...current, ...locked };
  }

  /** Every rule at once: the references (inquiry, assessment, grant), then the standard's rules; one 422 lists all. */
  private async check(principal: Principal, c: CaseRow, f: Fields, goals: GoalDto[]): Promise<VersionView> {
    const errors: FieldError[] = [];
    if (f.decidedOn > this.today()) errors.push({ pointer: '/decidedOn', reason: 'the decision date cannot be in the future' });
    const standard = await this.standards.inForce(f.standardCode, f.decidedOn).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated(`no version of ${f.standardCode} was in force on ${f.decidedOn}`, '/standardCode');
      throw err;
    });
    if (f.inquiryId) await this.cases.requireInquiry(c.id, f.inquiryId, '/inquiryId');
    if (f.assessmentId) {
      const [a]: { status: string; case_id: string }[] = await this.db.query('SELECT status, case_id FROM assessment WHERE id = $1', [f.assessmentId]);
      if (!a || a.case_id !== c.id || a.status !== 'completed') errors.push({ pointer: '/assessmentId', reason: 'the assessment is not a completed assessment of this case' });
    }
    goals.forEach((g, i) => {
      if (g.secondaryThemes?.includes(g.primaryTheme)) errors.push({ pointer: `/goals/${i}/secondaryThemes`, reason: 'the primary theme is not also a secondary one' });
    });
    if ((f.hearingHeldOn || f.hearingSummary) && f.hearingExemptionReason)
      errors.push({ pointer: '/hearingExemptionReason', reason: 'record a hearing or an exemption, not both' });
    if (f.hearingHeldOn && f.hearingHeldOn > this.today()) errors.push({ pointer: '/hearing/heldOn', reason: 'the hearing date cannot be in the future' });
    const citizen = await this.citizens.requireVisible(principal, c.citizen_id);
    const { institution, area } = await this.institution(f.institutionId);
    let grant: ExistingGrant | null = null;
    if (f.grantId) grant = await this.grants.forDecision(c.citizen_id, f.grantId);
    errors.push(
      ...checkDecision(
        { ...f, reasoning: f.reasoning ?? '' },
        { standard, citizen: { anonymous: citizen.anonymous, birthDate: citizen.birth_date }, institution, area, grant },
      ),
    );
    if (errors.length)
      throw new DomainError('ruleViolated', `the decision breaks ${errors.length === 1 ? 'a rule' : `${errors.length} rules`}: ${errors.map((e) => e.reason).join('; ')}`, errors);
    return standard;
  }

  private async institution(id: string | null): Promise<{ institution: OrgUnitView | null; area: OrgUnitView | null }> {
    if (!id) return { institution: null, area: null };
    const institution = await this.units.getUnit(id, 'institution').catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated('the institution does not exist', '/institutionId');
      throw err;
    });
    const area = !institution.external && institution.parentId ? await this.units.getUnit(institution.parentId, 'operatingArea').catch(() => null) : null;
    return { institution, area };
  }

  private contentParams(f: Fields): unknown[] {
    return [
      f.grantId,
      f.decidedOn,
      f.inquiryId,
      f.assessmentId,
      f.scope,
      f.requestedScope,
      f.validFrom,
      f.validTo,
      f.institutionId,
      f.servicePurpose,
      f.reasoning,
      f.leastInterventionJustification,
      f.hearingHeldOn,
      f.hearingSummary,
      f.hearingExemptionReason,
    ];
  }

  private async replaceGoals(decisionId: string, goals: GoalDto[]): Promise<void> {
    rowsOf(await this.db.query('DELETE FROM decision_goal WHERE decision_id = $1', [decisionId]));
    if (!goals.length) return;
    await this.db.query(
      `INSERT INTO decision_goal (decision_id, ordinal, description, primary_theme, secondary_themes, target_level, goal_type)
       SELECT $1, g.ordinal, g.description, g.primary_theme, g.secondary_themes, g.target_level, g.goal_type
         FROM jsonb_to_recordset($2::jsonb) AS g(ordinal int, description text, primary_theme text, secondary_themes text[],
                                                  target_level int, goal_type text)`,
      [
        decisionId,
        JSON.stringify(
          goals.map((g, i) => ({
            ordinal: i + 1,
            description: g.description.trim(),
            primary_theme: g.primaryTheme,
            secondary_themes: g.secondaryThemes ?? [],
            target_level: g.targetLevel,
            goal_type: g.goalType,
          })),
        ),
      ],
    );
  }

  private today(): string {
    return danishDate(this.clock.now());
  }
}
