import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate, isDate } from 'src/platform/clock/danish-date';
import { addWorkingDays } from 'src/platform/clock/deadlines';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, FieldError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import type { VersionView } from 'src/modules/catalogue/catalogue.dto';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { ListAdmissionsQuery } from 'src/modules/visitation/admission.dto';
import { checkInstitution } from 'src/modules/visitation/decision-rules';
import { GrantService } from 'src/modules/visitation/grant.service';
import { OrderService } from 'src/modules/visitation/order.service';
import {
  ACTING_MUNICIPALITY_NOTICE_WORKING_DAYS,
  AdmissionStatus,
  DECIDING_ROLES,
  INSTITUTION_ROLES,
  needsActingMunicipalityNotice,
  VISITATION_ROLES,
} from 'src/modules/visitation/visitation.constants';
import { AdmissionPage, AdmissionView } from 'src/modules/visitation/visitation.dto';
import 'src/modules/visitation/visitation.errors';

/** What the delivery context records when a boform's leader admits a selvmøder. */
export interface NewAdmission {
  citizenId: string;
  institutionId: string;
  standardCode: string;
  /** The first night of the stay (YYYY-MM-DD). */
  admittedOn: string;
  /** The delivery context's own id of the admission: recording the same one again returns it. */
  sourceRef: string;
}

interface AdmissionRow {
  id: string;
  citizen_id: string;
  institution_id: string;
  standard_code: string;
  admitted_on: string;
  discharged_on: string | null;
  source_ref: string;
  status: AdmissionStatus;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  recorded_at: Date;
  grant_id: string | null;
}

const SELECT_ADMISSION = `
  SELECT a.id, a.citizen_id, a.institution_id, a.standard_code, a.admitted_on::text AS admitted_on,
         a.discharged_on::text AS discharged_on, a.source_ref, a.status, a.confirmed_at, a.confirmed_by, a.recorded_at,
         g.id AS grant_id
    FROM self_referral_admission a LEFT JOIN citizen_grant g ON g.admission_id = a.id`;

/**
 * Selvmødere (SEL § 109 kvindekrisecenter, § 110 forsorgshjem): the boform's leader admits the citizen without
 * a prior decision, and the delivery context records the admission (and later the discharge) here in its own
 * transaction. The authority sees the unconfirmed admissions and confirms each as a grant with an order that is
 * accepted from the start (the citizen is already there).
 */
