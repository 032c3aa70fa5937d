import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class DeliveryMonthQuery {
  /** The calendar month (YYYY-MM); default: last month. */
  @ApiPropertyOptional({ example: '2026-03', pattern: MONTH.source })
  @IsOptional()
  @Matches(MONTH, { message: 'month must be a calendar month (YYYY-MM)' })
  month?: string;
}

export class DeliverySecurityQuery extends DeliveryMonthQuery {
  /** A grant delivered below this percentage of its granted units is under-delivered (default 90). */
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, default: 90 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  threshold?: number;
}

/**
 * One grant's month: granted units (scope pro rata over the days active), delivered units and the rate.
 * Figures are rounded to 2 decimals for display only; the under-delivered test uses the exact values.
 */
export class GrantDeliveryView {
  grantId: string;
  /** Null for finance (aggregates only). */
  citizenId: string | null;
  /** Null for finance (aggregates only). */
  citizenName: string | null;
  institutionId: string;
  standardCode: string;
  scope: number | null;
  scopeUnit: string;
  @ApiProperty({ enum: ['hours', 'days'], description: 'hours = timer (sessions), days = dage (fremmøde)' })
  unit: 'hours' | 'days';
  validFrom: string;
  validTo: string | null;
  daysActive: number;
  daysInMonth: number;
  grantedUnits: number;
  deliveredUnits: number;
  /** delivered / granted × 100; null when nothing is granted in the month. */
  deliveryRate: number | null;
  underDelivered: boolean;
}

export class DeliveryTotalsView {
  /** Hour-based grants only (days of attendance are another unit). */
  grantedHours: number;
  deliveredHours: number;
  deliveryRate: number | null;
}

export class InstitutionDeliverySecurityView {
  institutionId: string;
  month: string;
  from: string;
  to: string;
  threshold: number;
  grants: GrantDeliveryView[];
  /** The grants delivered below the threshold, lowest rate first. */
  underDelivered: GrantDeliveryView[];
  totals: DeliveryTotalsView;
}

export class GrantMonthDeliveryView extends GrantDeliveryView {
  month: string;
  from: string;
  to: string;
  threshold: number;
}
