import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';


/** The political approval (godkendelse i Social- og Sundhedsudvalget) that makes a draft binding. */
export class ApproveVersionDto {
  /** The committee that approved it, e.g. "Social- og Sundhedsudvalget". */
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  committee: string;

  /** The meeting date. */
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'approvedOn must be a date (YYYY-MM-DD)' })
  approvedOn: string;

  /** The journal or agenda reference (e.g. "SSU 12.03.2026, pkt. 4"). */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference: string;

  /** In force from (overrides the draft's validFrom). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom?: string;
}

export class RetireVersionDto {
  /** The first day the version is no longer in force. */
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'retiredOn must be a date (YYYY-MM-DD)' })
  retiredOn: string;
}
