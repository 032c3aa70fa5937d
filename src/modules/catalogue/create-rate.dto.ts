import { IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';


export class CreateRateDto {
  /** The quality standard's code, e.g. SEL-108. */
  @Matches(/^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/, { message: 'standard must be a quality-standard code such as SEL-85' })
  standard: string;

  /** The institution the rate is for; omit for the standard's general rate. */
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom: string;

  /** Exclusive end; omit for open-ended (closed automatically when the next rate starts). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validTo must be a date (YYYY-MM-DD)' })
  validTo?: string;

  /** Price per unit of the standard's scope unit, in whole øre (kr × 100). */
  @IsInt({ message: 'priceOere must be a whole number of øre' })
  @Min(0)
  @Max(100_000_000_00)
  priceOere: number;

  /** Belægningsprocent the price assumes (place-based services). */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(100)
  plannedOccupancyPct?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
