import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { CreateCitizenDto } from 'src/modules/citizens/create-citizen.dto';
import type { InboxStatus } from 'src/modules/visitation/order.service';
import { AdmissionView, OrderView } from 'src/modules/visitation/visitation.dto';
import { DISCHARGE_DESTINATIONS, DischargeDestination, STAY_SOURCES, StaySource, WAITING_STATUSES, WaitingStatus } from 'src/modules/delivery/delivery.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const DATE_MESSAGE = 'a calendar date (YYYY-MM-DD)';
export const INBOX_STATUSES: readonly InboxStatus[] = ['new', 'accepted', 'active', 'ended', 'rejected'];

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: INBOX_STATUSES,
    description: 'new = ny (sendt, also when on the waiting list), accepted = accepteret (start ahead), active = i gang, ended = afsluttet, rejected = afvist',
  })
  @IsOptional()
  @IsIn(INBOX_STATUSES)
  status?: InboxStatus;

  @IsOptional()
  @IsUUID()
  citizenId?: string;
}

export class AcceptOrderDto {
  /** The first day of delivery; for a place, the admission day (within the grant's period). */
  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: `startDate must be ${DATE_MESSAGE}` })
  startDate: string;

  /** Venteliste priority if there is no place: 1 urgent, 2 high, 3 normal (default). */
  @ApiPropertyOptional({ minimum: 1, maximum: 3, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  priority?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;

  /** Kontaktperson: the employee responsible for the citizen (a user of this institution). */
  @IsOptional()
  @IsUUID()
  responsibleStaffUserId?: string;

  /** Or the responsible team, e.g. "Team Nord". */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  responsibleTeam?: string;
}

export class RejectOrderDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class RemoveWaitingListEntryDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class DischargeDto {
  /** The day the citizen left (the last night is the day before). */
  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: `dischargedOn must be ${DATE_MESSAGE}` })
  dischargedOn: string;

  @ApiProperty({ enum: DISCHARGE_DESTINATIONS, description: 'ownHome = egen bolig, otherService = andet tilbud, hospital, unknown = ukendt' })
  @IsIn(DISCHARGE_DESTINATIONS)
  destination: DischargeDestination;
}

export class AbsenceDto {
  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: `fromDate must be ${DATE_MESSAGE}` })
  fromDate: string;

  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: `toDate must be ${DATE_MESSAGE}` })
  toDate: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class StaysQuery {
  /** The day the stays cover (default today). */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE, { message: `at must be ${DATE_MESSAGE}` })
  at?: string;
}

export class AnonymousAdmissionDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  alias?: string;
}

/** A selvmøder's admission: an existing citizen by id, a new (or already known) citizen by CPR, or an anonymous client where the standard allows. */
export class AdmitDto {
  @ApiProperty({ example: 'SEL-110', description: 'The self-referral standard: SEL-109 (kvindekrisecenter) or SEL-110 (forsorgshjem)' })
  @Matches(/^[A-Za-z0-9-]{2,40}$/, { message: 'standardCode is a quality-standard code such as SEL-110' })
  standardCode: string;

  /** The first night (default today); never in the future. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE, { message: `admittedOn must be ${DATE_MESSAGE}` })
  admittedOn?: string;

  /** A citizen the institution may see already (e.g. admitted before). */
  @ValidateIf((o: AdmitDto) => o.citizen === undefined && o.anonymousClient === undefined)
  @IsUUID()
  citizenId?: string;

