import { Injectable, OnModuleInit } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { SubGoalReader } from 'src/modules/visitation/sub-goal-reader';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { DELIVERY_ROLES, SubGoalStatus } from 'src/modules/delivery/delivery.constants';
import {
  CreateProgressDto,
  CreateSubGoalDto,
  GrantGoalsView,
  ProgressView,
  SubGoalView,
  UpdateSubGoalDto,
} from 'src/modules/delivery/documentation.dto';
import { OrderAccess } from 'src/modules/delivery/order-access';
import { OrderService } from 'src/modules/visitation/order.service';
import 'src/modules/delivery/delivery.errors';

interface SubGoalRow {
  id: string;
  order_id: string;
  citizen_id: string;
  institution_id: string;
  decision_id: string;
  goal_ordinal: number;
  description: string;
  target_level: number | null;
  status: SubGoalStatus;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface ProgressRow {
  id: string;
  sub_goal_id: string;
  level: number;
  text: string;
  recorded_on: string;
  recorded_by: string | null;
  recorded_at: Date;
}

const SELECT_SUB_GOAL = `
  SELECT s.id, s.order_id, s.citizen_id, s.institution_id, s.decision_id, s.goal_ordinal, s.description, s.target_level, s.status,
         s.created_by, s.version, s.created_at, s.updated_at
    FROM sub_goal s`;

const SELECT_PROGRESS = `
  SELECT p.id, p.sub_goal_id, p.level, p.text, p.recorded_on::text AS recorded_on, p.recorded_by, p.recorded_at
    FROM goal_progress p WHERE p.sub_goal_id = ANY($1::uuid[]) ORDER BY p.recorded_on, p.recorded_at, p.id`;

const toProgress = (r: ProgressRow): ProgressView => ({
  id: r.id,
  subGoalId: r.sub_goal_id,
  level: r.level,
  text: r.text,
  recordedOn: r.recorded_on,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(),
});

/**
 * Delmål: the institution's sub-goals under the authority's goals (indsatsmål) of the order's decision, and
 * progress on them over time (level 0–4 and text, append-only). Only the institution writes; the authority
 * reads them with the grant's goals.
 */
@Injectable()
export class SubGoalService implements OnModuleInit {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly access: OrderAccess,
    private readonly orders: OrderService,
    private readonly citizens: CitizenService,
    private readonly reader: SubGoalReader,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, orderId: string, dto: CreateSubGoalDto): Promise<SubGoalView> {
    const order = await this.access.write(principal, orderId, ['accepted'], 'a sub-goal');
    const { decisionId, goals } = await this.orders.goalsOfOrder(orderId);
    if (!decisionId || !goals.some((g) => g.ordinal === dto.goalOrdinal))
      throw ruleViolated(
        goals.length
          ? `a sub-goal serves one of the order's goals (ordinals ${goals.map((g) => g.ordinal).join(', ')})`
          : 'the order carries no goals of the authority to serve',
        '/goalOrdinal',
      );
    const description = dto.description.trim();
    if (!description) throw ruleViolated('a sub-goal has a description', '/description');
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO sub_goal (order_id, citizen_id, institution_id, decision_id, goal_ordinal, description, target_level, created_by, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id`,
      [orderId, order.citizen_id, order.institution_id, decisionId, dto.goalOrdinal, description, dto.targetLevel ?? null, this.userOf(principal)],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'subGoal', objectId: id, citizenId: order.citizen_id, purpose });
    return (await this.views(await this.rows('s.id = $1', [id])))[0];
  }

  /** Status (active, achieved, dropped) or wording; the version must match (409 otherwise). */
  @Transactional()
  async update(principal: Principal, purpose: Purpose, id: string, version: number, dto: UpdateSubGoalDto): Promise<SubGoalView> {
    if (dto.status === undefined && dto.description === undefined)
      throw new DomainError('validationFailed', 'give status or description', [{ pointer: '', reason: 'nothing to change' }]);
    const row = await this.requireOwn(principal, id);
    const description = dto.description?.trim();
    if (description === '') throw ruleViolated('a sub-goal has a description', '/description');
    const updated = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE sub_goal SET status = coalesce($3, status), description = coalesce($4, description), version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, version, dto.status ?? null, description ?? null],
      ),
    );
    if (!updated.length)
      throw new DomainError('versionMismatch', `the sub-goal was changed by someone else (now version ${row.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'subGoal', objectId: id, citizenId: row.citizen_id, purpose });
    return (await this.views(await this.rows('s.id = $1', [id])))[0];
  }

  /** A progress entry on an active sub-goal, on a day not in the future. */
  @Transactional()
  async addProgress(principal: Principal, purpose: Purpose, id: string, dto: CreateProgressDto): Promise<ProgressView> {
    const row = await this.requireOwn(principal, id);
    if (row.status !== 'active') throw conflict(`the sub-goal is ${row.status}: progress is recorded on an active sub-goal`);
    const today = danishDate(this.clock.now());
    const recordedOn = dto.recordedOn ?? today;
    if (recordedOn > today) throw ruleViolated('progress is recorded on a day that has come', '/recordedOn');
    const text = dto.text.trim();
    if (!text) throw ruleViolated('progress has a text', '/text');
    const [{ id: progressId }]: { id: string }[] = await this.db.query(
      'INSERT INTO goal_progress (sub_goal_id, level, text, recorded_on, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [id, dto.level, text, recordedOn, this.userOf(principal)],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'goalProgress', objectId: progressId, citizenId: row.citizen_id, purpose });
    const [progress]: ProgressRow[] = await this.db.query(SELECT_PROGRESS.replace('p.sub_goal_id = ANY($1::uuid[])', 'p.id = $1'), [progressId]);
    return toProgress(progress);
  }

  /** Lets the authority's action plans show the sub-goals and progress of the orders they cover (read-only). */
  onModuleInit(): void {
    this.reader.register(async (orderIds) =>
      (await this.views(await this.rows('s.order_id = ANY($1::uuid[])', [orderIds]))).map((v) => ({
        id: v.id,
        orderId: v.orderId,
        goalOrdinal: v.goalOrdinal,
        description: v.description,
        targetLevel: v.targetLevel,
        status: v.status,
        progress: v.progress.map((p) => ({ level: p.level, text: p.text, recordedOn: p.recordedOn })),
      })),
    );
  }

  /** The order's sub-goals with their progress, for the institution and the authority. */
  @Transactional()
  async listForOrder(principal: Principal, purpose: Purpose, orderId: string): Promise<SubGoalView[]> {
    const order = await this.access.read(principal, orderId);
    const views = await this.views(await this.rows('s.order_id = $1', [orderId]));
    await this.accessLog.record(principal, { action: 'read', objectType: 'subGoal', objectId: orderId, citizenId: order.citizen_id, purpose });
    return views;
  }

  /** The authority's read: the grant's decision goals, each with the institution's sub-goals and their progress. */
  @Transactional()
  async goalsOfGrant(principal: Principal, purpose: Purpose, grantId: string): Promise<GrantGoalsView> {
    const grant = await this.orders.grantGoals(principal, grantId);
    const subGoals = grant.orderId ? await this.views(await this.rows('s.order_id = $1', [grant.orderId])) : [];
    await this.accessLog.record(principal, { action: 'read', objectType: 'subGoal', objectId: grantId, citizenId: grant.citizenId, purpose });
    return {
      grantId: grant.grantId,
      citizenId: grant.citizenId,
      institutionId: grant.institutionId,
      decisionId: grant.decisionId,
      orderId: grant.orderId,
      servicePurpose: grant.servicePurpose,
      goals: grant.goals.map((g) => ({ ...g, subGoals: subGoals.filter((s) => s.goalOrdinal === g.ordinal) })),
    };
  }

  /** The sub-goal of the caller's own institution (else 404), with its citizen still in view. */
  private async requireOwn(principal: Principal, id: string): Promise<SubGoalRow> {
    if (!DELIVERY_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'only the institution writes sub-goals and progress');
    const [row] = await this.rows('s.id = $1', [id]);
    if (!row || row.institution_id !== principal.institutionId) throw notFound('sub-goal');
    await this.citizens.requireVisible(principal, row.citizen_id);
    return row;
  }

  private rows(where: string, params: unknown[]): Promise<SubGoalRow[]> {
    return this.db.query(`${SELECT_SUB_GOAL} WHERE ${where} ORDER BY s.goal_ordinal, s.created_at, s.id`, params);
  }

  /** Sub-goals with their progress: one more query for any number of them. */
  private async views(rows: SubGoalRow[]): Promise<SubGoalView[]> {
    const progress: ProgressRow[] = rows.length ? await this.db.query(SELECT_PROGRESS, [rows.map((r) => r.id)]) : [];
    return rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      citizenId: r.citizen_id,
      institutionId: r.institution_id,
      decisionId: r.decision_id,
      goalOrdinal: r.goal_ordinal,
      description: r.description,
      targetLevel: r.target_level,
      status: r.status,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
      progress: progress.filter((p) => p.sub_goal_id === r.id).map(toProgress),
    }));
  }

  private userOf(principal: Principal): string | null {
    return principal.kind === 'user' ? principal.id : null;
  }
}
