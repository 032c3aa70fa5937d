import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { conflict, DomainError, FieldError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { UserService } from 'src/modules/organisation/user.service';
import { OrderDeliveryTerms, OrderService } from 'src/modules/visitation/order.service';
import {
  ATTENDANCE_SCOPE_UNITS,
  DELIVERY_ROLES,
  isTreatment,
  SESSION_MINUTES_MAX,
  SESSION_MINUTES_MIN,
  SESSION_SCOPE_UNITS,
} from 'src/modules/delivery/delivery.constants';
import { REGISTRATIONS, RegistrationKind } from 'src/modules/delivery/registration-sql';
import {
  AttendanceView,
  CreateAttendanceDto,
  CreateSessionDto,
  CreateTreatmentCourseDto,
  InstitutionSessionsQuery,
  RegistrationPeriodQuery,
  SessionPage,
  SessionView,
  TreatmentCourseView,
} from 'src/modules/delivery/registration.dto';

/**
 * Registrations of what was delivered on an order: sessions (minutes) for hour-based services, attendance for
 * day services, treatment courses. Append-only: a correction is a new registration naming the one it corrects,
 * which then no longer counts. The rules are checked here first, each with its own message; the database's
 * triggers and constraints (CreateDelivery migration) are the backstop for races and other writers.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly orders: OrderService,
    private readonly users: UserService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async createSession(principal: Principal, purpose: Purpose, orderId: string, dto: CreateSessionDto): Promise<SessionView> {
    const terms = await this.registrable(principal, orderId);
    if (!(SESSION_SCOPE_UNITS as readonly string[]).includes(terms.scopeUnit))
      throw ruleViolated(`sessions are registered for hour-based services (hours per week or month); ${terms.standardCode} is granted per ${terms.scopeUnit}`);
    const errors = this.dayErrors(terms, dto.sessionDate, '/sessionDate');
    if (dto.minutes < SESSION_MINUTES_MIN || dto.minutes > SESSION_MINUTES_MAX)
      errors.push({ pointer: '/minutes', reason: `a session lasts ${SESSION_MINUTES_MIN}–${SESSION_MINUTES_MAX} minutes` });
    if (dto.staffUserId && !(await this.isStaffOf(principal, dto.staffUserId, terms.institutionId)))
      errors.push({ pointer: '/staffUserId', reason: "the staff member is a user of the order's institution" });
    failIfAny(errors);
    await this.checkCorrects('session', orderId, dto.correctsId);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO delivery_session (order_id, citizen_id, institution_id, session_date, starts_at, minutes, staff_user_id, status, corrects_id, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [orderId, terms.citizenId, terms.institutionId, dto.sessionDate, dto.startsAt ?? null, dto.minutes, dto.staffUserId ?? null, dto.status, dto.correctsId ?? null, userOf(principal)],
    );
    return this.created(principal, purpose, 'session', id, terms) as Promise<SessionView>;
  }

  @Transactional()
  async createAttendance(principal: Principal, purpose: Purpose, orderId: string, dto: CreateAttendanceDto): Promise<AttendanceView> {
    const terms = await this.registrable(principal, orderId);
    if (!(ATTENDANCE_SCOPE_UNITS as readonly string[]).includes(terms.scopeUnit))
      throw ruleViolated(`attendance is registered for day services (days per week); ${terms.standardCode} is granted per ${terms.scopeUnit}`);
    failIfAny(this.dayErrors(terms, dto.attendedOn, '/attendedOn'));
    await this.checkCorrects('attendance', orderId, dto.correctsId);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO attendance (order_id, citizen_id, institution_id, attended_on, present, corrects_id, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [orderId, terms.citizenId, terms.institutionId, dto.attendedOn, dto.present, dto.correctsId ?? null, userOf(principal)],
    );
    return this.created(principal, purpose, 'attendance', id, terms) as Promise<AttendanceView>;
  }

  @Transactional()
  async createTreatmentCourse(principal: Principal, purpose: Purpose, orderId: string, dto: CreateTreatmentCourseDto): Promise<TreatmentCourseView> {
    const terms = await this.registrable(principal, orderId);
    if (!isTreatment(terms.scopeUnit, terms.legalBasis))
      throw ruleViolated(`treatment courses are registered for treatment (SEL § 101, § 101 a, SUL § 141); ${terms.standardCode} is not treatment`);
    const errors = this.dayErrors(terms, dto.startedOn, '/startedOn');
    if ((dto.endedOn === undefined) !== (dto.outcome === undefined))
      errors.push({ pointer: dto.endedOn === undefined ? '/endedOn' : '/outcome', reason: 'a course that ended has its last day and its outcome, both' });
    if (dto.endedOn !== undefined && dto.endedOn < dto.startedOn) errors.push({ pointer: '/endedOn', reason: 'a course ends on or after its first day' });
    if (dto.endedOn !== undefined && dto.endedOn > this.today()) errors.push({ pointer: '/endedOn', reason: `the end is registered once it has happened (today is ${this.today()})` });
    failIfAny(errors);
    await this.checkCorrects('treatmentCourse', orderId, dto.correctsId);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO treatment_course (order_id, citizen_id, institution_id, started_on, ended_on, outcome, corrects_id, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [orderId, terms.citizenId, terms.institutionId, dto.startedOn, dto.endedOn ?? null, dto.outcome ?? null, dto.correctsId ?? null, userOf(principal)],
    );
    return this.created(principal, purpose, 'treatmentCourse', id, terms) as Promise<TreatmentCourseView>;
  }

  /** An order's registrations of one kind in a period (days inclusive), oldest first, each with the registration that corrected it. */
  @Transactional()
  async listForOrder(principal: Principal, purpose: Purpose, kind: RegistrationKind, orderId: string, q: RegistrationPeriodQuery): Promise<unknown[]> {
    checkPeriod(q.from, q.to);
    const order = await this.orders.requireOrder(principal, orderId);
    const r = REGISTRATIONS[kind];
    const rows: Record<string, unknown>[] = await this.db.query(
      `${r.select} WHERE x.order_id = $1 AND ($2::date IS NULL OR x.${r.day} >= $2) AND ($3::date IS NULL OR x.${r.day} <= $3)
        ORDER BY x.${r.day}, x.recorded_at, x.id`,
      [orderId, q.from ?? null, q.to ?? null],
    );
    await this.accessLog.record(principal, { action: 'read', objectType: r.objectType, objectId: orderId, citizenId: order.citizen_id, purpose });
    return rows.map((row) => (r.view as (x: unknown) => unknown)(row));
  }

  /** Tilbudslederens overblik: the institution's sessions in a period, by day, paginated. Another institution's: 404. */
  @Transactional()
  async listForInstitution(principal: Principal, purpose: Purpose, institutionId: string, q: InstitutionSessionsQuery): Promise<SessionPage> {
    if (!DELIVERY_ROLES.includes(principal.role) || principal.institutionId !== institutionId) throw notFound('institution');
    checkPeriod(q.from, q.to);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const r = REGISTRATIONS.session;
    const rows: Parameters<typeof r.view>[0][] = await this.db.query(
      `${r.select}
        WHERE x.institution_id = $1 AND ($2::date IS NULL OR x.session_date >= $2) AND ($3::date IS NULL OR x.session_date <= $3)
          AND ($4::date IS NULL OR (x.session_date, x.id) > ($4::date, $5::uuid))
        ORDER BY x.session_date, x.id LIMIT $6`,
      [institutionId, q.from ?? null, q.to ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (row) => [row.session_date, row.id]);
    await this.accessLog.record(
      principal,
      ...page.items.map((row): AccessRecord => ({ action: 'read', objectType: r.objectType, objectId: row.id, citizenId: row.citizen_id, purpose })),
    );
    return { items: page.items.map((row) => r.view(row)), nextCursor: page.nextCursor };
  }

  /** The order's terms for a new registration: only the order's institution registers, only on an accepted (or since ended) order. */
  private async registrable(principal: Principal, orderId: string): Promise<OrderDeliveryTerms> {
    if (!DELIVERY_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'the institution registers what it delivered');
    const terms = await this.orders.deliveryTerms(principal, orderId);
    if (terms.status !== 'accepted' && terms.status !== 'ended')
      throw ruleViolated(`registrations are made on an accepted order; this order is ${terms.status}`);
    return terms;
  }

  /** The day lies within the grant's period, on or after the order's start, and not in the future. */
  private dayErrors(terms: OrderDeliveryTerms, day: string, pointer: string): FieldError[] {
    const errors: FieldError[] = [];
    if (day < terms.grantValidFrom || (terms.grantValidTo !== null && day > terms.grantValidTo))
      errors.push({ pointer, reason: `the day lies outside the grant's period (${terms.grantValidFrom}–${terms.grantValidTo ?? ''})` });
    else if (terms.startDate !== null && day < terms.startDate)
      errors.push({ pointer, reason: `the day lies before the order's start of delivery (${terms.startDate})` });
    if (day > this.today()) errors.push({ pointer, reason: `what was delivered is registered on or after the day (today is ${this.today()})` });
    return errors;
  }

  private async isStaffOf(principal: Principal, userId: string, institutionId: string): Promise<boolean> {
    try {
      return (await this.users.get(principal, userId)).orgUnitId === institutionId;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'notFound') return false;
      throw err;
    }
  }

  /**
   * A correction corrects a registration of the same order (else 422), and each registration is corrected at
   * most once (else 409: correct the correction). No row lock: the app role may not UPDATE registrations, which
   * SELECT ... FOR UPDATE/SHARE needs; two concurrent corrections of one row meet the unique index on
   * corrects_id instead, whose violation is the same 409 (delivery.errors.ts).
   */
  private async checkCorrects(kind: RegistrationKind, orderId: string, correctsId: string | undefined): Promise<void> {
    if (!correctsId) return;
    const { table } = REGISTRATIONS[kind];
    const [row]: { order_id: string }[] = await this.db.query(`SELECT order_id FROM ${table} WHERE id = $1`, [correctsId]);
    if (!row || row.order_id !== orderId) throw ruleViolated('a correction corrects a registration of the same order', '/correctsId');
    const [by]: { id: string }[] = await this.db.query(`SELECT id FROM ${table} WHERE corrects_id = $1`, [correctsId]);
    if (by) throw conflict(`the registration is corrected already (by ${by.id}); correct the correction`, '/correctsId');
  }

  private async created(principal: Principal, purpose: Purpose, kind: RegistrationKind, id: string, terms: OrderDeliveryTerms): Promise<unknown> {
    const r = REGISTRATIONS[kind];
    await this.accessLog.record(principal, { action: 'create', objectType: r.objectType, objectId: id, citizenId: terms.citizenId, purpose });
    const [row]: Record<string, unknown>[] = await this.db.query(`${r.select} WHERE x.id = $1`, [id]);
    return (r.view as (x: unknown) => unknown)(row);
  }

  private today(): string {
    return danishDate(this.clock.now());
  }
}

const userOf = (principal: Principal) => (principal.kind === 'user' ? principal.id : null);

function failIfAny(errors: FieldError[]): void {
  if (errors.length) throw new DomainError('ruleViolated', errors.map((e) => e.reason).join('; '), errors);
}

function checkPeriod(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) throw new DomainError('validationFailed', 'from must be on or before to', [{ pointer: '/to', reason: 'before from' }]);
}
