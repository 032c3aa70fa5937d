import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { CASE_ROLES, Purpose } from 'src/modules/citizens/citizens.constants';
import { DELIVERY_ROLES, FORCE_FORMS, ForceForm, ForceReviewStatus } from 'src/modules/delivery/delivery.constants';
import {
  CreateUseOfForceReportDto,
  FormCountsView,
  ListUseOfForceReportsQuery,
  ReviewUseOfForceReportDto,
  UseOfForceReportPage,
  UseOfForceReportView,
  UseOfForceSummaryView,
} from 'src/modules/delivery/report.dto';
import { USE_OF_FORCE_SUMMARY } from 'src/modules/delivery/sql/use-of-force.sql';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';

interface ReportRow {
  id: string;
  institution_id: string;
  citizen_id: string;
  acting_municipality_id: string;
  form: ForceForm;
  occurred_at: Date;
  duration_minutes: number | null;
  description: string;
  reported_by: string | null;
  reported_at: Date;
  review_status: ForceReviewStatus;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_comment: string | null;
  version: number;
}

const SELECT_REPORT = `
  SELECT r.id, r.institution_id, r.citizen_id, r.acting_municipality_id, r.form, r.occurred_at, r.duration_minutes, r.description,
         r.reported_by, r.reported_at, r.review_status, r.reviewed_by, r.reviewed_at, r.review_comment, r.version
    FROM use_of_force_report r`;

const toView = (r: ReportRow): UseOfForceReportView => ({
  id: r.id,
  institutionId: r.institution_id,
  citizenId: r.citizen_id,
  actingMunicipalityId: r.acting_municipality_id,
  form: r.form,
  occurredAt: r.occurred_at.toISOString(),
  durationMinutes: r.duration_minutes,
  description: r.description,
  reportedBy: r.reported_by,
  reportedAt: r.reported_at.toISOString(),
  reviewStatus: r.review_status,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at?.toISOString() ?? null,
  reviewComment: r.review_comment,
  version: r.version,
});

const zeroForms = (): FormCountsView => Object.fromEntries(FORCE_FORMS.map((f) => [f, 0])) as unknown as FormCountsView;

/**
 * Magtanvendelse (SEL kap. 24; law.md §8 rule 38): registered by the institution on form 1a, 1b or 2, routed
 * to the citizen's acting municipality (handlekommune), which reviews it; a yearly summary per institution.
 */
