import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, danishDate, isDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { PLACE_BASED_TYPES } from 'src/modules/organisation/organisation.constants';
import { AdmissionService } from 'src/modules/visitation/admission.service';
import { OrderService } from 'src/modules/visitation/order.service';
import { AdmissionView } from 'src/modules/visitation/visitation.dto';
import { AbsenceDto, AbsenceView, AdmitDto, DischargeDto, SelfReferralAdmissionView, StayView } from 'src/modules/delivery/delivery.dto';
import { DELIVERY_ROLES, DischargeDestination, MANAGER_ROLES, StaySource } from 'src/modules/delivery/delivery.constants';
import { requireInstitutionScope, WaitingListService } from 'src/modules/delivery/waiting-list.service';

interface StayRow {
  id: string;
  order_id: string | null;
  admission_id: string | null;
  source: StaySource;
  citizen_id: string;
  institution_id: string;
  admitted_on: string;
  discharged_on: string | null;
  discharge_destination: DischargeDestination | null;
  acting_municipality_notified_at: Date | null;
  version: number;
}

const SELECT_STAY = `
  SELECT s.id, s.order_id, s.admission_id, s.source, s.citizen_id, s.institution_id, s.admitted_on::text AS admitted_on,
         s.discharged_on::text AS discharged_on, s.discharge_destination, s.acting_municipality_notified_at, s.version
    FROM stay s`;

/** The visitation context's admission for a stay is recorded under this reference (the stay's id, chosen first). */
const admissionRef = (stayId: string) => `stay-${stayId}`;

/**
 * Ophold: stays in place-based institutions — begun by an accepted order (the inbox) or by the leader's
 * admission of a selvmøder (§ 109/§ 110) — their absences and their discharge. A discharge ends the order's
 * delivery (or records the admission's discharge) and offers the freed place to the first on the waiting list.
 */
