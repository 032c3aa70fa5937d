import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate, isDate } from 'src/platform/clock/danish-date';
import { DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import 'src/modules/catalogue/catalogue.errors';
import { EffectiveRateView, ListRatesQuery, RateView } from 'src/modules/catalogue/catalogue.dto';
import { CreateRateDto } from 'src/modules/catalogue/create-rate.dto';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';

interface RateRow {
  id: string;
  standard_id: string;
  code: string;
  institution_id: string | null;
  valid_from: string;
  valid_to: string | null;
  price_oere: string;
  unit: RateView['unit'];
  planned_occupancy_pct: string | null;
  note: string | null;
  created_at: Date;
}

const SELECT_RATE = `
  SELECT r.id, r.standard_id, s.code, r.institution_id, r.valid_from::text AS valid_from, r.valid_to::text AS valid_to,
         r.price_oere, r.planned_occupancy_pct, r.note, r.created_at,
         (SELECT v.scope_unit FROM quality_standard_version v
           WHERE v.standard_id = r.standard_id AND v.status <> 'draft'
             AND daterange(v.valid_from, v.valid_to, '[)') @> r.valid_from) AS unit
    FROM rate r JOIN quality_standard s ON s.id = r.standard_id`;

function toView(r: RateRow, today: string): RateView {
  const price = Number(r.price_oere);
  if (!Number.isSafeInteger(price)) throw new RangeError(`price outside the safe range: ${r.price_oere}`);
  return {
    id: r.id,
    standardCode: r.code,
    standardId: r.standard_id,
    institutionId: r.institution_id,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    priceOere: price,
    unit: r.unit,
    plannedOccupancyPct: r.planned_occupancy_pct === null ? null : Number(r.planned_occupancy_pct),
    note: r.note,
    editable: r.valid_from > today,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Takster. A rate is for one institution or, without one, the standard's general rate. Periods of the same
 * (standard, institution) never overlap (exclusion constraint); an open-ended rate is closed automatically
 * when the next one starts; a rate in effect is never edited.
 */
@Injectable()
export class RateService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly units: OrgUnitService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  private today() {
    return danishDate(this.clock.now());
  }

  async list(q: ListRatesQuery): Promise<RateView[]> {
    if (q.at && !isDate(q.at)) throw new DomainError('validationFailed', 'at is not a calendar date', [{ pointer: '/at', reason: 'not a calendar date' }]);
    const rows: RateRow[] = await this.db.query(
      `${SELECT_RATE}
        WHERE ($1::text IS NULL OR s.code = $1) AND ($2::uuid IS NULL OR r.institution_id = $2)
          AND ($3::date IS NULL OR daterange(r.valid_from, r.valid_to, '[)') @> $3::date)
        ORDER BY s.code, r.institution_id NULLS FIRST, r.valid_from LIMIT 1000`,
      [q.standard ?? null, q.institutionId ?? null, q.at ?? null],
    );
    const today = this.today();
    return rows.map((r) => toView(r, today));
  }

  async get(id: string): Promise<RateView> {
    const [row]: RateRow[] = await this.db.query(`${SELECT_RATE} WHERE r.id = $1`, [id]);
    if (!row) throw notFound('rate');
    return toView(row, this.today());
  }

  /** The institution's own rate on the date, else the standard's general rate; 404 when neither exists. */
  async effective(standard: string, institutionId: string | null, date?: string): Promise<EffectiveRateView> {
    const day = date ?? this.today();
    if (!isDate(day)) throw new DomainError('validationFailed', 'date is not a calendar date', [{ pointer: '/date', reason: 'not a calendar date' }]);
    const [row]: RateRow[] = await this.db.query(
      `${SELECT_RATE}
        WHERE s.code = $1 AND (r.institution_id = $2 OR r.institution_id IS NULL)
          AND daterange(r.valid_from, r.valid_to, '[)') @> $3::date
        ORDER BY r.institution_id NULLS LAST LIMIT 1`,
      [standard, institutionId, day],
    );
    if (!row) throw notFound(`a rate for ${standard}${institutionId ? ' at the institution' : ''} on ${day}`);
    return { ...toView(row, this.today()), source: row.institution_id ? 'institution' : 'general' };
  }

  @Transactional()
  async create(principal: Principal | null, dto: CreateRateDto): Promise<RateView> {
    if (!isDate(dto.validFrom)) throw new DomainError('validationFailed', 'validFrom is not a calendar date', [{ pointer: '/validFrom', reason: 'not a calendar date' }]);
    if (dto.validTo && (!isDate(dto.validTo) || dto.validTo <= dto.validFrom))
      throw new DomainError('validationFailed', 'validTo must be a date after validFrom', [{ pointer: '/validTo', reason: 'not after validFrom' }]);
    const [standard]: { id: string }[] = await this.db.query('SELECT id FROM quality_standard WHERE code = $1 FOR UPDATE', [dto.standard]);
    if (!standard) throw ruleViolated(`there is no quality standard ${dto.standard}`, '/standard');
    const [version]: { institution_types: string[]; area_types: string[]; version_no: number; scope_unit: string }[] = await this.db.query(
      `SELECT institution_types, area_types, version_no, scope_unit FROM quality_standard_version
        WHERE standard_id = $1 AND status <> 'draft' AND daterange(valid_from, valid_to, '[)') @> $2::date`,
      [standard.id, dto.validFrom],
    );
    if (!version) throw ruleViolated(`${dto.standard} has no approved version in force on ${dto.validFrom}`, '/validFrom');
    if (dto.institutionId) await this.checkDeliverable(dto.institutionId, dto.standard, version);
    if (dto.plannedOccupancyPct !== undefined && !['place', 'dwelling', 'days'].includes(version.scope_unit))
      throw ruleViolated('a planned occupancy belongs to place-based services only', '/plannedOccupancyPct');

    const collisions: { id: string; valid_from: string; valid_to: string | null }[] = await this.db.query(
      `SELECT id, valid_from::text AS valid_from, valid_to::text AS valid_to FROM rate
        WHERE standard_id = $1 AND institution_id IS NOT DISTINCT FROM $2
          AND daterange(valid_from, valid_to, '[)') && daterange($3::date, $4::date, '[)')
          AND NOT (valid_to IS NULL AND valid_from < $3::date)
        ORDER BY valid_from LIMIT 1`,
      [standard.id, dto.institutionId ?? null, dto.validFrom, dto.validTo ?? null],
    );
    if (collisions.length) {
      const c = collisions[0];
      throw new DomainError('conflict', `the period overlaps rate ${c.id} (${c.valid_from} – ${c.valid_to ?? 'open'})`, [
        { pointer: '/validFrom', reason: `overlaps rate ${c.id}` },
      ]);
    }
    // The previous open-ended rate ends where this one starts.
    await this.db.query(
      `UPDATE rate SET valid_to = $3 WHERE standard_id = $1 AND institution_id IS NOT DISTINCT FROM $2 AND valid_to IS NULL AND valid_from < $3`,
      [standard.id, dto.institutionId ?? null, dto.validFrom],
    );
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO rate (standard_id, institution_id, valid_from, valid_to, price_oere, planned_occupancy_pct, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        standard.id,
        dto.institutionId ?? null,
        dto.validFrom,
        dto.validTo ?? null,
        dto.priceOere,
        dto.plannedOccupancyPct ?? null,
        dto.note ?? null,
        principal?.kind === 'user' ? principal.id : null,
      ],
    );
    return this.get(id);
  }

  /** Deletes a rate that has not taken effect yet (a rate in effect is 409). */
  @Transactional()
  async remove(id: string): Promise<void> {
    const rate = await this.get(id);
    if (!rate.editable) throw new DomainError('conflict', `the rate has been in effect since ${rate.validFrom}: it is never deleted, only closed by a new rate`);
    await this.db.query('DELETE FROM rate WHERE id = $1', [id]);
  }

  private async checkDeliverable(institutionId: string, code: string, version: { institution_types: string[]; area_types: string[]; version_no: number }) {
    const institution = await this.units.getUnit(institutionId, 'institution').catch(() => null);
    if (!institution) throw ruleViolated('the institution does not exist', '/institutionId');
    if (!version.institution_types.includes(institution.institutionType!))
      throw ruleViolated(
        `${institution.name} (${institution.institutionType}) cannot deliver ${code}: version ${version.version_no} allows ${version.institution_types.join(', ') || 'no institution types'}`,
        '/institutionId',
      );
    if (!institution.external && institution.parentId && version.area_types.length) {
      const area = await this.units.getUnit(institution.parentId, 'operatingArea');
      if (!version.area_types.includes(area.areaType!))
        throw ruleViolated(`${institution.name} belongs to ${area.name}, which does not deliver ${code}`, '/institutionId');
    }
  }
}