@Injectable()
export class UseOfForceService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly citizens: CitizenService,
    private readonly orgUnits: OrgUnitService,
    private readonly outbox: OutboxService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, institutionId: string, dto: CreateUseOfForceReportDto): Promise<UseOfForceReportView> {
    this.requireOwnInstitution(principal, institutionId);
    const occurredAt = new Date(dto.occurredAt);
    if (Number.isNaN(occurredAt.getTime())) throw new DomainError('validationFailed', 'occurredAt is not an instant', [{ pointer: '/occurredAt', reason: 'invalid' }]);
    if (occurredAt.getTime() > this.clock.now().getTime()) throw ruleViolated('a use of force is reported once it has happened: occurredAt lies in the future', '/occurredAt');
    const description = dto.description.trim();
    if (!description) throw ruleViolated('the report describes what happened and why', '/description');
    const citizen = await this.citizens.requireVisible(principal, dto.citizenId).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated('the citizen has no order or stay at the institution', '/citizenId');
      throw err;
    });
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO use_of_force_report (institution_id, citizen_id, acting_municipality_id, form, occurred_at, duration_minutes, description, reported_by, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id`,
      [institutionId, citizen.id, citizen.acting_municipality_id, dto.form, occurredAt, dto.durationMinutes ?? null, description, principal.kind === 'user' ? principal.id : null],
    );
    await this.outbox.publish('UseOfForceReported', {
      reportId: id,
      institutionId,
      citizenId: citizen.id,
      actingMunicipalityId: citizen.acting_municipality_id,
      form: dto.form,
      occurredAt: occurredAt.toISOString(),
    });
    await this.accessLog.record(principal, { action: 'create', objectType: 'useOfForceReport', objectId: id, citizenId: citizen.id, purpose });
    return toView(await this.row(id));
  }

  /** The institution's reports, newest first. */
  @Transactional()
  async listForInstitution(principal: Principal, purpose: Purpose, institutionId: string, q: ListUseOfForceReportsQuery): Promise<UseOfForceReportPage> {
    this.requireOwnInstitution(principal, institutionId);
    return this.page(principal, purpose, 'r.institution_id = $1', institutionId, q);
  }

  /** The authority's list: reports on citizens the own municipality acts for (default: pending review). */
  @Transactional()
  async listForAuthority(principal: Principal, purpose: Purpose, q: ListUseOfForceReportsQuery): Promise<UseOfForceReportPage> {
    if (!CASE_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'the authority reviews use-of-force reports');
    const own = await this.orgUnits.ownMunicipality();
    return this.page(principal, purpose, 'r.acting_municipality_id = $1', own.id, { ...q, status: q.status ?? 'pending' });
  }

  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<UseOfForceReportView> {
    const row = await this.requireVisibleReport(principal, id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'useOfForceReport', objectId: id, citizenId: row.citizen_id, purpose });
    return toView(row);
  }

  /** The acting municipality reviews a pending report, with its comment (If-Match: the report's version). */
  @Transactional()
  async review(principal: Principal, purpose: Purpose, id: string, version: number, dto: ReviewUseOfForceReportDto): Promise<UseOfForceReportView> {
    if (!CASE_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'the authority reviews use-of-force reports');
    const row = await this.requireVisibleReport(principal, id);
    const comment = dto.comment.trim();
    if (!comment) throw ruleViolated('the review has a comment', '/comment');
    if (row.review_status !== 'pending') throw conflict('the report is reviewed already');
    const updated = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE use_of_force_report SET review_status = 'reviewed', reviewed_by = $3, reviewed_at = $4, review_comment = $5,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 AND review_status = 'pending' RETURNING id`,
        [id, version, principal.id, this.clock.now(), comment],
      ),
    );
    if (!updated.length)
      throw new DomainError('versionMismatch', `the report was changed by someone else (now version ${row.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'useOfForceReport', objectId: id, citizenId: row.citizen_id, purpose });
    return toView(await this.row(id));
  }

  /**
   * The institution's statutory yearly summary: counts per form and per month (Danish time) and the number of
   * citizens concerned. Aggregates only: no citizen is named, so no access-log row.
   */
  @Transactional()
  async summary(principal: Principal, institutionId: string, year: number): Promise<UseOfForceSummaryView> {
    if (DELIVERY_ROLES.includes(principal.role)) this.requireOwnInstitution(principal, institutionId);
    else if (CASE_ROLES.includes(principal.role)) await this.orgUnits.getUnit(institutionId, 'institution');
    else throw notFound('institution');
    const rows: { month: number; form: ForceForm; n: number; citizens: number; pending: number }[] = await this.db.query(USE_OF_FORCE_SUMMARY, [
      institutionId,
      year,
    ]);
    const byMonth = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, total: 0, byForm: zeroForms() }));
    const byForm = zeroForms();
    for (const r of rows) {
      byMonth[r.month - 1].byForm[r.form] += r.n;
      byMonth[r.month - 1].total += r.n;
      byForm[r.form] += r.n;
    }
    return {
      institutionId,
      year,
      total: rows.reduce((sum, r) => sum + r.n, 0),
      citizens: rows[0]?.citizens ?? 0,
      byForm,
      byMonth,
      pending: rows[0]?.pending ?? 0,
    };
  }

  private async page(principal: Principal, purpose: Purpose, scope: string, scopeId: string, q: ListUseOfForceReportsQuery): Promise<UseOfForceReportPage> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: ReportRow[] = await this.db.query(
      `${SELECT_REPORT}
        WHERE ${scope} AND ($2::text IS NULL OR r.review_status = $2)
          AND ($3::timestamptz IS NULL OR (r.occurred_at, r.id) < ($3::timestamptz, $4::uuid))
        ORDER BY r.occurred_at DESC, r.id DESC LIMIT $5`,
      [scopeId, q.status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.occurred_at.toISOString(), r.id]);
    await this.accessLog.record(
      principal,
      ...page.items.map((r): AccessRecord => ({ action: 'read', objectType: 'useOfForceReport', objectId: r.id, citizenId: r.citizen_id, purpose })),
    );
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  /** The institution sees its own reports; the authority those it reviews (the own municipality acts). Else 404. */
  private async requireVisibleReport(principal: Principal, id: string): Promise<ReportRow> {
    const [row]: ReportRow[] = await this.db.query(`${SELECT_REPORT} WHERE r.id = $1`, [id]);
    if (!row) throw notFound('use-of-force report');
    if (DELIVERY_ROLES.includes(principal.role)) {
      if (row.institution_id !== principal.institutionId) throw notFound('use-of-force report');
    } else if (!CASE_ROLES.includes(principal.role) || row.acting_municipality_id !== (await this.orgUnits.ownMunicipality()).id)
      throw notFound('use-of-force report');
    return row;
  }

  private requireOwnInstitution(principal: Principal, institutionId: string): void {
    if (!DELIVERY_ROLES.includes(principal.role) || principal.institutionId !== institutionId) throw notFound('institution');
  }

  private async row(id: string): Promise<ReportRow> {
    const [row]: ReportRow[] = await this.db.query(`${SELECT_REPORT} WHERE r.id = $1`, [id]);
    return row;
  }
}
