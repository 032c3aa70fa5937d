import { AccessLogEntry } from 'src/platform/access-log/access-log-entry.entity';
import { WorkerHeartbeat } from 'src/platform/health/worker-heartbeat.entity';
import { IdempotencyRecord } from 'src/platform/idempotency/idempotency-record.entity';
import { OutboxEvent } from 'src/platform/outbox/outbox-event.entity';
import { ProcessedEvent } from 'src/platform/outbox/processed-event.entity';
import { QualityStandardVersion } from 'src/modules/catalogue/quality-standard-version.entity';
import { QualityStandard } from 'src/modules/catalogue/quality-standard.entity';
import { Rate } from 'src/modules/catalogue/rate.entity';
import { CitizenCase } from 'src/modules/citizens/citizen-case.entity';
import { Citizen } from 'src/modules/citizens/citizen.entity';
import { Inquiry } from 'src/modules/citizens/inquiry.entity';
import { JournalNote } from 'src/modules/citizens/journal-note.entity';
import { Visit } from 'src/modules/citizens/visit.entity';
import { GoalProgress, StaffNote, SubGoal } from 'src/modules/delivery/documentation.entity';
import { Attendance, DeliverySession, TreatmentCourse } from 'src/modules/delivery/registration.entity';
import { ProviderReport, UseOfForceReport } from 'src/modules/delivery/report.entity';
import { Stay, StayAbsence } from 'src/modules/delivery/stay.entity';
import { WaitingListEntry } from 'src/modules/delivery/waiting-list-entry.entity';
import { LedgerAccount } from 'src/modules/ledger/account.entity';
import { Budget, BudgetLine, ExpenseBatch, ExpenseLine } from 'src/modules/ledger/budget.entity';
import { JournalEntry, LedgerPeriod, LedgerPeriodReopening, Posting } from 'src/modules/ledger/journal.entity';
import { Notification } from 'src/modules/notifications/notification.entity';
import { AccountUnlock } from 'src/modules/organisation/account-unlock.entity';
import { ApiKey } from 'src/modules/organisation/api-key.entity';
import { LoginAttempt } from 'src/modules/organisation/login-attempt.entity';
import { Municipality } from 'src/modules/organisation/municipality.entity';
import { OrgUnit } from 'src/modules/organisation/org-unit.entity';
import { User } from 'src/modules/organisation/user.entity';
import { ActionPlan, ActionPlanVersion } from 'src/modules/visitation/action-plan.entity';
import { Assessment, AssessmentSectionEntry, AssessmentSupportNeed } from 'src/modules/visitation/assessment.entity';
import { Complaint } from 'src/modules/visitation/complaint.entity';
import { DeadlineNotice } from 'src/modules/visitation/deadline-notice.entity';
import { DecisionGoal } from 'src/modules/visitation/decision-goal.entity';
import { Decision } from 'src/modules/visitation/decision.entity';
import { FollowUp } from 'src/modules/visitation/follow-up.entity';
import { Grant } from 'src/modules/visitation/grant.entity';
import { Order } from 'src/modules/visitation/order.entity';
import { PanelReview } from 'src/modules/visitation/panel-review.entity';
import { SelfReferralAdmission } from 'src/modules/visitation/self-referral-admission.entity';

/** Every entity of every context: the DataSource, the CLI and the drift check see the same list. */
export const ENTITIES = [
  OutboxEvent,
  ProcessedEvent,
  WorkerHeartbeat,
  AccessLogEntry,
  IdempotencyRecord,
  Municipality,
  OrgUnit,
  User,
  LoginAttempt,
  ApiKey,
  Notification,
  QualityStandard,
  QualityStandardVersion,
  Rate,
  AccountUnlock,
  Citizen,
  CitizenCase,
  Inquiry,
  JournalNote,
  Visit,
  Assessment,
  AssessmentSectionEntry,
  AssessmentSupportNeed,
  Decision,
  DecisionGoal,
  PanelReview,
  SelfReferralAdmission,
  Grant,
  Order,
  ActionPlan,
  ActionPlanVersion,
  FollowUp,
  DeadlineNotice,
  Complaint,
  Stay,
  StayAbsence,
  WaitingListEntry,
  DeliverySession,
  Attendance,
  TreatmentCourse,
  SubGoal,
  GoalProgress,
  StaffNote,
  ProviderReport,
  UseOfForceReport,
  LedgerAccount,
  JournalEntry,
  Posting,
  LedgerPeriod,
  LedgerPeriodReopening,
  Budget,
  BudgetLine,
  ExpenseBatch,
  ExpenseLine,
];
