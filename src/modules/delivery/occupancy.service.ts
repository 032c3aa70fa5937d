import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { addDays, isDate } from 'src/platform/clock/danish-date';
import { DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { INSTITUTION_ROLES } from 'src/modules/visitation/visitation.constants';
import { OccupancyQuery, OccupancyView } from 'src/modules/delivery/delivery.dto';
import { OCCUPANCY_BY_DAY_SQL, OCCUPANCY_BY_MONTH_SQL } from 'src/modules/delivery/sql/occupancy.sql';

/** At most a year and a day per request: a day per row. */
const MAX_DAYS = 366;

/**
 * Belægning: places used per day and month against the institution's capacity. Aggregates, no personal data
 * (so no access-log rows). The capacity is the institution's capacity now: the organisation context keeps no
 * history of it.
 */
@Injectable()
export class OccupancyService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly units: OrgUnitService,
  ) {}

  @Transactional()
  async occupancy(principal: Principal, institutionId: string, q: OccupancyQuery): Promise<OccupancyView> {
    if (INSTITUTION_ROLES.includes(principal.role) && principal.institutionId !== institutionId) throw notFound('institution');
    const errors = [];
    if (!isDate(q.from)) errors.push({ pointer: '#query/from', reason: 'not a calendar date' });
    if (!isDate(q.to)) errors.push({ pointer: '#query/to', reason: 'not a calendar date' });
    if (errors.length) throw new DomainError('validationFailed', 'from and to are calendar dates', errors);
    if (q.to < q.from) throw ruleViolated('to is on or after from', '#query/to');
    if (addDays(q.from, MAX_DAYS - 1) < q.to) throw ruleViolated(`at most ${MAX_DAYS} days per request`, '#query/to');
    const institution = await this.units.getUnit(institutionId, 'institution');
    if (institution.capacity === null) throw ruleViolated('the institution has no places (no capacity): occupancy is about place-based institutions');
    const capacity = institution.capacity;
    const db = this.txHost.tx;
    const days: { day: string; places_used: number }[] = await db.query(OCCUPANCY_BY_DAY_SQL, [institutionId, q.from, q.to]);
    const months: { month: string; days: number; place_days: number; capacity_days: number; occupancy_percent: number }[] = await db.query(OCCUPANCY_BY_MONTH_SQL, [
      institutionId,
      q.from,
      q.to,
      capacity,
    ]);
    return {
      institutionId,
      capacity,
      from: q.from,
      to: q.to,
      days: days.map((d) => ({
        day: d.day,
        placesUsed: d.places_used,
        capacity,
        occupancyPercent: capacity > 0 ? Math.round((d.places_used * 1000) / capacity) / 10 : 0,
      })),
      months: months.map((m) => ({
        month: m.month,
        days: m.days,
        placeDays: m.place_days,
        capacityDays: m.capacity_days,
        occupancyPercent: Number(m.occupancy_percent),
      })),
    };
  }
}