@Injectable()
export class StayService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly orders: OrderService,
    private readonly admissions: AdmissionService,
    private readonly citizens: CitizenService,
    private readonly units: OrgUnitService,
    private readonly waitingList: WaitingListService,
    private readonly outbox: OutboxService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  private today(): string {
    return danishDate(this.clock.now());
  }

  /** Inserts the stay of an accepted order (the caller's transaction; the capacity trigger may refuse it). */
  async insertForOrder(principal: Principal, purpose: Purpose, order: { id: string; citizenId: string; institutionId: string }, admittedOn: string): Promise<StayView> {
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO stay (order_id, source, citizen_id, institution_id, admitted_on, created_by, version)
       VALUES ($1, 'order', $2, $3, $4, $5, 1) RETURNING id`,
      [order.id, order.citizenId, order.institutionId, admittedOn, principal.kind === 'user' ? principal.id : null],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'stay', objectId: id, citizenId: order.citizenId, purpose });
    return (await this.views([await this.requireRow(id)]))[0];
  }

  async stayIdsByOrders(orderIds: string[]): Promise<Map<string, string>> {
    if (!orderIds.length) return new Map();
    const rows: { id: string; order_id: string }[] = await this.db.query('SELECT id, order_id FROM stay WHERE order_id = ANY($1::uuid[])', [orderIds]);
    return new Map(rows.map((r) => [r.order_id, r.id]));
  }

  /** The stays at the institution that cover the day (default today). */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, institutionId: string, at?: string): Promise<StayView[]> {
    requireInstitutionScope(principal, institutionId);
    await this.units.getUnit(institutionId, 'institution');
    const day = at ?? this.today();
    // Institution staff see stays while they last and the configured days after the discharge.
    const since = DELIVERY_ROLES.includes(principal.role) ? this.orders.accessSince() : null;
    const rows: StayRow[] = await this.db.query(
      `${SELECT_STAY} WHERE s.institution_id = $1 AND s.admitted_on <= $2::date AND (s.discharged_on IS NULL OR s.discharged_on > $2::date)
          AND ($3::date IS NULL OR s.discharged_on IS NULL OR s.discharged_on >= $3::date)
        ORDER BY s.admitted_on, s.id`,
      [institutionId, day, since],
    );
    await this.accessLog.record(principal, ...rows.map((r): AccessRecord => ({ action: 'read', objectType: 'stay', objectId: r.id, citizenId: r.citizen_id, purpose })));
    return this.views(rows);
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<StayView> {
    const row = await this.requireStay(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'stay', objectId: id, citizenId: row.citizen_id, purpose });
    return (await this.views([row]))[0];
  }

  /**
   * Udskrivning: the day the citizen left and where to. Before the admission → 422; recorded once (again → 409).
   * An order's stay ends the order: its last day of delivery is the last night, the day before the discharge
   * (the discharge day itself is no day of the stay, as in settlement), or the admission day for a stay that
   * ended the day it began. A self-referral stay records the admission's discharge (its last night likewise).
   * Then the freed place is offered to the first on the waiting list.
   */
  @Transactional()
  async discharge(principal: Principal, purpose: Purpose, id: string, dto: DischargeDto): Promise<StayView> {
    if (!MANAGER_ROLES.includes(principal.role)) throw new DomainError('forbidden', "the institution's manager records a discharge");
    if (!isDate(dto.dischargedOn)) throw new DomainError('validationFailed', 'dischargedOn is not a calendar date', [{ pointer: '/dischargedOn', reason: 'not a date' }]);
    await this.requireStay(principal, id);
    const [stay]: StayRow[] = await this.db.query(`${SELECT_STAY} WHERE s.id = $1 FOR UPDATE OF s`, [id]);
    if (stay.discharged_on !== null) throw conflict(`the citizen was discharged on ${stay.discharged_on} already: a discharge is recorded once`, '/dischargedOn');
    if (dto.dischargedOn < stay.admitted_on) throw ruleViolated(`the discharge cannot precede the admission (${stay.admitted_on})`, '/dischargedOn');
    if (dto.dischargedOn > this.today()) throw ruleViolated('a discharge is recorded once it has happened: dischargedOn cannot be in the future', '/dischargedOn');
    rowsOf(
      await this.db.query(`UPDATE stay SET discharged_on = $2, discharge_destination = $3, version = version + 1 WHERE id = $1 RETURNING id`, [
        id,
        dto.dischargedOn,
        dto.destination,
      ]),
    );
    const lastNight = dto.dischargedOn > stay.admitted_on ? addDays(dto.dischargedOn, -1) : stay.admitted_on;
    if (stay.order_id) await this.orders.end(principal, purpose, stay.order_id, lastNight, `discharged on ${dto.dischargedOn} (${dto.destination})`);
    if (stay.admission_id) await this.admissions.recordDischarge(principal, purpose, admissionRef(stay.id), lastNight);
    const institution = await this.units.getUnit(stay.institution_id, 'institution');
    if (institution.capacity !== null) {
      const from = dto.dischargedOn > this.today() ? dto.dischargedOn : this.today();
      await this.waitingList.offerFreed(principal, purpose, stay.institution_id, institution.capacity, from, stay.id);
    }
    await this.accessLog.record(principal, { action: 'update', objectType: 'stay', objectId: id, citizenId: stay.citizen_id, purpose });
    return (await this.views([await this.requireRow(id)]))[0];
  }

  /** The manager records that the acting municipality (another one) was told of a self-referral admission. */
  @Transactional()
  async recordMunicipalityNotice(principal: Principal, purpose: Purpose, id: string, sentAt?: string): Promise<StayView> {
    if (!MANAGER_ROLES.includes(principal.role)) throw new DomainError('forbidden', "the institution's manager records the notice");
    const stay = await this.requireStay(principal, id);
    if (stay.source !== 'selfReferral') throw ruleViolated('only a self-referral admission is notified to the acting municipality');
    if (stay.acting_municipality_notified_at) throw conflict(`the notice was recorded at ${stay.acting_municipality_notified_at.toISOString()}`);
    const at = sentAt ? new Date(sentAt) : this.clock.now();
    if (Number.isNaN(at.getTime()) || at > this.clock.now()) throw ruleViolated('the notice was sent at a time not in the future', '/sentAt');
    rowsOf(await this.db.query('UPDATE stay SET acting_municipality_notified_at = $2, version = version + 1 WHERE id = $1 RETURNING id', [id, at]));
    await this.accessLog.record(principal, { action: 'update', objectType: 'stay', objectId: id, citizenId: stay.citizen_id, purpose });
    return (await this.views([await this.requireRow(id)]))[0];
  }

  /** Fravær within the stay (it does not reduce the place's payment). */
  @Transactional()
  async addAbsence(principal: Principal, purpose: Purpose, id: string, dto: AbsenceDto): Promise<StayView> {
    if (!DELIVERY_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'the institution records absences');
    const stay = await this.requireStay(principal, id);
    if (dto.toDate < dto.fromDate) throw ruleViolated('the absence ends on or after its first day', '/toDate');
    await this.db.query(`INSERT INTO stay_absence (stay_id, from_date, to_date, reason, created_by) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      dto.fromDate,
      dto.toDate,
      dto.reason.trim(),
      principal.kind === 'user' ? principal.id : null,
    ]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'stay', objectId: id, citizenId: stay.citizen_id, purpose });
    return (await this.views([await this.requireRow(id)]))[0];
  }

  /**
   * Optagelse of a selvmøder by the boform's leader: the citizen (by id, or registered now by CPR, or anonymous
   * where the standard allows), the visitation context's admission, and the stay — capacity applies (409 when
   * every place is taken) — in one transaction. SelfReferralAdmitted goes to the outbox at once. When the
   * acting municipality is this one, its authority has the admission on its list in this system that moment:
   * the notice counts as given. Another municipality is told outside the system (Digital Post, phone): the
   * manager records it with recordMunicipalityNotice, and until then the § 110 3-working-day flag stands.
   */
  @Transactional()
  async admit(principal: Principal, purpose: Purpose, institutionId: string, dto: AdmitDto): Promise<SelfReferralAdmissionView> {
    if (!MANAGER_ROLES.includes(principal.role) || principal.institutionId !== institutionId) throw notFound('institution');
    const institution = await this.units.getUnit(institutionId, 'institution');
    if (!institution.institutionType || !PLACE_BASED_TYPES.includes(institution.institutionType)) throw ruleViolated('only a place-based boform admits selvmødere', '/standardCode');
    const given = [dto.citizenId, dto.citizen, dto.anonymousClient].filter((x) => x !== undefined).length;
    if (given !== 1)
      throw new DomainError('validationFailed', 'name the citizen one way: citizenId, citizen (CPR and name) or anonymousClient', [{ pointer: '/citizenId', reason: 'exactly one of citizenId, citizen, anonymousClient' }]);
    const admittedOn = dto.admittedOn ?? this.today();

    let citizenId: string;
    let created = false;
    if (dto.citizenId) citizenId = (await this.citizens.requireVisible(principal, dto.citizenId)).id;
    else if (dto.citizen) ({ id: citizenId, created } = await this.citizens.registerAtSelfReferral(principal, purpose, { kind: 'cpr', dto: dto.citizen }));
    else
      ({ id: citizenId, created } = await this.citizens.registerAtSelfReferral(principal, purpose, {
        kind: 'anonymous',
        dto: { serviceCode: dto.standardCode, alias: dto.anonymousClient!.alias },
      }));

    const stayId = randomUUID();
    const admission = await this.admissions.record(principal, purpose, { citizenId, institutionId, standardCode: dto.standardCode, admittedOn, sourceRef: admissionRef(stayId) });
    const citizen = await this.citizens.requireVisible(principal, citizenId);
    const own = (await this.units.ownMunicipality()).id === citizen.acting_municipality_id;
    await this.db.query(
      `INSERT INTO stay (id, admission_id, source, citizen_id, institution_id, admitted_on, acting_municipality_notified_at, created_by, version)
       VALUES ($1, $2, 'selfReferral', $3, $4, $5, CASE WHEN $7::boolean THEN now() END, $6, 1)`,
      [stayId, admission.id, citizenId, institutionId, admittedOn, principal.kind === 'user' ? principal.id : null, own],
    );
    await this.outbox.publish('SelfReferralAdmitted', {
      stayId,
      admissionId: admission.id,
      citizenId,
      institutionId,
      standardCode: admission.standardCode,
      admittedOn,
      actingMunicipalityId: citizen.acting_municipality_id,
      noticeDueBy: admission.notificationDueBy,
    });
    await this.accessLog.record(principal, { action: 'create', objectType: 'stay', objectId: stayId, citizenId, purpose });
    const [stay] = await this.views([await this.requireRow(stayId)]);
    return { ...this.noticeOf(stay, admission), stay, admission, citizenCreated: created };
  }

  /**
   * The institution's self-referral admissions (newest first) with the § 110 notice state; `noticeOverdue` keeps
   * those whose notice was not recorded by the due day (3 working days after the admission) — the system sends it
   * at once, so this lists only admissions where that failed or was registered late (e.g. back-dated).
   */
  @Transactional()
  async listAdmissions(principal: Principal, purpose: Purpose, institutionId: string, flag?: 'noticeOverdue'): Promise<SelfReferralAdmissionView[]> {
    requireInstitutionScope(principal, institutionId);
    await this.units.getUnit(institutionId, 'institution');
    const rows: StayRow[] = await this.db.query(`${SELECT_STAY} WHERE s.institution_id = $1 AND s.source = 'selfReferral' ORDER BY s.admitted_on DESC, s.id`, [
      institutionId,
    ]);
    const admissions = new Map((await this.admissions.viewsByIds(principal, rows.map((r) => r.admission_id!))).map((a) => [a.id, a]));
    const stays = await this.views(rows);
    const items = stays
      .filter((s) => admissions.has(s.admissionId!))
      .map((stay) => {
        const admission = admissions.get(stay.admissionId!)!;
        return { ...this.noticeOf(stay, admission), stay, admission, citizenCreated: false };
      })
      .filter((i) => flag !== 'noticeOverdue' || i.noticeOverdue);
    await this.accessLog.record(principal, ...items.map((i): AccessRecord => ({ action: 'read', objectType: 'stay', objectId: i.stay.id, citizenId: i.stay.citizenId, purpose })));
    return items;
  }

  private noticeOf(stay: StayView, admission: AdmissionView): { noticeDueBy: string | null; noticeOverdue: boolean } {
    const due = admission.notificationDueBy;
    if (!due) return { noticeDueBy: null, noticeOverdue: false };
    const sentOn = stay.actingMunicipalityNotifiedAt ? danishDate(new Date(stay.actingMunicipalityNotifiedAt)) : null;
    return { noticeDueBy: due, noticeOverdue: sentOn ? sentOn > due : this.today() > due };
  }

  /** The stay for the caller: institution staff their own institution's (else 404), the authority all. */
  private async requireStay(principal: Principal, id: string): Promise<StayRow> {
    const row = await this.requireRow(id).catch(() => null);
    if (!row) throw notFound('stay');
    requireInstitutionScope(principal, row.institution_id);
    // Institution staff see a stay while it lasts and the configured days after the discharge (DOMAIN.md §7).
    if (DELIVERY_ROLES.includes(principal.role) && row.discharged_on !== null && row.discharged_on < this.orders.accessSince()) throw notFound('stay');
    return row;
  }

  private async requireRow(id: string): Promise<StayRow> {
    const [row]: StayRow[] = await this.db.query(`${SELECT_STAY} WHERE s.id = $1`, [id]);
    if (!row) throw notFound('stay');
    return row;
  }

  private async views(rows: StayRow[]): Promise<StayView[]> {
    const absences: (AbsenceView & { stay_id: string })[] = rows.length
      ? await this.db.query(
          `SELECT id, stay_id, from_date::text AS "fromDate", to_date::text AS "toDate", reason FROM stay_absence WHERE stay_id = ANY($1::uuid[]) ORDER BY from_date, id`,
          [rows.map((r) => r.id)],
        )
      : [];
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      orderId: r.order_id,
      admissionId: r.admission_id,
      citizenId: r.citizen_id,
      institutionId: r.institution_id,
      admittedOn: r.admitted_on,
      dischargedOn: r.discharged_on,
      dischargeDestination: r.discharge_destination,
      actingMunicipalityNotifiedAt: r.acting_municipality_notified_at?.toISOString() ?? null,
      absences: absences.filter((a) => a.stay_id === r.id).map(({ id, fromDate, toDate, reason }) => ({ id, fromDate, toDate, reason })),
      version: r.version,
    }));
  }
}
