import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate, isDate } from 'src/platform/clock/danish-date';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { rowsOf } from 'src/platform/database/rows';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import 'src/modules/catalogue/catalogue.errors';
import { ApproveVersionDto } from 'src/modules/catalogue/approve-version.dto';
import {
  ListQualityStandardsQuery,
  QualityStandardPage,
  QualityStandardView,
  VersionView,
} from 'src/modules/catalogue/catalogue.dto';
import { CreateQualityStandardDto } from 'src/modules/catalogue/create-quality-standard.dto';
import { UpdateVersionDto } from 'src/modules/catalogue/update-version.dto';
import { VersionFieldsDto } from 'src/modules/catalogue/version-fields.dto';
import { SELECT_VERSION, toSummary, toVersionView, VersionRow } from 'src/modules/catalogue/version-row';

/** Column ← field pairs for writing a version's content. */
function columnsOf(f: Partial<VersionFieldsDto>): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const set = (column: string, value: unknown) => {
    if (value !== undefined) c[column] = value;
  };
  if (f.legalBasis) {
    c.legal_law = f.legalBasis.law;
    c.legal_paragraph = f.legalBasis.paragraph;
    c.legal_subsection = f.legalBasis.subsection ?? null;
  }
  set('target_group', f.targetGroup);
  set('purpose', f.purpose);
  set('content', f.content);
  set('scope_unit', f.scopeUnit);
  set('scope_min', f.scopeMin);
  set('scope_max', f.scopeMax);
  set('max_duration_months', f.maxDurationMonths);
  set('follow_up_interval_months', f.followUpIntervalMonths);
  set('casework_deadline_days', f.caseworkDeadlineDays);
  set('start_deadline_days', f.startDeadlineDays);
  set('settlement_basis', f.settlementBasis);
  set('area_types', f.areaTypes);
  set('institution_types', f.institutionTypes);
  set('panel_approval_required', f.panelApprovalRequired);
  set('least_intervention_rule', f.leastInterventionRule);
  set('appealable', f.appealable);
  set('self_referral', f.selfReferral);
  set('anonymous_allowed', f.anonymousAllowed);
  set('below_state_pension_age_only', f.belowStatePensionAgeOnly);
  set('short_notice_cancellation_chargeable', f.shortNoticeCancellationChargeable);
  set('action_plan', f.actionPlan);
  set('account_function', f.accountFunction);
  set('account_group', f.accountGroup);
  set('ffb_service_code', f.ffbServiceCode);
  set('ffb_service_name', f.ffbServiceName);
  set('local_service_code', f.localServiceCode);
  set('ffb_target_groups', f.ffbTargetGroups);
  set('valid_from', f.validFrom);
  return c;
}

function checkFields(f: Partial<VersionFieldsDto>) {
  if (f.validFrom && !isDate(f.validFrom)) throw new DomainError('validationFailed', 'validFrom is not a calendar date', [{ pointer: '/validFrom', reason: 'not a calendar date' }]);
  if (f.ffbServiceCode === null && f.localServiceCode === null)
    throw ruleViolated('give an FFB service code or a local service code', '/localServiceCode');
}

/**
 * Kvalitetsstandarder and their versions. Drafts are edited by administrators; approval records the
 * political decision and makes the version immutable; the database keeps approved periods from overlapping.
 */
