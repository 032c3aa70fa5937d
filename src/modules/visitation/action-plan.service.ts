import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, FieldError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import type { ActionPlanRule } from 'src/modules/catalogue/catalogue.constants';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { CaseService } from 'src/modules/citizens/case.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import {
  ActionPlanContentDto,
  CreateActionPlanDto,
  CreateActionPlanVersionDto,
  OfferActionPlanDto,
  RespondActionPlanDto,
} from 'src/modules/visitation/action-plan.dto';
import {
  CoveredGrantRow,
  goalsOf,
  GoalRow,
  PlanRow,
  SELECT_COVERED_GRANT,
  SELECT_GOALS,
  SELECT_PLAN,
  SELECT_VERSION,
  toVersionView,
  VersionRow,
} from 'src/modules/visitation/action-plan-row';
import { ActionPlanView, OrderActionPlanView } from 'src/modules/visitation/action-plan.view';
import { SubGoalReader } from 'src/modules/visitation/sub-goal-reader';
import { OrderService } from 'src/modules/visitation/order.service';
import { ActionPlanBasis, DECIDING_ROLES, INSTITUTION_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import 'src/modules/visitation/visitation.errors';

/** A version's content as stored. */
interface Content {
  purpose: string;
  services: string;
  grantIds: string[];
  expectedDuration: string;
  otherMatters: string | null;
}

/** What the catalogue says about the standard of a grant (or admission). */
interface StandardFacts {
  actionPlan: ActionPlanRule;
  section110: boolean;
}

const trimmed = (s: string | null | undefined) => (s === null || s === undefined ? null : s.trim() || null);

/**
 * Handleplaner (SEL § 141; § 142 for a § 110 stay). A plan belongs to a case and its citizen; its content lives in
 * versions: a draft is edited, then offered to the citizen (fixed from then on: the database refuses a change),
 * then accepted or declined. A change is a new version. Offering a version hands its relevant parts to the
 * institutions through the orders of the grants it covers; andre forhold stay with the authority.
 */
@Injectable()
export class ActionPlanService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly citizens: CitizenService,
    private readonly cases: CaseService,
    private readonly standards: QualityStandardService,
    private readonly orders: OrderService,
    private readonly subGoals: SubGoalReader,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, caseId: string, dto: CreateActionPlanDto): Promise<ActionPlanView> {
    this.requireDeciding(principal);
    const c = await this.cases.requireCase(principal, caseId);
    if (c.status === 'closed') throw conflict('the case is closed; a new inquiry opens a new case');
    const citizen = await this.citizens.requireVisible(principal, c.citizen_id);
    if (citizen.anonymous)
      throw ruleViolated('an anonymous client gets no action plan (SEL § 141, stk. 6: § 101 a treatment is given without one)');
    const content = this.content(dto, null);
    const covered = await this.checkGrants(c.citizen_id, content.grantIds);
    const legalBasis = await this.legalBasis(c.citizen_id, dto.legalBasis, covered);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO action_plan (citizen_id, case_id, legal_basis, created_by, version) VALUES ($1, $2, $3, $4, 1) RETURNING id`,
      [c.citizen_id, caseId, legalBasis, principal.id],
    );
    await this.insertVersion(principal, id, 1, content);
    await this.accessLog.record(principal, { action: 'create', objectType: 'actionPlan', objectId: id, citizenId: c.citizen_id, purpose });
    return this.view(await this.row(id));
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<ActionPlanView> {
    const plan = await this.requirePlan(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'actionPlan', objectId: id, citizenId: plan.citizen_id, purpose });
    return this.view(plan);
  }

  @Transactional()
  async listForCase(principal: Principal, purpose: Purpose, caseId: string): Promise<ActionPlanView[]> {
    const c = await this.cases.requireCase(principal, caseId);
    const rows: PlanRow[] = await this.db.query(`${SELECT_PLAN} WHERE p.case_id = $1 ORDER BY p.created_at DESC, p.id`, [caseId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'actionPlan', citizenId: c.citizen_id, purpose });
    return this.views(rows);
  }

  @Transactional()
  async listForCitizen(principal: Principal, purpose: Purpose, citizenId: string): Promise<ActionPlanView[]> {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound('citizen');
    await this.citizens.requireVisible(principal, citizenId);
    const rows: PlanRow[] = await this.db.query(`${SELECT_PLAN} WHERE p.citizen_id = $1 ORDER BY p.created_at DESC, p.id`, [citizenId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'actionPlan', citizenId, purpose });
    return this.views(rows);
  }

  /** Edit a draft version (If-Match on the version's row version). An offered version never changes (409). */
  @Transactional()
  async updateVersion(principal: Principal, purpose: Purpose, id: string, versionNo: number, version: number, dto: ActionPlanContentDto) {
    const plan = await this.lockPlan(principal, id);
    const current = await this.lockVersion(id, versionNo);
    this.checkRowVersion(current.version, version, 'the action plan version');
    if (current.status !== 'draft') throw conflict(`version ${versionNo} is ${current.status}: an offered action plan never changes; make a new version`);
    const content = this.content(dto, current);
    if (dto.grantIds !== undefined) await this.checkGrants(plan.citizen_id, content.grantIds);
    const [updated] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE action_plan_version SET purpose = $3, services = $4, grant_ids = $5::uuid[], expected_duration = $6, other_matters = $7,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [current.id, version, content.purpose, content.services, content.grantIds, content.expectedDuration, content.otherMatters],
      ),
    );
    if (!updated) this.checkRowVersion(-1, version, 'the action plan version');
    await this.accessLog.record(principal, { action: 'update', objectType: 'actionPlan', objectId: id, citizenId: plan.citizen_id, purpose });
    return this.view(plan);
  }

  /**
   * A new draft version, copied from the latest and overridden by the body. Under the plan's row lock the new
   * number is the latest + 1, and only when the latest is not a draft (else 409: edit the draft). If-Match on the
   * plan's row version, which counts the versions made: a client that has not seen the latest version gets 409.
   */
  @Transactional()
  async createVersion(principal: Principal, purpose: Purpose, id: string, version: number, dto: CreateActionPlanVersionDto) {
    const plan = await this.lockPlan(principal, id);
    this.checkRowVersion(plan.version, version, 'the action plan');
    const [latest]: VersionRow[] = await this.db.query(`${SELECT_VERSION} WHERE v.plan_id = $1 ORDER BY v.version_no DESC LIMIT 1`, [id]);
    if (latest.status === 'draft') throw conflict(`version ${latest.version_no} is still a draft: edit the draft`);
    const content = this.content(dto, latest);
    if (dto.grantIds !== undefined) await this.checkGrants(plan.citizen_id, content.grantIds);
    const [bumped] = rowsOf<{ version: number }>(
      await this.db.query('UPDATE action_plan SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING version', [id, version]),
    );
    if (!bumped) this.checkRowVersion(-1, version, 'the action plan');
    await this.insertVersion(principal, id, latest.version_no + 1, content);
    await this.accessLog.record(principal, { action: 'update', objectType: 'actionPlan', objectId: id, citizenId: plan.citizen_id, purpose });
    return this.view(await this.row(id));
  }

  /**
   * Tilbudt: the draft is offered to the citizen (If-Match on the version, so that what is offered is what the
   * caller saw). The orders of the covered grants then carry the plan (SEL § 141, stk. 5).
   */
  @Transactional()
  async offer(principal: Principal, purpose: Purpose, id: string, versionNo: number, version: number, dto: OfferActionPlanDto) {
    const plan = await this.lockPlan(principal, id);
    const current = await this.lockVersion(id, versionNo);
    this.checkRowVersion(current.version, version, 'the action plan version');
    if (current.status !== 'draft') throw conflict(`version ${versionNo} is ${current.status}: it was offered already`);
    const offeredOn = dto.offeredOn ?? this.today();
    if (offeredOn > this.today()) throw ruleViolated('offeredOn cannot be in the future', '/offeredOn');
    rowsOf(
      await this.db.query(
        `UPDATE action_plan_version SET status = 'offered', offered_on = $2, version = version + 1, updated_at = now() WHERE id = $1`,
        [current.id, offeredOn],
      ),
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'actionPlan', objectId: id, citizenId: plan.citizen_id, purpose });
    await this.orders.attachActionPlan(principal, purpose, current.grant_ids, { planId: id, versionNo, offeredOn });
    return this.view(plan);
  }

  /** The citizen's answer: accepted or declined (afslået af borger). A declined version is kept. */
  @Transactional()
  async respond(principal: Principal, purpose: Purpose, id: string, versionNo: number, dto: RespondActionPlanDto) {
    const plan = await this.lockPlan(principal, id);
    const current = await this.lockVersion(id, versionNo);
    if (current.status !== 'offered')
      throw conflict(current.status === 'draft' ? `version ${versionNo} is a draft: offer it first` : `the citizen's answer is recorded already (${current.status})`);
    const respondedOn = dto.respondedOn ?? this.today();
    const errors: FieldError[] = [];
    if (respondedOn > this.today()) errors.push({ pointer: '/respondedOn', reason: 'respondedOn cannot be in the future' });
    if (respondedOn < current.offered_on!) errors.push({ pointer: '/respondedOn', reason: `the citizen answers on or after the day the plan was offered (${current.offered_on})` });
    if (errors.length) throw new DomainError('ruleViolated', errors.map((e) => e.reason).join('; '), errors);
    rowsOf(
      await this.db.query(
        `UPDATE action_plan_version SET status = $2, responded_on = $3, response_note = $4, version = version + 1, updated_at = now() WHERE id = $1`,
        [current.id, dto.response, respondedOn, trimmed(dto.note)],
      ),
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'actionPlan', objectId: id, citizenId: plan.citizen_id, purpose });
    return this.view(plan);
  }

  /**
   * What an institution reads with its order: the latest offered or accepted version of the order's plan that
   * covers the order's grant, without andre forhold. 404 when there is none or the order is not the caller's.
   */
  @Transactional()
  async forOrder(principal: Principal, purpose: Purpose, orderId: string): Promise<OrderActionPlanView> {
    const order = await this.orders.requireOrder(principal, orderId);
    if (INSTITUTION_ROLES.includes(principal.role)) await this.citizens.requireVisible(principal, order.citizen_id);
    if (!order.action_plan_id) throw notFound('an action plan for the order');
    const [plan]: PlanRow[] = await this.db.query(`${SELECT_PLAN} WHERE p.id = $1`, [order.action_plan_id]);
    const [v]: VersionRow[] = await this.db.query(
      `${SELECT_VERSION} WHERE v.plan_id = $1 AND v.status IN ('offered', 'accepted') AND $2::uuid = ANY (v.grant_ids)
        ORDER BY v.version_no DESC LIMIT 1`,
      [order.action_plan_id, order.grant_id],
    );
    if (!plan || !v) throw notFound('an action plan for the order');
    const [grant]: CoveredGrantRow[] = await this.db.query(`${SELECT_COVERED_GRANT} WHERE g.id = $1`, [order.grant_id]);
    const goals: GoalRow[] = grant.decision_id ? await this.db.query(SELECT_GOALS, [[grant.decision_id]]) : [];
    await this.accessLog.record(principal, { action: 'read', objectType: 'actionPlan', objectId: plan.id, citizenId: order.citizen_id, purpose });
    return {
      orderId,
      grantId: order.grant_id,
      actionPlanId: plan.id,
      legalBasis: plan.legal_basis,
      versionNo: v.version_no,
      status: v.status,
      offeredOn: v.offered_on!,
      purpose: v.purpose,
      services: v.services,
      expectedDuration: v.expected_duration,
      servicePurpose: grant.service_purpose,
      goals: goalsOf(goals, grant.decision_id),
    };
  }

  private requireDeciding(principal: Principal): void {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members make and change action plans');
  }

  /** The plan, or 404 when it does not exist or its citizen is outside the caller's scope. */
  private async requirePlan(principal: Principal, id: string): Promise<PlanRow> {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound('action plan');
    const [row]: PlanRow[] = await this.db.query(`${SELECT_PLAN} WHERE p.id = $1`, [id]);
    if (!row) throw notFound('action plan');
    await this.citizens.requireVisible(principal, row.citizen_id);
    return row;
  }

  /** Every change to a plan's versions happens under the plan's row lock: one at a time per plan. */
  private async lockPlan(principal: Principal, id: string): Promise<PlanRow> {
    this.requireDeciding(principal);
    await this.requirePlan(principal, id);
    const [row]: PlanRow[] = await this.db.query(`${SELECT_PLAN} WHERE p.id = $1 FOR UPDATE`, [id]);
    return row;
  }

  private async lockVersion(planId: string, versionNo: number): Promise<VersionRow> {
    if (versionNo < 1 || versionNo > 2 ** 31 - 1) throw notFound(`version ${versionNo} of the action plan`);
    const [row]: VersionRow[] = await this.db.query(`${SELECT_VERSION} WHERE v.plan_id = $1 AND v.version_no = $2 FOR UPDATE`, [planId, versionNo]);
    if (!row) throw notFound(`version ${versionNo} of the action plan`);
    return row;
  }

  private checkRowVersion(actual: number, expected: number, what: string): void {
    if (actual !== expected)
      throw new DomainError(
        'versionMismatch',
        `${what} was changed by someone else${actual > 0 ? ` (now version ${actual})` : ''}; reload and retry`,
        [{ pointer: '#header/If-Match', reason: 'stale version' }],
      );
  }

  /** The content given, over the current version's (a copy for a new version). */
  private content(dto: ActionPlanContentDto, current: VersionRow | null): Content {
    const required = (given: string | undefined, now: string | undefined, field: string): string => {
      const value = given === undefined ? now : given.trim();
      if (!value) throw ruleViolated(`${field} cannot be empty`, `/${field}`);
      return value;
    };
    return {
      purpose: required(dto.purpose, current?.purpose, 'purpose'),
      services: required(dto.services, current?.services, 'services'),
      expectedDuration: required(dto.expectedDuration, current?.expected_duration, 'expectedDuration'),
      grantIds: dto.grantIds ?? current?.grant_ids ?? [],
      otherMatters: dto.otherMatters === undefined ? (current?.other_matters ?? null) : trimmed(dto.otherMatters),
    };
  }

  /**
   * The grants named are the citizen's (else 422 at /grantIds/i), and not all of standards that take no action plan
   * (§ 101 a: SEL § 141, stk. 6). Returns what the catalogue says about each.
   */
  private async checkGrants(citizenId: string, grantIds: string[]): Promise<StandardFacts[]> {
    if (!grantIds.length) return [];
    const rows: { id: string; citizen_id: string; standard_code: string; standard_version_no: number }[] = await this.db.query(
      'SELECT id, citizen_id, standard_code, standard_version_no FROM citizen_grant WHERE id = ANY($1::uuid[])',
      [grantIds],
    );
    const errors: FieldError[] = grantIds
      .map((gid, i) => ({ gid, i }))
      .filter(({ gid }) => rows.find((r) => r.id === gid)?.citizen_id !== citizenId)
      .map(({ i }) => ({ pointer: `/grantIds/${i}`, reason: "grantIds: the grant is not one of the citizen's grants" }));
    if (errors.length) throw new DomainError('ruleViolated', errors[0].reason, errors);
    const facts: StandardFacts[] = [];
    for (const r of rows) facts.push(await this.facts(r.standard_code, r.standard_version_no));
    if (facts.every((f) => f.actionPlan === 'none'))
      throw ruleViolated(
        `grantIds: ${[...new Set(rows.map((r) => r.standard_code))].join(', ')} takes no action plan (e.g. § 101 a, SEL § 141, stk. 6)`,
        '/grantIds',
      );
    return facts;
  }

  /**
   * § 142 is for a citizen with a § 110 stay (a grant or a self-referral admission); the default is § 142 when a
   * covered grant is a § 110 stay or the citizen is staying at a § 110 boform now, else § 141.
   */
  private async legalBasis(citizenId: string, given: ActionPlanBasis | undefined, covered: StandardFacts[]): Promise<ActionPlanBasis> {
    const today = this.today();
    const grants: { standard_code: string; standard_version_no: number; current: boolean }[] = await this.db.query(
      `SELECT DISTINCT standard_code, standard_version_no, (valid_to IS NULL OR valid_to >= $2::date) AS current
         FROM citizen_grant WHERE citizen_id = $1`,
      [citizenId, today],
    );
    const admissions: { standard_code: string; admitted_on: string; current: boolean }[] = await this.db.query(
      `SELECT DISTINCT standard_code, admitted_on::text AS admitted_on, discharged_on IS NULL AS current
         FROM self_referral_admission WHERE citizen_id = $1`,
      [citizenId],
    );
    const stays: { current: boolean }[] = [];
    for (const g of grants) if ((await this.facts(g.standard_code, g.standard_version_no)).section110) stays.push(g);
    for (const a of admissions) if ((await this.facts(a.standard_code, null, a.admitted_on)).section110) stays.push(a);
    if (given === 'SEL-142' && !stays.length)
      throw ruleViolated('legalBasis: a § 142 action plan is for a citizen with a § 110 stay (forsorgshjem, herberg); use SEL-141', '/legalBasis');
    if (given) return given;
    return covered.some((f) => f.section110) || stays.some((s) => s.current) ? 'SEL-142' : 'SEL-141';
  }

  private async facts(code: string, versionNo: number | null, onDay?: string): Promise<StandardFacts> {
    const v = await (versionNo === null ? this.standards.inForce(code, onDay) : this.standards.getVersion(code, versionNo)).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') return null;
      throw err;
    });
    if (!v) return { actionPlan: 'offer', section110: false };
    return { actionPlan: v.actionPlan, section110: v.legalBasis.law === 'SEL' && v.legalBasis.paragraph === '110' };
  }

  private async insertVersion(principal: Principal, planId: string, versionNo: number, c: Content): Promise<void> {
    await this.db.query(
      `INSERT INTO action_plan_version (plan_id, version_no, purpose, services, grant_ids, expected_duration, other_matters, status, created_by, version)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, 'draft', $8, 1)`,
      [planId, versionNo, c.purpose, c.services, c.grantIds, c.expectedDuration, c.otherMatters, principal.id],
    );
  }

  private async row(id: string): Promise<PlanRow> {
    const [row]: PlanRow[] = await this.db.query(`${SELECT_PLAN} WHERE p.id = $1`, [id]);
    if (!row) throw notFound('action plan');
    return row;
  }

  private async view(plan: PlanRow): Promise<ActionPlanView> {
    return (await this.views([await this.row(plan.id)]))[0];
  }

  /** Plans with their versions (newest first) and covered grants' goals: three queries for any number of plans. */
  private async views(plans: PlanRow[]): Promise<ActionPlanView[]> {
    if (!plans.length) return [];
    const versions: VersionRow[] = await this.db.query(`${SELECT_VERSION} WHERE v.plan_id = ANY($1::uuid[]) ORDER BY v.version_no DESC`, [
      plans.map((p) => p.id),
    ]);
    const grantIds = [...new Set(versions.flatMap((v) => v.grant_ids))];
    const grants: CoveredGrantRow[] = grantIds.length
      ? await this.db.query(`${SELECT_COVERED_GRANT} WHERE g.id = ANY($1::uuid[]) ORDER BY g.valid_from, g.id`, [grantIds])
      : [];
    const decisionIds = grants.map((g) => g.decision_id).filter((d): d is string => d !== null);
    const goals: GoalRow[] = decisionIds.length ? await this.db.query(SELECT_GOALS, [decisionIds]) : [];
    const subGoals = await this.subGoals.read(grants.map((g) => g.order_id).filter((o): o is string => o !== null));
    return plans.map((p) => {
      const own = versions.filter((v) => v.plan_id === p.id);
      const covered = new Set(own.flatMap((v) => v.grant_ids));
      return {
        id: p.id,
        citizenId: p.citizen_id,
        caseId: p.case_id,
        legalBasis: p.legal_basis,
        versions: own.map(toVersionView),
        grants: grants
          .filter((g) => covered.has(g.id))
          .map((g) => ({
            grantId: g.id,
            standardCode: g.standard_code,
            institutionId: g.institution_id,
            validFrom: g.valid_from,
            validTo: g.valid_to,
            decisionId: g.decision_id,
            orderId: g.order_id,
            servicePurpose: g.service_purpose,
            goals: goalsOf(goals, g.decision_id),
            subGoals: subGoals.filter((sg) => sg.orderId === g.order_id) as unknown as Record<string, unknown>[],
          })),
        createdBy: p.created_by,
        createdAt: p.created_at.toISOString(),
        version: p.version,
      };
    });
  }

  private today(): string {
    return danishDate(this.clock.now());
  }
}
