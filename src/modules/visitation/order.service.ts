import { Injectable, OnModuleInit } from '@nestjs/common';
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
import { OutboxService } from 'src/platform/outbox/outbox.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { GoalRow, goalsOf, SELECT_GOALS } from 'src/modules/visitation/action-plan-row';
import { GrantRow } from 'src/modules/visitation/grant.service';
import { ListOrdersQuery } from 'src/modules/visitation/order.dto';
import { INSTITUTION_ROLES, OrderStatus, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { GoalView, OrderPage, OrderView } from 'src/modules/visitation/visitation.dto';

/** The authority's goals (indsatsmål) behind a grant and its order: what the institution's sub-goals serve. */
export interface GrantGoals {
  grantId: string;
  citizenId: string;
  institutionId: string;
  /** Null for a grant without a decision (a confirmed self-referral admission): it has no goals. */
  decisionId: string | null;
  servicePurpose: string | null;
  orderId: string | null;
  goals: GoalView[];
}

export interface OrderRow {
  id: string;
  grant_id: string;
  citizen_id: string;
  institution_id: string;
  status: OrderStatus;
  content: Record<string, unknown>;
  action_plan_id: string | null;
  sent_at: Date;
  /** sent_at to the microsecond, for keyset cursors (a Date keeps milliseconds). */
  sent_at_us: string;
  responded_at: Date | null;
  rejection_reason: string | null;
  start_date: string | null;
  ended_on: string | null;
  responsible_staff_user_id: string | null;
  responsible_team: string | null;
  version: number;
  grant_valid_from: string;
  grant_valid_to: string | null;
  standard_code: string;
  scope_unit: string;
}

/** What the delivery context needs of an order to answer it: the order and its grant's service and unit of scope. */
export interface DeliveryOrder {
  order: OrderView;
  standardCode: string;
  /** The grant's unit of scope: `place` (døgn) is what stays and the capacity guard are about. */
  scopeUnit: string;
}

/** The institution's inbox: new = sent; accepted = accepted, not yet started; active = started; ended; rejected. */
export type InboxStatus = 'new' | 'accepted' | 'active' | 'ended' | 'rejected';
/** An order as the delivery context sees it when it checks a registration (scope as exact numeric text). */
export interface OrderDeliveryTerms {
  orderId: string;
  grantId: string;
  citizenId: string;
  institutionId: string;
  status: OrderStatus;
  startDate: string | null;
  grantValidFrom: string;
  grantValidTo: string | null;
  standardCode: string;
  scope: string | null;
  scopeUnit: string;
  legalBasis: { law: string; paragraph: string };
  shortNoticeCancellationChargeable: boolean;
}

interface DeliveryTermsRow {
  id: string;
  grant_id: string;
  citizen_id: string;
  institution_id: string;
  status: OrderStatus;
  start_date: string | null;
  valid_from: string;
  valid_to: string | null;
  standard_code: string;
  scope: string | null;
  scope_unit: string;
  legal_law: string;
  legal_paragraph: string;
  short_notice_cancellation_chargeable: boolean;
}

const SELECT_ORDER = `
  SELECT o.id, o.grant_id, o.citizen_id, o.institution_id, o.status, o.content, o.action_plan_id, o.sent_at,
         to_char(o.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sent_at_us, o.responded_at,
         o.rejection_reason, o.start_date::text AS start_date, o.ended_on::text AS ended_on, o.responsible_staff_user_id, o.responsible_team, o.version,
         g.valid_from::text AS grant_valid_from, g.valid_to::text AS grant_valid_to, g.standard_code, g.scope_unit
    FROM service_order o JOIN citizen_grant g ON g.id = o.grant_id`;

/**
 * An order an institution still sees: sent; accepted while its grant runs (or ended less than the configured
 * days ago); ended or rejected less than the configured days ago. `since` is the SQL of that first day.
 */
export const ORDER_IN_VIEW = (o: string, g: string, since: string) =>
  `(${o}.status = 'sent'
    OR (${o}.status = 'accepted' AND (${g}.valid_to IS NULL OR ${g}.valid_to >= ${since}::date))
    OR (${o}.status = 'ended' AND ${o}.ended_on >= ${since}::date)
    OR (${o}.status = 'rejected' AND ${o}.responded_at >= ${since}::date))`;

const toView = (r: OrderRow): OrderView => ({
  id: r.id,
  grantId: r.grant_id,
  citizenId: r.citizen_id,
  institutionId: r.institution_id,
  status: r.status,
  content: r.content,
  actionPlanId: r.action_plan_id,
  grantValidFrom: r.grant_valid_from,
  grantValidTo: r.grant_valid_to,
  sentAt: r.sent_at.toISOString(),
  respondedAt: r.responded_at?.toISOString() ?? null,
  rejectionReason: r.rejection_reason,
  startDate: r.start_date,
  endedOn: r.ended_on,
  responsibleStaffUserId: r.responsible_staff_user_id,
  responsibleTeam: r.responsible_team,
  version: r.version,
});

/**
 * Bestillinger: what the authority sends an institution for a grant. The institution's side (accept, reject,
 * start, end) is the delivery context's; here orders are sent and seen, and they decide which citizens an
 * institution's staff may see.
 */
@Injectable()
export class OrderService implements OnModuleInit {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly citizens: CitizenService,
    private readonly outbox: OutboxService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  onModuleInit(): void {
    this.citizens.setInstitutionVisibility((citizenId, institutionId) => this.visibleToInstitution(citizenId, institutionId));
  }

  /**
   * An order at the institution that is sent, or accepted while its grant runs, or ended, rejected or whose
   * grant ended within the configured days; or a self-referral admission there (§ 109/§ 110: the institution
   * admitted the citizen before any order exists) that is open or discharged within the configured days.
   */
  async visibleToInstitution(citizenId: string, institutionId: string): Promise<boolean> {
    const [{ visible }]: { visible: boolean }[] = await this.db.query(
      `SELECT EXISTS (
         SELECT 1 FROM service_order o JOIN citizen_grant g ON g.id = o.grant_id
          WHERE o.citizen_id = $1 AND o.institution_id = $2 AND ${ORDER_IN_VIEW('o', 'g', '$3')})
       OR EXISTS (
         SELECT 1 FROM self_referral_admission a
          WHERE a.citizen_id = $1 AND a.institution_id = $2 AND (a.discharged_on IS NULL OR a.discharged_on >= $3::date)) AS visible`,
      [citizenId, institutionId, this.accessSince()],
    );
    return visible;
  }

  /** The first day an ended order still shows at its institution (today − INSTITUTION_ACCESS_DAYS_AFTER_END). */
  accessSince(): string {
    return addDays(danishDate(this.clock.now()), -this.config.INSTITUTION_ACCESS_DAYS_AFTER_END);
  }

  /** Sends the order for a new grant (in the notifying transaction) and tells the institution through the outbox. */
  async send(principal: Principal, purpose: Purpose, grant: GrantRow, content: Record<string, unknown>): Promise<string> {
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO service_order (grant_id, citizen_id, institution_id, status, content, version)
       VALUES ($1, $2, $3, 'sent', $4, 1) RETURNING id`,
      [grant.id, grant.citizen_id, grant.institution_id, JSON.stringify(content)],
    );
    await this.outbox.publish('OrderSent', {
      orderId: id,
      grantId: grant.id,
      citizenId: grant.citizen_id,
      institutionId: grant.institution_id,
      standardCode: grant.standard_code,
      validFrom: grant.valid_from,
      validTo: grant.valid_to,
    });
    await this.accessLog.record(principal, { action: 'create', objectType: 'order', objectId: id, citizenId: grant.citizen_id, purpose });
    return id;
  }

  /** The order of a confirmed self-referral admission: the citizen is already there, so it is accepted from the start. */
  async recordAccepted(principal: Principal, purpose: Purpose, grant: GrantRow, content: Record<string, unknown>): Promise<string> {
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO service_order (grant_id, citizen_id, institution_id, status, content, responded_at, start_date, version)
       VALUES ($1, $2, $3, 'accepted', $4, now(), $5, 1) RETURNING id`,
      [grant.id, grant.citizen_id, grant.institution_id, JSON.stringify(content), grant.valid_from],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'order', objectId: id, citizenId: grant.citizen_id, purpose });
    return id;
  }

  /** A change or termination brought the grant's end forward: the institution hears of it through the outbox. */
  async grantEnded(grant: GrantRow, decisionId: string): Promise<void> {
    const [order]: { id: string }[] = await this.db.query('SELECT id FROM service_order WHERE grant_id = $1', [grant.id]);
    if (order && grant.valid_to)
      await this.outbox.publish('OrderChanged', { orderId: order.id, grantId: grant.id, institutionId: grant.institution_id, validTo: grant.valid_to, decisionId });
  }

  /**
   * The institution accepts an order from a start date (the delivery context calls this from its inbox, where
   * it also guards capacity). Only a sent order; stale version → 409. The authority hears it through the outbox.
   */
  @Transactional()
  async accept(
    principal: Principal,
    purpose: Purpose,
    id: string,
    version: number,
    startDate: string,
    responsible: { staffUserId?: string | null; team?: string | null } = {},
  ): Promise<OrderView> {
    const row = await this.lockForResponse(principal, id, version);
    if (startDate < row.grant_valid_from || (row.grant_valid_to !== null && startDate > row.grant_valid_to))
      throw ruleViolated(`delivery starts within the grant's period (${row.grant_valid_from}–${row.grant_valid_to ?? ''})`, '/startDate');
    if (responsible.staffUserId) {
      const [staff]: { org_unit_id: string; active: boolean }[] = await this.db.query('SELECT org_unit_id, active FROM app_user WHERE id = $1', [responsible.staffUserId]);
      if (!staff || !staff.active || staff.org_unit_id !== row.institution_id)
        throw ruleViolated("the responsible employee is an active user of the order's institution", '/responsibleStaffUserId');
    }
    await this.db.query(
      `UPDATE service_order SET status = 'accepted', start_date = $2, responsible_staff_user_id = $3, responsible_team = $4,
              responded_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
      [id, startDate, responsible.staffUserId ?? null, responsible.team?.trim() || null],
    );
    await this.outbox.publish('OrderAccepted', { orderId: id, grantId: row.grant_id, citizenId: row.citizen_id, institutionId: row.institution_id, startDate });
    await this.accessLog.record(principal, { action: 'update', objectType: 'order', objectId: id, citizenId: row.citizen_id, purpose });
    return toView((await this.db.query(`${SELECT_ORDER} WHERE o.id = $1`, [id]))[0] as OrderRow);
  }

  /** The institution rejects a sent order, with the reason (e.g. no capacity: the waiting list is the delivery context's). */
  @Transactional()
  async reject(principal: Principal, purpose: Purpose, id: string, version: number, reason: string): Promise<OrderView> {
    const row = await this.lockForResponse(principal, id, version);
    await this.db.query(`UPDATE service_order SET status = 'rejected', rejection_reason = $2, responded_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [id, reason.trim()]);
    await this.outbox.publish('OrderRejected', { orderId: id, grantId: row.grant_id, citizenId: row.citizen_id, institutionId: row.institution_id, reason: reason.trim() });
    await this.accessLog.record(principal, { action: 'update', objectType: 'order', objectId: id, citizenId: row.citizen_id, purpose });
    return toView((await this.db.query(`${SELECT_ORDER} WHERE o.id = $1`, [id]))[0] as OrderRow);
  }

  /**
   * The order for the delivery context (404 outside the caller's scope), with its grant's service and unit of
   * scope; with `lock`, under a row lock (held to the end of the caller's transaction).
   */
  async forDelivery(principal: Principal, id: string, lock = false): Promise<DeliveryOrder> {
    await this.requireOrder(principal, id);
    const [row]: OrderRow[] = await this.db.query(`${SELECT_ORDER} WHERE o.id = $1${lock ? ' FOR UPDATE OF o' : ''}`, [id]);
    return { order: toView(row), standardCode: row.standard_code, scopeUnit: row.scope_unit };
  }

  /**
   * Delivery ended (e.g. the citizen was discharged from the place): the accepted order ends on `endedOn`, its
   * last day of delivery, and the authority hears it through the outbox (the grant itself ends by the
   * authority's decision). Ending an ended order on the same day again is a no-op.
   */
  @Transactional()
  async end(principal: Principal, purpose: Purpose, id: string, endedOn: string, reason: string): Promise<OrderView> {
    if (!INSTITUTION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'the institution ends its delivery');
    await this.requireOrder(principal, id);
    const [row]: OrderRow[] = await this.db.query(`${SELECT_ORDER} WHERE o.id = $1 FOR UPDATE OF o`, [id]);
    if (row.status === 'ended' && row.ended_on === endedOn) return toView(row);
    if (row.status !== 'accepted') throw conflict(`the order is ${row.status}; only an accepted order ends`);
    if (row.start_date && endedOn < row.start_date) throw ruleViolated(`the order ends on or after its start (${row.start_date})`, '/dischargedOn');
    rowsOf(
      await this.db.query(`UPDATE service_order SET status = 'ended', ended_on = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id`, [
        id,
        endedOn,
      ]),
    );
    await this.outbox.publish('OrderEnded', { orderId: id, grantId: row.grant_id, citizenId: row.citizen_id, institutionId: row.institution_id, endedOn, reason });
    await this.accessLog.record(principal, { action: 'update', objectType: 'order', objectId: id, citizenId: row.citizen_id, purpose });
    return toView((await this.db.query(`${SELECT_ORDER} WHERE o.id = $1`, [id]))[0] as OrderRow);
  }

  /**
   * The institution's inbox (ordreindbakke), newest first: `status` as the institution sees it, `today` splitting
   * accepted (start ahead) from active (started). Institution staff see their own institution only (else 404).
   */
  @Transactional()
  async inbox(
    principal: Principal,
    purpose: Purpose,
    institutionId: string,
    q: { status?: InboxStatus; citizenId?: string; limit?: number; cursor?: string },
  ): Promise<OrderPage> {
    if (INSTITUTION_ROLES.includes(principal.role)) {
      if (institutionId !== principal.institutionId) throw notFound('institution');
    } else if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see orders');
    const today = danishDate(this.clock.now());
    const status = q.status ?? null;
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: OrderRow[] = await this.db.query(
      `${SELECT_ORDER}
        WHERE o.institution_id = $1 AND ($2::uuid IS NULL OR o.citizen_id = $2)
          AND (${INSTITUTION_ROLES.includes(principal.role) ? ORDER_IN_VIEW('o', 'g', `'${this.accessSince()}'`) : 'true'})
          AND CASE $3::text
                WHEN 'new' THEN o.status = 'sent'
                WHEN 'accepted' THEN o.status = 'accepted' AND o.start_date > $4::date
                WHEN 'active' THEN o.status = 'accepted' AND o.start_date <= $4::date AND (g.valid_to IS NULL OR g.valid_to >= $4::date)
                -- an accepted order whose grant has ended (termination, change) is over too
                WHEN 'ended' THEN o.status = 'ended' OR (o.status = 'accepted' AND g.valid_to < $4::date)
                WHEN 'rejected' THEN o.status = 'rejected'
                ELSE true END
          AND ($5::timestamptz IS NULL OR (o.sent_at, o.id) < ($5::timestamptz, $6::uuid))
        ORDER BY o.sent_at DESC, o.id DESC LIMIT $7`,
      [institutionId, q.citizenId ?? null, status, today, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.sent_at_us, r.id]);
    await this.accessLog.record(principal, ...page.items.map((r): AccessRecord => ({ action: 'read', objectType: 'order', objectId: r.id, citizenId: r.citizen_id, purpose })));
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  private async lockForResponse(principal: Principal, id: string, version: number): Promise<OrderRow> {
    if (principal.role !== 'institutionManager') throw new DomainError('forbidden', "the institution's manager answers its orders");
    await this.requireOrder(principal, id);
    const [row]: OrderRow[] = await this.db.query(`${SELECT_ORDER} WHERE o.id = $1 FOR UPDATE OF o`, [id]);
    if (row.version !== version)
      throw new DomainError('versionMismatch', `the order was changed by someone else (now version ${row.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    if (row.status !== 'sent') throw conflict(`the order is ${row.status}; only a sent order is accepted or rejected`);
    return row;
  }

  /**
   * A handleplan version was offered: the open orders (sent, accepted) of the grants it covers carry the plan from
   * now on, and each institution hears of it. Returns the orders' ids.
   */
  async attachActionPlan(
    principal: Principal,
    purpose: Purpose,
    grantIds: string[],
    plan: { planId: string; versionNo: number; offeredOn: string },
  ): Promise<string[]> {
    if (!grantIds.length) return [];
    const rows = rowsOf<{ id: string; grant_id: string; citizen_id: string; institution_id: string }>(
      await this.db.query(
        `UPDATE service_order SET action_plan_id = $2, version = version + 1, updated_at = now()
          WHERE grant_id = ANY($1::uuid[]) AND status IN ('sent', 'accepted')
          RETURNING id, grant_id, citizen_id, institution_id`,
        [grantIds, plan.planId],
      ),
    );
    for (const r of rows)
      await this.outbox.publish('OrderActionPlanOffered', {
        orderId: r.id,
        grantId: r.grant_id,
        institutionId: r.institution_id,
        actionPlanId: plan.planId,
        versionNo: plan.versionNo,
        offeredOn: plan.offeredOn,
      });
    await this.accessLog.record(principal, ...rows.map((r): AccessRecord => ({ action: 'update', objectType: 'order', objectId: r.id, citizenId: r.citizen_id, purpose })));
    return rows.map((r) => r.id);
  }

  /**
   * Orders, newest first. Institution staff see their own institution's only (`institutionId` defaults to it);
   * the authority filters by institution, citizen and status.
   */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, q: ListOrdersQuery): Promise<OrderPage> {
    let institutionId = q.institutionId ?? null;
    if (INSTITUTION_ROLES.includes(principal.role)) {
      if (institutionId && institutionId !== principal.institutionId) throw notFound('institution');
      institutionId = principal.institutionId;
    } else if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see orders');
    if (q.citizenId) await this.citizens.requireVisible(principal, q.citizenId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: OrderRow[] = await this.db.query(
      `${SELECT_ORDER}
        WHERE ($1::uuid IS NULL OR o.institution_id = $1) AND ($2::uuid IS NULL OR o.citizen_id = $2)
          AND ($3::text IS NULL OR o.status = $3)
          AND (${INSTITUTION_ROLES.includes(principal.role) ? ORDER_IN_VIEW('o', 'g', `'${this.accessSince()}'`) : 'true'})
          AND ($4::timestamptz IS NULL OR (o.sent_at, o.id) < ($4::timestamptz, $5::uuid))
        ORDER BY o.sent_at DESC, o.id DESC LIMIT $6`,
      [institutionId, q.citizenId ?? null, q.status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.sent_at_us, r.id]);
    await this.accessLog.record(principal, ...page.items.map((r): AccessRecord => ({ action: 'read', objectType: 'order', objectId: r.id, citizenId: r.citizen_id, purpose })));
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<OrderView> {
    const row = await this.requireOrder(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'order', objectId: id, citizenId: row.citizen_id, purpose });
    return toView(row);
  }

  /**
   * What the delivery context needs to check a registration on an order: its status and start, the grant's period
   * and scope, and the standard version's unit, legal basis and cancellation rule. 404 outside the caller's scope.
   */
  async deliveryTerms(principal: Principal, id: string): Promise<OrderDeliveryTerms> {
    await this.requireOrder(principal, id);
    const [r]: DeliveryTermsRow[] = await this.db.query(
      `SELECT o.id, o.grant_id, o.citizen_id, o.institution_id, o.status, o.start_date::text AS start_date,
              g.valid_from::text AS valid_from, g.valid_to::text AS valid_to, g.standard_code, g.scope::text AS scope, g.scope_unit,
              v.legal_law, v.legal_paragraph, v.short_notice_cancellation_chargeable
         FROM service_order o JOIN citizen_grant g ON g.id = o.grant_id JOIN quality_standard_version v ON v.id = g.standard_version_id
        WHERE o.id = $1`,
      [id],
    );
    return {
      orderId: r.id,
      grantId: r.grant_id,
      citizenId: r.citizen_id,
      institutionId: r.institution_id,
      status: r.status,
      startDate: r.start_date,
      grantValidFrom: r.valid_from,
      grantValidTo: r.valid_to,
      standardCode: r.standard_code,
      scope: r.scope,
      scopeUnit: r.scope_unit,
      legalBasis: { law: r.legal_law, paragraph: r.legal_paragraph },
      shortNoticeCancellationChargeable: r.short_notice_cancellation_chargeable,
    };
  }

  /** The goals an order serves (for the delivery context's sub-goals): its grant's decision and that decision's goals. */
  async goalsOfOrder(orderId: string): Promise<GrantGoals> {
    const [row]: { grant_id: string }[] = await this.db.query('SELECT grant_id FROM service_order WHERE id = $1', [orderId]);
    if (!row) throw notFound('order');
    return this.goalsOfGrant(row.grant_id);
  }

  /**
   * A grant's goals and its order, for the authority reading the institution's progress (404 for other roles,
   * unknown grants and citizens out of view). The caller logs the access.
   */
  async grantGoals(principal: Principal, grantId: string): Promise<GrantGoals> {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound('grant');
    const goals = await this.goalsOfGrant(grantId);
    await this.citizens.requireVisible(principal, goals.citizenId);
    return goals;
  }

  private async goalsOfGrant(grantId: string): Promise<GrantGoals> {
    const [g]: { id: string; citizen_id: string; institution_id: string; decision_id: string | null; service_purpose: string | null; order_id: string | null }[] =
      await this.db.query(
        `SELECT g.id, g.citizen_id, g.institution_id, g.decision_id, d.service_purpose, o.id AS order_id
           FROM citizen_grant g LEFT JOIN decision d ON d.id = g.decision_id LEFT JOIN service_order o ON o.grant_id = g.id
          WHERE g.id = $1`,
        [grantId],
      );
    if (!g) throw notFound('grant');
    const goals: GoalRow[] = g.decision_id ? await this.db.query(SELECT_GOALS, [[g.decision_id]]) : [];
    return {
      grantId: g.id,
      citizenId: g.citizen_id,
      institutionId: g.institution_id,
      decisionId: g.decision_id,
      servicePurpose: g.service_purpose,
      orderId: g.order_id,
      goals: goalsOf(goals, g.decision_id),
    };
  }

  /** The order for the caller: the authority sees all; an institution only its own (else 404). */
  async requireOrder(principal: Principal, id: string): Promise<OrderRow> {
    const institution = INSTITUTION_ROLES.includes(principal.role);
    const [row]: OrderRow[] = await this.db.query(
      `${SELECT_ORDER} WHERE o.id = $1 AND (NOT $2::boolean OR ${ORDER_IN_VIEW('o', 'g', '$3')})`,
      [id, institution, this.accessSince()],
    );
    // An institution sees its own orders while they are in view (DOMAIN.md §7), and nothing of another's.
    const allowed = row && (VISITATION_ROLES.includes(principal.role) || (institution && principal.institutionId === row.institution_id));
    if (!allowed) throw notFound('order');
    return row;
  }
}
