import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DECISION_KINDS, DECISION_STATUSES, DecisionKind, DecisionStatus } from 'src/modules/visitation/visitation.constants';

export class WorkListQuery {
  /** Whose list: `me` (default) or a caseworker's user id. */
  @ApiPropertyOptional({ default: 'me', example: 'me' })
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'caseworker must be "me" or a user id' })
  caseworker?: string;

  /** Inquiries whose casework deadline falls within this many days (and every overdue one). Default 14. */
  @ApiPropertyOptional({ default: 14, minimum: 0, maximum: 365 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365)
  dueWithinDays?: number;
}

export class WorkListCase {
  caseId: string;
  citizenId: string;
  citizenName: string | null;
  @ApiProperty({ format: 'date' })
  openedOn: string;
  /** The earliest sagsbehandlingsfrist of an inquiry not yet answered by a notified decision. */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  nextDeadline: string | null;
}

export class WorkListInquiry {
  inquiryId: string;
  caseId: string;
  citizenId: string;
  citizenName: string | null;
  standardCode: string;
  @ApiProperty({ format: 'date' })
  receivedOn: string;
  @ApiProperty({ format: 'date' })
  caseworkDeadline: string;
  /** Past the deadline without a decision. */
  overdue: boolean;
  /** The latest notice to the citizen (underretning), if any. */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  noticeSentOn: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  expectedDecisionOn: string | null;
  /** Overdue and no notice sent, or the expected date given has passed: send a notice (RSL § 3, stk. 2). */
  noticeRequired: boolean;
}

/** Behandlingsgaranti: § 101 and sundhedsloven § 141 treatment starts within 14 days of the inquiry. */
export class WorkListTreatmentStart {
  inquiryId: string;
  caseId: string;
  citizenId: string;
  citizenName: string | null;
  standardCode: string;
  @ApiProperty({ format: 'date' })
  receivedOn: string;
  @ApiProperty({ format: 'date' })
  startDeadline: string;
  /** The first accepted order's start, if it started late. */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  startedOn: string | null;
  /** Not started by the deadline (or started after it). */
  breached: boolean;
}

export class WorkListFollowUp {
  followUpId: string;
  grantId: string;
  citizenId: string;
  citizenName: string | null;
  standardCode: string;
  @ApiProperty({ format: 'date' })
  dueOn: string;
  @ApiProperty({ enum: ['schedule', 'providerReport', 'manual'] })
  source: string;
  overdue: boolean;
}

export class WorkListComplaint {
  complaintId: string;
  decisionId: string;
  caseId: string;
  citizenId: string;
  citizenName: string | null;
  standardCode: string;
  status: string;
  @ApiProperty({ format: 'date' })
  receivedOn: string;
  late: boolean;
  /** reassess = genvurdering (4 weeks), forward = send to Ankestyrelsen, decideAgain = a remitted (hjemvist) case. */
  @ApiProperty({ enum: ['reassess', 'forward', 'decideAgain'] })
  task: 'reassess' | 'forward' | 'decideAgain';
  @ApiProperty({ format: 'date' })
  dueOn: string;
  overdue: boolean;
}

export class WorkListActionPlan {
  caseId: string;
  citizenId: string;
  citizenName: string | null;
  /** The current services that call for a handleplan. */
  standardCodes: string[];
  /** § 142 (a § 110 stay): the plan is mandatory, not only to be offered. */
  mandatory: boolean;
}

export class WorkListDecision {
  decisionId: string;
  caseId: string;
  citizenId: string;
  citizenName: string | null;
  @ApiProperty({ enum: DECISION_KINDS })
  kind: DecisionKind;
  @ApiProperty({ enum: DECISION_STATUSES })
  status: DecisionStatus;
  standardCode: string;
  @ApiProperty({ format: 'date' })
  decidedOn: string;
  caseworkerId: string;
}

export class WorkListStay {
  admissionId: string;
  citizenId: string;
  citizenName: string | null;
  institutionId: string;
  standardCode: string;
  @ApiProperty({ format: 'date' })
  admittedOn: string;
  /** unconfirmed or confirmed (as a grant). */
  admissionStatus: string;
}

/** Arbejdsliste: what is due for a caseworker (or, for a panel member, also the panel's queue). */
export class WorkListView {
  caseworkerId: string;
  @ApiProperty({ format: 'date' })
  today: string;
  /** Mine åbne sager. */
  openCases: WorkListCase[];
  /** Henvendelser near or past their sagsbehandlingsfrist without a decision. */
  inquiriesDue: WorkListInquiry[];
  /** My drafts (kladder), including those the panel returned. */
  draftDecisions: WorkListDecision[];
  /** My decisions with the visitationsudvalg. */
  awaitingPanel: WorkListDecision[];
  /** Decisions others made that await the panel: shown to panel members. */
  panelQueue: WorkListDecision[];
  /** Approved by the panel, to be meddelt (notified). */
  toNotify: WorkListDecision[];
  /** Treatment (§ 101, SUL § 141) not started within its start deadline, or about to miss it. */
  treatmentStarts: WorkListTreatmentStart[];
  /** Opfølgninger due by the horizon, overdue first. */
  followUpsDue: WorkListFollowUp[];
  /** Klager: to re-assess, to forward, remitted cases to decide again. */
  complaints: WorkListComplaint[];
  /** Citizens with services that call for a handleplan not offered yet. */
  actionPlansNotOffered: WorkListActionPlan[];
  /** Self-referral admissions (§ 109/§ 110) waiting for confirmation, for the whole authority. */
  unconfirmedAdmissions: number;
  /** Current § 110 stays without a § 142 handleplan offered (mandatory), for the whole authority. */
  staysNeedingActionPlan: WorkListStay[];
}