@Injectable()
export class AdmissionService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly standards: QualityStandardService,
    private readonly units: OrgUnitService,
    private readonly citizens: CitizenService,
    private readonly grants: GrantService,
    private readonly orders: OrderService,
    private readonly outbox: OutboxService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  private today(): string {
    return danishDate(this.clock.now());
  }

  /**
   * Records an admission (for the delivery context). Idempotent by `sourceRef`: the same admission again returns
   * the stored one; the same `sourceRef` with other content is 409. The standard in force on the admission day
   * must be a self-referral one, and the institution one that may deliver it.
   */
  @Transactional()
  async record(principal: Principal, purpose: Purpose, input: NewAdmission): Promise<AdmissionView> {
    this.requireRecorder(principal, input.institutionId);
    const malformed: FieldError[] = [];
    for (const field of ['citizenId', 'institutionId'] as const) if (!isUUID(input[field])) malformed.push({ pointer: `/${field}`, reason: 'not a UUID' });
    if (!isDate(input.admittedOn)) malformed.push({ pointer: '/admittedOn', reason: 'not a calendar date (YYYY-MM-DD)' });
    if (!input.sourceRef?.trim()) malformed.push({ pointer: '/sourceRef', reason: 'the delivery context names its admission' });
    if (malformed.length) throw new DomainError('validationFailed', 'the admission is malformed', malformed);
    const existing = await this.bySourceRef(input.sourceRef);
    if (existing) return this.replayed(principal, purpose, existing, input);

    const errors: FieldError[] = [];
    if (input.admittedOn > this.today()) errors.push({ pointer: '/admittedOn', reason: 'an admission is recorded once it has happened: admittedOn cannot be in the future' });
    const standard = await this.standards.inForce(input.standardCode, input.admittedOn).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') return null;
      throw err;
    });
    if (!standard) errors.push({ pointer: '/standardCode', reason: `no version of ${input.standardCode} is in force on ${input.admittedOn}` });
    else {
      if (!standard.selfReferral)
        errors.push({ pointer: '/standardCode', reason: `${standard.standardCode} is not a self-referral service: it is granted by a decision, not by the institution's admission` });
      else if (standard.scopeUnit !== 'place')
        // § 99 (støtte- og kontaktperson) is open without a decision too, but there is no stay to admit to.
        errors.push({ pointer: '/standardCode', reason: `${standard.standardCode} is open access without a stay: only a place (§ 109, § 110) is admitted` });
      await this.checkInstitution(standard, input.institutionId, errors);
    }
    if (errors.length) throw new DomainError('ruleViolated', `the admission cannot be recorded: ${errors.map((e) => e.reason).join('; ')}`, errors);

    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO self_referral_admission (citizen_id, institution_id, standard_code, admitted_on, source_ref)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_ref) DO NOTHING RETURNING id`,
      [input.citizenId, input.institutionId, standard!.standardCode, input.admittedOn, input.sourceRef],
    );
    // A concurrent recording of the same admission won the race: answer as for a replay.
    if (!inserted.length) return this.replayed(principal, purpose, (await this.bySourceRef(input.sourceRef))!, input);
    const row = await this.requireRow(inserted[0].id);
    await this.accessLog.record(principal, { action: 'create', objectType: 'admission', objectId: row.id, citizenId: row.citizen_id, purpose });
    return (await this.views([row]))[0];
  }

  /**
   * Records the discharge (udskrivning): `dischargedOn` is the last night of the stay. If the admission is
   * confirmed, its grant ends that day. Recording the same day again is a no-op; another day is 409.
   */
  @Transactional()
  async recordDischarge(principal: Principal, purpose: Purpose, sourceRef: string, dischargedOn: string): Promise<AdmissionView> {
    if (!isDate(dischargedOn))
      throw new DomainError('validationFailed', 'dischargedOn must be a date (YYYY-MM-DD)', [{ pointer: '/dischargedOn', reason: 'not a calendar date' }]);
    const [locked]: AdmissionRow[] = await this.db.query(`${SELECT_ADMISSION} WHERE a.source_ref = $1 FOR UPDATE OF a`, [sourceRef]);
    if (!locked) throw notFound('admission');
    this.requireRecorder(principal, locked.institution_id);
    if (locked.discharged_on === dischargedOn) return (await this.views([locked]))[0];
    if (locked.discharged_on !== null) throw conflict(`the citizen was discharged on ${locked.discharged_on} already`, '/dischargedOn');
    if (dischargedOn < locked.admitted_on) throw ruleViolated(`the discharge cannot precede the admission (${locked.admitted_on})`, '/dischargedOn');
    if (dischargedOn > this.today()) throw ruleViolated('a discharge is recorded once it has happened: dischargedOn cannot be in the future', '/dischargedOn');

    rowsOf(await this.db.query('UPDATE self_referral_admission SET discharged_on = $2 WHERE id = $1 RETURNING id', [locked.id, dischargedOn]));
    const records: AccessRecord[] = [{ action: 'update', objectType: 'admission', objectId: locked.id, citizenId: locked.citizen_id, purpose }];
    if (locked.status === 'confirmed') {
      const grant = await this.grants.endAtDischarge(locked.id, dischargedOn);
      if (grant) records.push({ action: 'update', objectType: 'grant', objectId: grant.id, citizenId: locked.citizen_id, purpose });
    }
    await this.accessLog.record(principal, ...records);
    return (await this.views([await this.requireRow(locked.id)]))[0];
  }

  /**
   * Admissions, oldest admission first: by default the unconfirmed ones (the authority's work list). The
   * authority filters by institution and standard; institution staff see their own institution's only.
   */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, q: ListAdmissionsQuery): Promise<AdmissionPage> {
    let institutionId = q.institutionId ?? null;
    if (INSTITUTION_ROLES.includes(principal.role)) {
      if (institutionId && institutionId !== principal.institutionId) throw notFound('institution');
      institutionId = principal.institutionId;
    } else if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see admissions');
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: AdmissionRow[] = await this.db.query(
      `${SELECT_ADMISSION}
        WHERE a.status = $1 AND ($2::uuid IS NULL OR a.institution_id = $2) AND ($3::text IS NULL OR a.standard_code = $3)
          AND ($4::date IS NULL OR (a.admitted_on, a.id) > ($4::date, $5::uuid))
        ORDER BY a.admitted_on, a.id LIMIT $6`,
      [q.status ?? 'unconfirmed', institutionId, q.standardCode ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.admitted_on, r.id]);
    await this.accessLog.record(principal, ...page.items.map((r): AccessRecord => ({ action: 'read', objectType: 'admission', objectId: r.id, citizenId: r.citizen_id, purpose })));
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  /** One admission: the authority sees every one; an institution only its own (else 404). */
  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<AdmissionView> {
    const row = await this.requireAdmission(principal, id);
    await this.citizens.requireVisible(principal, row.citizen_id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'admission', objectId: id, citizenId: row.citizen_id, purpose });
    return (await this.views([row]))[0];
  }

  /**
   * The authority confirms the admission: a grant from the admission day (to the discharge, if any) under the
   * standard version in force that day, its order accepted from the start, and AdmissionConfirmed for the
   * institution — all in one transaction, under a lock on the admission. A grant of the same standard that
   * overlaps the stay is 409 (the grants' exclusion constraint).
   */
  @Transactional()
  async confirm(principal: Principal, purpose: Purpose, id: string): Promise<AdmissionView> {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members confirm admissions');
    await this.requireAdmission(principal, id);
    const [a]: AdmissionRow[] = await this.db.query(`${SELECT_ADMISSION} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
    if (a.status === 'confirmed') throw conflict(`the admission was confirmed already${a.confirmed_at ? ` (${a.confirmed_at.toISOString()})` : ''}`);
    await this.citizens.requireVisible(principal, a.citizen_id);
    const standard = await this.standards.inForce(a.standard_code, a.admitted_on).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated(`no version of ${a.standard_code} is in force on ${a.admitted_on}`);
      throw err;
    });

    const grant = await this.grants.insert({
      citizenId: a.citizen_id,
      caseId: null,
      decisionId: null,
      admissionId: a.id,
      standardId: standard.standardId,
      standardCode: standard.standardCode,
      standardVersionId: standard.id,
      standardVersionNo: standard.versionNo,
      scope: null,
      scopeUnit: standard.scopeUnit,
      institutionId: a.institution_id,
      validFrom: a.admitted_on,
      validTo: a.discharged_on,
    });
    const orderId = await this.orders.recordAccepted(principal, purpose, grant, {
      admissionId: a.id,
      selfReferral: true,
      standardCode: grant.standard_code,
      standardVersionNo: grant.standard_version_no,
      legalBasis: standard.legalBasis.text,
      scope: null,
      scopeUnit: grant.scope_unit,
      validFrom: grant.valid_from,
      validTo: grant.valid_to,
    });
    rowsOf(
      await this.db.query(`UPDATE self_referral_admission SET status = 'confirmed', confirmed_at = now(), confirmed_by = $2 WHERE id = $1 RETURNING id`, [
        a.id,
        principal.id,
      ]),
    );
    await this.outbox.publish('AdmissionConfirmed', { admissionId: a.id, grantId: grant.id, orderId, citizenId: a.citizen_id, institutionId: a.institution_id });
    await this.accessLog.record(
      principal,
      { action: 'update', objectType: 'admission', objectId: a.id, citizenId: a.citizen_id, purpose },
      { action: 'create', objectType: 'grant', objectId: grant.id, citizenId: a.citizen_id, purpose },
    );
    return (await this.views([await this.requireRow(a.id)]))[0];
  }

  /**
   * Admissions by id for the delivery context's lists (the caller logs the access): the authority sees all,
   * institution staff their own institution's only.
   */
  async viewsByIds(principal: Principal, ids: string[]): Promise<AdmissionView[]> {
    if (!ids.length) return [];
    const rows: AdmissionRow[] = await this.db.query(`${SELECT_ADMISSION} WHERE a.id = ANY($1::uuid[])`, [ids]);
    return this.views(rows.filter((r) => VISITATION_ROLES.includes(principal.role) || principal.institutionId === r.institution_id));
  }

  /** Institution staff record at their own institution (another one is out of their scope: 404); the authority may record for any. */
  private requireRecorder(principal: Principal, institutionId: string): void {
    if (INSTITUTION_ROLES.includes(principal.role)) {
      if (principal.institutionId !== institutionId) throw notFound('institution');
    } else if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not record admissions');
  }

  /** The admission for the caller: the authority sees all; an institution only its own (else 404). */
  private async requireAdmission(principal: Principal, id: string): Promise<AdmissionRow> {
    const [row]: AdmissionRow[] = await this.db.query(`${SELECT_ADMISSION} WHERE a.id = $1`, [id]);
    const allowed =
      row && (VISITATION_ROLES.includes(principal.role) || (INSTITUTION_ROLES.includes(principal.role) && principal.institutionId === row.institution_id));
    if (!allowed) throw notFound('admission');
    return row;
  }

  private async requireRow(id: string): Promise<AdmissionRow> {
    const [row]: AdmissionRow[] = await this.db.query(`${SELECT_ADMISSION} WHERE a.id = $1`, [id]);
    if (!row) throw notFound('admission');
    return row;
  }

  private async bySourceRef(sourceRef: string): Promise<AdmissionRow | null> {
    const [row]: AdmissionRow[] = await this.db.query(`${SELECT_ADMISSION} WHERE a.source_ref = $1`, [sourceRef]);
    return row ?? null;
  }

  /** The same admission recorded again returns it; the same sourceRef for another admission is a conflict. */
  private async replayed(principal: Principal, purpose: Purpose, row: AdmissionRow, input: NewAdmission): Promise<AdmissionView> {
    if (row.citizen_id !== input.citizenId || row.institution_id !== input.institutionId || row.standard_code !== input.standardCode || row.admitted_on !== input.admittedOn)
      throw conflict(`sourceRef ${input.sourceRef} was recorded for another admission`, '/sourceRef');
    this.requireRecorder(principal, row.institution_id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'admission', objectId: row.id, citizenId: row.citizen_id, purpose });
    return (await this.views([row]))[0];
  }

  private async checkInstitution(standard: VersionView, institutionId: string, errors: FieldError[]): Promise<void> {
    const institution = await this.units.getUnit(institutionId, 'institution').catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') return null;
      throw err;
    });
    if (!institution) return void errors.push({ pointer: '/institutionId', reason: 'the institution does not exist' });
    const area = !institution.external && institution.parentId ? await this.units.getUnit(institution.parentId, 'operatingArea').catch(() => null) : null;
    checkInstitution({ standard, institution, area }, `${standard.standardCode} version ${standard.versionNo}`, (pointer, reason) => errors.push({ pointer, reason }));
  }

  /**
   * Views with the § 110 notice deadline. Whether a standard is under § 110 is read from its legal basis, once
   * per standard on the page (a standard's paragraph does not change between its versions).
   */
  private async views(rows: AdmissionRow[]): Promise<AdmissionView[]> {
    const notice = new Map<string, boolean>();
    for (const r of rows)
      if (!notice.has(r.standard_code))
        notice.set(
          r.standard_code,
          await this.standards.inForce(r.standard_code, r.admitted_on).then(
            (v) => needsActingMunicipalityNotice(v.legalBasis),
            (err: unknown) => {
              if (err instanceof DomainError && err.code === 'notFound') return false;
              throw err;
            },
          ),
        );
    return rows.map((r) => ({
      id: r.id,
      citizenId: r.citizen_id,
      institutionId: r.institution_id,
      standardCode: r.standard_code,
      sourceRef: r.source_ref,
      admittedOn: r.admitted_on,
      dischargedOn: r.discharged_on,
      status: r.status,
      grantId: r.grant_id,
      notificationDueBy: notice.get(r.standard_code) ? addWorkingDays(r.admitted_on, ACTING_MUNICIPALITY_NOTICE_WORKING_DAYS) : null,
      recordedAt: r.recorded_at.toISOString(),
      confirmedAt: r.confirmed_at?.toISOString() ?? null,
      confirmedBy: r.confirmed_by,
    }));
  }
}