@Injectable()
export class QualityStandardService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  today(): string {
    return danishDate(this.clock.now());
  }

  async list(q: ListQualityStandardsQuery): Promise<QualityStandardPage> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 1) as [string] | null;
    const today = this.today();
    const rows: (VersionRow & { latest_no: number | null; s_id: string; s_code: string; s_title: string; has_in_force: boolean })[] = await this.db.query(
      `SELECT qs.id AS s_id, qs.code AS s_code, qs.title AS s_title,
              (SELECT max(version_no) FROM quality_standard_version WHERE standard_id = qs.id) AS latest_no,
              f.*, f.id IS NOT NULL AS has_in_force
         FROM quality_standard qs
         LEFT JOIN LATERAL (${SELECT_VERSION}
                WHERE v.standard_id = qs.id AND v.status <> 'draft' AND daterange(v.valid_from, v.valid_to, '[)') @> $1::date) f ON true
        WHERE ($2::text IS NULL OR qs.code LIKE $2 || '-%')
          AND ($3::text IS NULL OR qs.code ILIKE '%' || $3 || '%' OR qs.title ILIKE '%' || $3 || '%')
          AND ($4::text IS NULL OR qs.code > $4)
        ORDER BY qs.code LIMIT $5`,
      [today, q.law ?? null, q.q?.replace(/[%_\\]/g, (c) => `\\${c}`) ?? null, after?.[0] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.s_code]);
    return {
      items: page.items.map((r) => ({
        id: r.s_id,
        code: r.s_code,
        title: r.s_title,
        inForce: r.has_in_force ? toSummary(r, today) : null,
        latestVersionNo: r.latest_no,
      })),
      nextCursor: page.nextCursor,
    };
  }

  async get(code: string): Promise<QualityStandardView> {
    const [standard]: { id: string; code: string; title: string; version: number }[] = await this.db.query(
      'SELECT id, code, title, version FROM quality_standard WHERE code = $1',
      [code],
    );
    if (!standard) throw notFound(`quality standard ${code}`);
    const versions: VersionRow[] = await this.db.query(`${SELECT_VERSION} WHERE v.standard_id = $1 ORDER BY v.version_no`, [standard.id]);
    const today = this.today();
    return { ...standard, versions: versions.map((v) => toSummary(v, today)) };
  }

  async getVersion(code: string, versionNo: number): Promise<VersionView> {
    const [row]: VersionRow[] = await this.db.query(`${SELECT_VERSION} WHERE s.code = $1 AND v.version_no = $2`, [code, versionNo]);
    if (!row) throw notFound(`version ${versionNo} of quality standard ${code}`);
    return toVersionView(row, this.today());
  }

  /** The approved version in force on a date (the one a decision made that day cites), or 404. */
  async inForce(code: string, date?: string): Promise<VersionView> {
    const day = date ?? this.today();
    if (!isDate(day)) throw new DomainError('validationFailed', 'date is not a calendar date', [{ pointer: '/date', reason: 'not a calendar date' }]);
    const [row]: VersionRow[] = await this.db.query(
      `${SELECT_VERSION} WHERE s.code = $1 AND v.status <> 'draft' AND daterange(v.valid_from, v.valid_to, '[)') @> $2::date`,
      [code, day],
    );
    if (!row) {
      await this.get(code);
      throw notFound(`a version of ${code} in force on ${day}`);
    }
    return toVersionView(row, this.today());
  }

  @Transactional()
  async create(principal: Principal | null, dto: CreateQualityStandardDto): Promise<QualityStandardView> {
    const [{ id }]: { id: string }[] = await this.db.query(
      'INSERT INTO quality_standard (code, title, version) VALUES ($1, $2, 1) RETURNING id',
      [dto.code, dto.title.trim()],
    );
    if (dto.draft) await this.insertDraft(principal, id, 1, dto.draft);
    return this.get(dto.code);
  }

  @Transactional()
  async createDraft(principal: Principal | null, code: string, fields: VersionFieldsDto): Promise<VersionView> {
    const standard = await this.lockStandard(code);
    const versionNo = await this.nextVersionNo(standard.id);
    await this.insertDraft(principal, standard.id, versionNo, fields);
    return this.getVersion(code, versionNo);
  }

  /** A new draft with the content of version n: the usual way to change a standard. */
  @Transactional()
  async copy(principal: Principal | null, code: string, fromVersionNo: number): Promise<VersionView> {
    const standard = await this.lockStandard(code);
    const source = await this.getVersion(code, fromVersionNo);
    const versionNo = await this.nextVersionNo(standard.id);
    await this.db.query(
      `INSERT INTO quality_standard_version (standard_id, version_no, status, legal_law, legal_paragraph, legal_subsection,
         target_group, purpose, content, scope_unit, scope_min, scope_max, max_duration_months, follow_up_interval_months,
         casework_deadline_days, start_deadline_days, settlement_basis, area_types, institution_types, panel_approval_required,
         least_intervention_rule, appealable, self_referral, anonymous_allowed, below_state_pension_age_only,
         short_notice_cancellation_chargeable, action_plan, account_function, account_group, ffb_service_code,
         ffb_service_name, local_service_code, ffb_target_groups, created_by, version)
       SELECT standard_id, $3, 'draft', legal_law, legal_paragraph, legal_subsection, target_group, purpose, content,
         scope_unit, scope_min, scope_max, max_duration_months, follow_up_interval_months, casework_deadline_days,
         start_deadline_days, settlement_basis, area_types, institution_types, panel_approval_required,
         least_intervention_rule, appealable, self_referral, anonymous_allowed, below_state_pension_age_only,
         short_notice_cancellation_chargeable, action_plan, account_function, account_group, ffb_service_code,
         ffb_service_name, local_service_code, ffb_target_groups, $4, 1
         FROM quality_standard_version WHERE id = $1 AND standard_id = $2`,
      [source.id, standard.id, versionNo, principal?.kind === 'user' ? principal.id : null],
    );
    return this.getVersion(code, versionNo);
  }

  @Transactional()
  async updateDraft(code: string, versionNo: number, rowVersion: number, dto: UpdateVersionDto): Promise<VersionView> {
    const current = await this.getVersion(code, versionNo);
    if (current.status !== 'draft') throw this.frozen(current);
    checkFields(dto);
    const columns = columnsOf(dto);
    if (dto.scopeMin !== undefined || dto.scopeMax !== undefined) {
      const min = dto.scopeMin !== undefined ? dto.scopeMin : current.scopeMin;
      const max = dto.scopeMax !== undefined ? dto.scopeMax : current.scopeMax;
      if (min !== null && max !== null && min > max)
        throw new DomainError('validationFailed', 'scopeMax must be at least scopeMin', [{ pointer: '/scopeMax', reason: 'smaller than scopeMin' }]);
    }
    const names = Object.keys(columns);
    const [row] = rowsOf<{ id: string }>(await this.db.query(
      `UPDATE quality_standard_version SET ${names.map((n, i) => `${n} = $${i + 3}`).join(', ')}${names.length ? ', ' : ''}
              version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 RETURNING id`,
      [current.id, rowVersion, ...names.map((n) => columns[n])],
    ));
    if (!row)
      throw new DomainError('versionMismatch', 'the draft was changed by someone else; reload and retry', [{ pointer: '#header/If-Match', reason: 'stale version' }]);
    return this.getVersion(code, versionNo);
  }

  @Transactional()
  async deleteDraft(code: string, versionNo: number): Promise<void> {
    const current = await this.getVersion(code, versionNo);
    if (current.status !== 'draft') throw this.frozen(current);
    await this.db.query('DELETE FROM quality_standard_version WHERE id = $1', [current.id]);
  }

  /**
   * Records the committee's approval. The version then takes effect on validFrom; an open-ended earlier
   * version is superseded the day before. Any other overlap is refused with the version it collides with.
   */
  @Transactional()
  async approve(principal: Principal | null, code: string, versionNo: number, dto: ApproveVersionDto): Promise<VersionView> {
    const standard = await this.lockStandard(code);
    const draft = await this.getVersion(code, versionNo);
    if (draft.status !== 'draft') throw conflict(`version ${versionNo} is already ${draft.status}`);
    const validFrom = dto.validFrom ?? draft.validFrom;
    if (!validFrom) throw new DomainError('validationFailed', 'give validFrom: the day the version takes effect', [{ pointer: '/validFrom', reason: 'required' }]);
    if (!isDate(validFrom) || !isDate(dto.approvedOn))
      throw new DomainError('validationFailed', 'validFrom and approvedOn must be calendar dates', [{ pointer: '/validFrom', reason: 'not a calendar date' }]);
    if (dto.approvedOn > this.today()) throw ruleViolated('approvedOn cannot be in the future: record the approval after the meeting', '/approvedOn');
    const others: { version_no: number; valid_from: string; valid_to: string | null; status: string }[] = await this.db.query(
      `SELECT version_no, valid_from::text AS valid_from, valid_to::text AS valid_to, status FROM quality_standard_version
        WHERE standard_id = $1 AND status <> 'draft' AND daterange(valid_from, valid_to, '[)') && daterange($2::date, NULL, '[)')
        ORDER BY valid_from`,
      [standard.id, validFrom],
    );
    for (const other of others) {
      const supersedable = other.status === 'approved' && other.valid_to === null && other.valid_from < validFrom;
      if (!supersedable)
        throw new DomainError(
          'conflict',
          `the period from ${validFrom} overlaps version ${other.version_no} (${other.valid_from} – ${other.valid_to ?? 'open'})`,
          [{ pointer: '/validFrom', reason: `overlaps version ${other.version_no}` }],
        );
    }
    await this.db.query(
      `UPDATE quality_standard_version SET valid_to = $2, updated_at = now()
        WHERE standard_id = $1 AND status = 'approved' AND valid_to IS NULL AND valid_from < $2`,
      [standard.id, validFrom],
    );
    await this.db.query(
      `UPDATE quality_standard_version SET status = 'approved', valid_from = $2, approved_by_committee = $3, approved_on = $4,
              approval_reference = $5, approved_by = $6, approved_at = now(), version = version + 1, updated_at = now()
        WHERE id = $1`,
      [draft.id, validFrom, dto.committee.trim(), dto.approvedOn, dto.reference.trim(), principal?.kind === 'user' ? principal.id : null],
    );
    return this.getVersion(code, versionNo);
  }

  /** Ends an approved version (and so the standard's service) from a date: no version is in force after it. */
  @Transactional()
  async retire(code: string, versionNo: number, retiredOn: string): Promise<VersionView> {
    await this.lockStandard(code);
    const v = await this.getVersion(code, versionNo);
    if (v.status !== 'approved') throw conflict(`only an approved version can be retired; version ${versionNo} is ${v.status}`);
    if (!isDate(retiredOn)) throw new DomainError('validationFailed', 'retiredOn is not a calendar date', [{ pointer: '/retiredOn', reason: 'not a calendar date' }]);
    if (v.validTo !== null) throw conflict(`version ${versionNo} was already superseded on ${v.validTo}`);
    if (retiredOn <= v.validFrom!) throw ruleViolated(`retiredOn must be after the version took effect (${v.validFrom})`, '/retiredOn');
    await this.db.query(
      `UPDATE quality_standard_version SET status = 'retired', valid_to = $2, version = version + 1, updated_at = now() WHERE id = $1`,
      [v.id, retiredOn],
    );
    return this.getVersion(code, versionNo);
  }

  private async insertDraft(principal: Principal | null, standardId: string, versionNo: number, fields: VersionFieldsDto) {
    checkFields(fields);
    const columns = { ...columnsOf(fields), standard_id: standardId, version_no: versionNo, status: 'draft', created_by: principal?.kind === 'user' ? principal.id : null, version: 1 };
    const names = Object.keys(columns);
    await this.db.query(
      `INSERT INTO quality_standard_version (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      names.map((n) => (columns as Record<string, unknown>)[n]),
    );
  }

  private async lockStandard(code: string): Promise<{ id: string }> {
    const [row]: { id: string }[] = await this.db.query('SELECT id FROM quality_standard WHERE code = $1 FOR UPDATE', [code]);
    if (!row) throw notFound(`quality standard ${code}`);
    return row;
  }

  private async nextVersionNo(standardId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(
      'SELECT coalesce(max(version_no), 0)::int + 1 AS n FROM quality_standard_version WHERE standard_id = $1',
      [standardId],
    );
    return n;
  }

  private frozen(v: VersionView) {
    return new DomainError('conflict', `version ${v.versionNo} is ${v.status}: an approved version is never edited or deleted; copy it to a new draft`);
  }
}
