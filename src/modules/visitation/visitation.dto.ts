import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_CHANNELS, NotificationChannel } from 'src/platform/clock/deadlines';
import {
  ACTIVITY_THEMES,
  ActivityTheme,
  ADMISSION_STATUSES,
  AdmissionStatus,
  DECISION_KINDS,
  DECISION_STATUSES,
  DecisionKind,
  DecisionStatus,
  GOAL_TYPES,
  GoalType,
  ORDER_STATUSES,
  OrderStatus,
  PANEL_OUTCOMES,
  PanelOutcome,
} from 'src/modules/visitation/visitation.constants';

export class GoalView {
  ordinal: number;
  description: string;
  @ApiProperty({ enum: ACTIVITY_THEMES })
  primaryTheme: ActivityTheme;
  @ApiProperty({ enum: ACTIVITY_THEMES, isArray: true })
  secondaryThemes: ActivityTheme[];
  targetLevel: number;
  @ApiProperty({ enum: GOAL_TYPES })
  goalType: GoalType;
}

export class PanelReviewView {
  id: string;
  reviewerId: string;
  @ApiProperty({ enum: PANEL_OUTCOMES })
  outcome: PanelOutcome;
  comment: string | null;
  reviewedAt: string;
}

export class HearingView {
  @ApiProperty({ format: 'date', nullable: true, type: String })
  heldOn: string | null;
  summary: string | null;
  exemptionReason: string | null;
}

export class DecisionView {
  id: string;
  citizenId: string;
  caseId: string;
  inquiryId: string | null;
  assessmentId: string | null;
  @ApiProperty({ enum: DECISION_KINDS, description: 'grant = bevilling, refusal = afslag, change = ændring, termination = ophør' })
  kind: DecisionKind;
  @ApiProperty({ enum: DECISION_STATUSES, description: 'draft = kladde, awaitingPanel = til visitationsudvalget, approved = godkendt, notified = meddelt' })
  status: DecisionStatus;
  standardCode: string;
  standardVersionNo: number;
  /** Lovgrundlag, e.g. "SEL § 85, stk. 1". */
  legalBasis: string;
  @ApiProperty({ format: 'date' })
  decidedOn: string;
  scope: number | null;
  scopeUnit: string;
  requestedScope: number | null;
  /** A refusal, termination, reduction or partial grant: partshøring (or an exemption) is required. */
  unfavourable: boolean;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  validFrom: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  validTo: string | null;
  institutionId: string | null;
  grantId: string | null;
  servicePurpose: string | null;
  goals: GoalView[];
  reasoning: string;
  leastInterventionRequired: boolean;
  leastInterventionJustification: string | null;
  hearing: HearingView;
  panelRequired: boolean;
  panelReviews: PanelReviewView[];
  appealable: boolean;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  notifiedOn: string | null;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS, nullable: true })
  notificationChannel: NotificationChannel | null;
  /** The day the citizen counts as having received the decision. */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  receivedOn: string | null;
  /** Klagefrist: the last day a complaint is in time. */
  @ApiProperty({ format: 'date', nullable: true, type: String })
  complaintDeadline: string | null;
  /** Klagevejledning as sent. */
  complaintGuidance: string | null;
  /** The grant this decision made, once notified (grant, change). */
  resultingGrantId: string | null;
  caseworkerId: string;
  notifiedAt: string | null;
  createdAt: string;
  version: number;
}

export class GrantView {
  id: string;
  citizenId: string;
  caseId: string | null;
  decisionId: string | null;
  admissionId: string | null;
  standardCode: string;
  standardVersionNo: number;
  scope: number | null;
  scopeUnit: string;
  institutionId: string;
  rateId: string | null;
  @ApiProperty({ format: 'date' })
  validFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  validTo: string | null;
  endedByDecisionId: string | null;
  /** active today, future (starts later) or ended. */
  @ApiProperty({ enum: ['future', 'active', 'ended'] })
  state: 'future' | 'active' | 'ended';
  createdAt: string;
  version: number;
}

export class OrderView {
  id: string;
  grantId: string;
  citizenId: string;
  institutionId: string;
  @ApiProperty({ enum: ORDER_STATUSES, description: 'sent = sendt, accepted = accepteret, rejected = afvist, ended = afsluttet' })
  status: OrderStatus;
  /** What was sent: service, scope, period, purpose, goals. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  content: Record<string, unknown>;
  actionPlanId: string | null;
  /** The grant's period now (a change or termination may have brought its end forward). */
  @ApiProperty({ format: 'date' })
  grantValidFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  grantValidTo: string | null;
  sentAt: string;
  respondedAt: string | null;
  rejectionReason: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  startDate: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  endedOn: string | null;
  /** Kontaktperson: the institution's responsible employee, set on acceptance. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  responsibleStaffUserId: string | null;
  /** Or the responsible team. */
  @ApiProperty({ nullable: true, type: String })
  responsibleTeam: string | null;
  version: number;
}

export class OrderPage {
  items: OrderView[];
  nextCursor: string | null;
}

/** Optagelse af en selvmøder (§ 109 kvindekrisecenter, § 110 forsorgshjem) as the authority sees it. */
export class AdmissionView {
  id: string;
  citizenId: string;
  /** The institution (boform) whose leader admitted the citizen. */
  institutionId: string;
  /** The self-referral quality standard, e.g. SEL-110. */
  standardCode: string;
  /** The delivery context's id of the admission (recording is idempotent by it). */
  sourceRef: string;
  /** Optagelsesdato: the first night of the stay. */
  @ApiProperty({ format: 'date', description: 'Optagelsesdato: the first night of the stay' })
  admittedOn: string;
  /** Udskrivning: the last night of the stay, once discharged. */
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Udskrivningsdato: the last night of the stay, once discharged' })
  dischargedOn: string | null;
  @ApiProperty({ enum: ADMISSION_STATUSES, description: 'unconfirmed = ikke bekræftet, confirmed = bekræftet (a grant is made)' })
  status: AdmissionStatus;
  /** The grant (bevilling) made when the authority confirmed the admission. */
  grantId: string | null;
  /**
   * § 110 only (SEL § 110, stk. 3-4): the last day for notifying the acting municipality (handlekommunen) —
   * 3 working days after the admission. Null for other standards.
   */
  @ApiProperty({ format: 'date', nullable: true, type: String, description: '§ 110: underretning af handlekommunen senest (optagelse + 3 hverdage); null otherwise' })
  notificationDueBy: string | null;
  recordedAt: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

export class AdmissionPage {
  items: AdmissionView[];
  nextCursor: string | null;
}
