import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, addMonths, danishDate } from 'src/platform/clock/danish-date';
import { DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { GrantService } from 'src/modules/visitation/grant.service';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { DEFAULT_DELIVERY_THRESHOLD_PCT, DELIVERY_ROLES, DELIVERY_SECURITY_ROLES } from 'src/modules/delivery/delivery.constants';
import {
  DeliveryMonthQuery,
  DeliverySecurityQuery,
  GrantDeliveryView,
  GrantMonthDeliveryView,
  InstitutionDeliverySecurityView,
} from 'src/modules/delivery/delivery-security.dto';
import { DELIVERY_SECURITY } from 'src/modules/delivery/sql/delivery-security.sql';

interface DeliveryRow {
  grant_id: string;
  citizen_id: string;
  citizen_name: string | null;
  institution_id: string;
  standard_code: string;
  scope: string | null;
  scope_unit: string;
  valid_from: string;
  valid_to: string | null;
  days_active: number;
  days_in_month: number;
  granted_units: string;
  delivered_units: string;
  delivery_rate: string | null;
  under_delivered: boolean;
  total_granted_hours: string | null;
  total_delivered_hours: string | null;
  total_hours_rate: string | null;
}

const decimal = (v: string | null) => (v === null ? null : Number(v));

/**
 * Leverancesikkerhed: per grant and month, granted vs delivered units and the delivery rate, and per institution
 * the grants under-delivered (DOMAIN.md §1: the institution answers for delivery security towards the citizen).
 * The arithmetic is in one SQL statement (sql/delivery-security.sql.ts), exact until the display rounding.
 */
@Injectable()
export class DeliverySecurityService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly units: OrgUnitService,
    private readonly grants: GrantService,
    private readonly accessLog: AccessLogService,
  ) {}

  @Transactional()
  async forInstitution(principal: Principal, purpose: Purpose, institutionId: string, q: DeliverySecurityQuery): Promise<InstitutionDeliverySecurityView> {
    if (!DELIVERY_SECURITY_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see delivery security');
    if (DELIVERY_ROLES.includes(principal.role) && principal.institutionId !== institutionId) throw notFound('institution');
    await this.units.getUnit(institutionId, 'institution');
    const { month, from, to } = this.month(q.month);
    const threshold = q.threshold ?? DEFAULT_DELIVERY_THRESHOLD_PCT;
    const rows: DeliveryRow[] = await this.txHost.tx.query(DELIVERY_SECURITY, [institutionId, null, from, to, threshold]);
    const named = principal.role !== 'finance';
    if (named)
      await this.accessLog.record(
        principal,
        ...rows.map((r): AccessRecord => ({ action: 'read', objectType: 'grantDelivery', objectId: r.grant_id, citizenId: r.citizen_id, purpose })),
      );
    const grants = rows.map((r) => toView(r, named));
    const first = rows[0];
    return {
      institutionId,
      month,
      from,
      to,
      threshold,
      grants,
      underDelivered: grants.filter((g) => g.underDelivered).sort((a, b) => (a.deliveryRate ?? 0) - (b.deliveryRate ?? 0)),
      totals: {
        grantedHours: decimal(first?.total_granted_hours ?? null) ?? 0,
        deliveredHours: decimal(first?.total_delivered_hours ?? null) ?? 0,
        deliveryRate: decimal(first?.total_hours_rate ?? null),
      },
    };
  }

  /** One grant's month, for the caseworker and the grant's institution (another institution's grant: 404). */
  @Transactional()
  async forGrant(principal: Principal, purpose: Purpose, grantId: string, q: DeliveryMonthQuery & { threshold?: number }): Promise<GrantMonthDeliveryView> {
    if (!DELIVERY_ROLES.includes(principal.role) && !VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see a grant');
    const grant = await this.grants.requireGrant(principal, grantId);
    const { month, from, to } = this.month(q.month);
    const threshold = q.threshold ?? DEFAULT_DELIVERY_THRESHOLD_PCT;
    const [row]: DeliveryRow[] = await this.txHost.tx.query(DELIVERY_SECURITY, [null, grantId, from, to, threshold]);
    if (!row) throw ruleViolated('delivery security is measured for hour-based (hours per week or month) and day-based (days per week) grants');
    await this.accessLog.record(principal, { action: 'read', objectType: 'grantDelivery', objectId: grantId, citizenId: grant.citizenId, purpose });
    return { ...toView(row, true), month, from, to, threshold };
  }

  /** The month asked for (YYYY-MM, validated by the DTO), else last month in Denmark. */
  private month(given: string | undefined): { month: string; from: string; to: string } {
    const from = given ? `${given}-01` : addMonths(`${danishDate(this.clock.now()).slice(0, 7)}-01`, -1);
    return { month: from.slice(0, 7), from, to: addDays(addMonths(from, 1), -1) };
  }
}

function toView(r: DeliveryRow, named: boolean): GrantDeliveryView {
  return {
    grantId: r.grant_id,
    citizenId: named ? r.citizen_id : null,
    citizenName: named ? r.citizen_name : null,
    institutionId: r.institution_id,
    standardCode: r.standard_code,
    scope: decimal(r.scope),
    scopeUnit: r.scope_unit,
    unit: r.scope_unit === 'daysPerWeek' ? 'days' : 'hours',
    validFrom: r.valid_from,
    validTo: r.valid_to,
    daysActive: r.days_active,
    daysInMonth: r.days_in_month,
    grantedUnits: Number(r.granted_units),
    deliveredUnits: Number(r.delivered_units),
    deliveryRate: decimal(r.delivery_rate),
    underDelivered: r.under_delivered,
  };
}
