import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { SESSION_STATUSES, SessionStatus, TREATMENT_OUTCOMES, TreatmentOutcome } from 'src/modules/delivery/delivery.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const dateMessage = (field: string) => ({ message: `${field} must be a date (YYYY-MM-DD)` });
const SESSION_TERMS = 'delivered = leveret, cancelledByCitizen = aflyst af borger, cancelledByProvider = aflyst af tilbuddet, noShow = udeblevet';
const OUTCOME_TERMS = 'drugFree = stoffri, reduced = reduceret forbrug, unchanged = uændret, increased = øget, droppedOut = ophørt før tid';

/**
 * A session of hour-based support. `minutes` is only type-checked here: its range (1–1440) is a rule of the
 * domain, answered with 422 and the rule (the wording), like the other registration rules.
 */
export class CreateSessionDto {
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('sessionDate'))
  sessionDate: string;

  /** Local time of day the session began (HH:MM). */
  @ApiPropertyOptional({ example: '09:30' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startsAt must be a time of day (HH:MM)' })
  startsAt?: string;

  /** Whole minutes, 1–1440 (a rule: outside it is 422). */
  @ApiProperty({ minimum: 1, maximum: 1440 })
  @IsInt()
  minutes: number;

  /** The employee who delivered it: a user of the order's institution. */
  @IsOptional()
  @IsUUID()
  staffUserId?: string;

  @ApiProperty({ enum: SESSION_STATUSES, description: SESSION_TERMS })
  @IsIn(SESSION_STATUSES)
  status: SessionStatus;

  /** The registration of this order this one corrects (it then no longer counts). */
  @IsOptional()
  @IsUUID()
  correctsId?: string;
}

/** Fremmøde in a day service on one day. */
export class CreateAttendanceDto {
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('attendedOn'))
  attendedOn: string;

  @IsBoolean()
  present: boolean;

  @IsOptional()
  @IsUUID()
  correctsId?: string;
}

/** A treatment course: its start, and once it ends, the end and the outcome together. */
export class CreateTreatmentCourseDto {
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('startedOn'))
  startedOn: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('endedOn'))
  endedOn?: string;

  @ApiPropertyOptional({ enum: TREATMENT_OUTCOMES, description: OUTCOME_TERMS })
  @IsOptional()
  @IsIn(TREATMENT_OUTCOMES)
  outcome?: TreatmentOutcome;

  @IsOptional()
  @IsUUID()
  correctsId?: string;
}

/** A period of registrations: both days inclusive, both optional. */
export class RegistrationPeriodQuery {
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('from'))
  from?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('to'))
  to?: string;
}

export class InstitutionSessionsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('from'))
  from?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, dateMessage('to'))
  to?: string;
}

/** Common to every registration: who it concerns, who recorded it, and whether a later one corrected it. */
export class RegistrationBaseView {
  id: string;
  orderId: string;
  citizenId: string;
  institutionId: string;
  /** The registration this one corrects. */
  correctsId: string | null;
  /** The registration that corrected this one: then this one no longer counts. */
  supersededBy: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

export class SessionView extends RegistrationBaseView {
  sessionDate: string;
  startsAt: string | null;
  minutes: number;
  staffUserId: string | null;
  @ApiProperty({ enum: SESSION_STATUSES, description: SESSION_TERMS })
  status: SessionStatus;
}

export class AttendanceView extends RegistrationBaseView {
  attendedOn: string;
  present: boolean;
}

export class TreatmentCourseView extends RegistrationBaseView {
  startedOn: string;
  endedOn: string | null;
  @ApiPropertyOptional({ enum: TREATMENT_OUTCOMES, description: OUTCOME_TERMS, nullable: true })
  outcome: TreatmentOutcome | null;
}

export class SessionPage {
  items: SessionView[];
  nextCursor: string | null;
}
