import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate, DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';
import { DomainError, FieldError } from 'src/platform/errors/domain-error';
import { CaseService } from 'src/modules/citizens/case.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CORRESPONDENCE_CHANNELS, CorrespondenceChannel, DECIDING_ROLES } from 'src/modules/visitation/visitation.constants';


/** Underretning om forventet sagsbehandlingstid (RSL § 3, stk. 2). */
export class CreateDeadlineNoticeDto {
  /** The day the notice was sent; not in the future. */
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'sentOn must be a date (YYYY-MM-DD)' })
  sentOn: string;

  @ApiProperty({ enum: CORRESPONDENCE_CHANNELS, description: 'Digital Post, brev, e-mail, telefon, personligt' })
  @IsIn(CORRESPONDENCE_CHANNELS)
  channel: CorrespondenceChannel;

  /** When the citizen can now expect the decision. */
  @ApiProperty({ format: 'date' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'expectedDecisionOn must be a date (YYYY-MM-DD)' })
  expectedDecisionOn: string;

  /** Why the decision is delayed, as told to the citizen. */
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason: string;
}

export class DeadlineNoticeView {
  id: string;
  inquiryId: string;
  citizenId: string;
  @ApiProperty({ format: 'date' })
  sentOn: string;
  @ApiProperty({ enum: CORRESPONDENCE_CHANNELS })
  channel: CorrespondenceChannel;
  @ApiProperty({ format: 'date' })
  expectedDecisionOn: string;
  reason: string;
  createdAt: string;
}

interface NoticeRow {
  id: string;
  inquiry_id: string;
  citizen_id: string;
  sent_on: string;
  channel: CorrespondenceChannel;
  expected_decision_on: string;
  reason: string;
  created_at: Date;
}

const toView = (r: NoticeRow): DeadlineNoticeView => ({
  id: r.id,
  inquiryId: r.inquiry_id,
  citizenId: r.citizen_id,
  sentOn: r.sent_on,
  channel: r.channel,
  expectedDecisionOn: r.expected_decision_on,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
});

const SELECT_NOTICE = `SELECT id, inquiry_id, citizen_id, sent_on::text AS sent_on, channel, expected_decision_on::text AS expected_decision_on,
                              reason, created_at FROM deadline_notice`;

/**
 * When an inquiry passes its casework deadline without a decision, the citizen gets a written notice with
 * the date a decision can be expected; the work list asks for one until it is recorded (and again when the
 * expected date passes). Notices are kept as sent.
 */
@Injectable()
export class DeadlineNoticeService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly cases: CaseService,
    private readonly accessLog: AccessLogService,
  ) {}

  @Transactional()
  async create(principal: Principal, purpose: Purpose, inquiryId: string, dto: CreateDeadlineNoticeDto): Promise<DeadlineNoticeView> {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members send deadline notices');
    const { inquiry, case: c } = await this.cases.requireInquiryById(principal, inquiryId);
    const today = danishDate(this.clock.now());
    const errors: FieldError[] = [];
    if (dto.sentOn > today) errors.push({ pointer: '/sentOn', reason: 'the notice date cannot be in the future' });
    if (dto.sentOn < inquiry.receivedOn) errors.push({ pointer: '/sentOn', reason: `the notice cannot predate the inquiry (${inquiry.receivedOn})` });
    if (dto.expectedDecisionOn <= today) errors.push({ pointer: '/expectedDecisionOn', reason: 'the expected decision date lies ahead' });
    if (errors.length) throw new DomainError('ruleViolated', errors.map((e) => e.reason).join('; '), errors);
    const [{ id }]: { id: string }[] = await this.txHost.tx.query(
      `INSERT INTO deadline_notice (inquiry_id, citizen_id, sent_on, channel, expected_decision_on, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [inquiryId, c.citizen_id, dto.sentOn, dto.channel, dto.expectedDecisionOn, dto.reason.trim(), principal.id],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'deadlineNotice', objectId: id, citizenId: c.citizen_id, purpose });
    const [row]: NoticeRow[] = await this.txHost.tx.query(`${SELECT_NOTICE} WHERE id = $1`, [id]);
    return toView(row);
  }

  @Transactional()
  async list(principal: Principal, purpose: Purpose, inquiryId: string): Promise<DeadlineNoticeView[]> {
    const { case: c } = await this.cases.requireInquiryById(principal, inquiryId);
    const rows: NoticeRow[] = await this.txHost.tx.query(`${SELECT_NOTICE} WHERE inquiry_id = $1 ORDER BY sent_on, created_at`, [inquiryId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'deadlineNotice', citizenId: c.citizen_id, purpose });
    return rows.map(toView);
  }
}