  /** A citizen new to the institution, by CPR and name: created, or the known record for that CPR. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateCitizenDto)
  citizen?: CreateCitizenDto;

  /** An anonymous client (pseudonym), only where the standard allows it. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AnonymousAdmissionDto)
  anonymousClient?: AnonymousAdmissionDto;
}

export class AdmissionsQuery {
  @ApiPropertyOptional({ enum: ['noticeOverdue'], description: 'noticeOverdue = § 110 admissions whose notice to the acting municipality was not recorded within 3 working days' })
  @IsOptional()
  @IsIn(['noticeOverdue'])
  flag?: 'noticeOverdue';
}

export class OccupancyQuery {
  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: `from must be ${DATE_MESSAGE}` })
  from: string;

  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: `to must be ${DATE_MESSAGE}` })
  to: string;
}

export class AbsenceView {
  id: string;
  @ApiProperty({ format: 'date' })
  fromDate: string;
  @ApiProperty({ format: 'date' })
  toDate: string;
  reason: string;
}

export class StayView {
  id: string;
  @ApiProperty({ enum: STAY_SOURCES })
  source: StaySource;
  orderId: string | null;
  admissionId: string | null;
  citizenId: string;
  institutionId: string;
  @ApiProperty({ format: 'date' })
  admittedOn: string;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  dischargedOn: string | null;
  @ApiProperty({ enum: DISCHARGE_DESTINATIONS, nullable: true })
  dischargeDestination: DischargeDestination | null;
  actingMunicipalityNotifiedAt: string | null;
  absences: AbsenceView[];
  version: number;
}

export class WaitingListEntryView {
  id: string;
  orderId: string;
  citizenId: string;
  institutionId: string;
  priority: number;
  @ApiProperty({ format: 'date' })
  listedOn: string;
  @ApiProperty({ enum: WAITING_STATUSES, description: 'waiting = venter, offered = tilbudt en plads, admitted = optaget, removed = fjernet' })
  status: WaitingStatus;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  offeredOn: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  closedOn: string | null;
  note: string | null;
  /** 1-based place in the queue (priority, then listed date, then when listed) while waiting or offered; else null. */
  @ApiProperty({ nullable: true, type: Number })
  position: number | null;
  version: number;
}

/** The answer to an accept: accepted with its stay (200), or no place — on the waiting list (202). */
export class AcceptOutcomeView {
  @ApiProperty({ enum: ['accepted', 'waitingList'] })
  outcome: 'accepted' | 'waitingList';
  order: OrderView;
  @ApiProperty({ type: StayView, nullable: true })
  stay: StayView | null;
  @ApiProperty({ type: WaitingListEntryView, nullable: true })
  waitingListEntry: WaitingListEntryView | null;
}

export class InboxItemView {
  order: OrderView;
  /** The order's open or closed waiting-list entry, if any. */
  @ApiProperty({ type: WaitingListEntryView, nullable: true })
  waitingListEntry: WaitingListEntryView | null;
  @ApiProperty({ nullable: true, type: String })
  stayId: string | null;
}

export class InboxPage {
  items: InboxItemView[];
  nextCursor: string | null;
}

export class SelfReferralAdmissionView {
  stay: StayView;
  admission: AdmissionView;
  /** true when the citizen was registered by this admission. */
  citizenCreated: boolean;
  /** § 110: the notice to the acting municipality is due by (3 working days); null for § 109. */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  noticeDueBy: string | null;
  noticeOverdue: boolean;
}

export class OccupancyDayView {
  @ApiProperty({ format: 'date' })
  day: string;
  placesUsed: number;
  capacity: number;
  /** placesUsed / capacity × 100, one decimal. */
  occupancyPercent: number;
}

export class OccupancyMonthView {
  /** YYYY-MM */
  month: string;
  /** The days of the month within from–to. */
  days: number;
  /** Σ places used over those days (døgn). */
  placeDays: number;
  /** capacity × days. */
  capacityDays: number;
  /** placeDays / capacityDays × 100, one decimal. */
  occupancyPercent: number;
}

export class OccupancyView {
  institutionId: string;
  capacity: number;
  @ApiProperty({ format: 'date' })
  from: string;
  @ApiProperty({ format: 'date' })
  to: string;
  days: OccupancyDayView[];
  months: OccupancyMonthView[];
}

/** When the notice to the acting municipality was sent (default now). */
export class MunicipalityNoticeDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2027-03-01T14:30:00+01:00' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'sentAt must be a date-time with its offset' })
  sentAt?: string;
}
