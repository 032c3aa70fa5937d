import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { DomainError } from 'src/platform/errors/domain-error';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CaseworkerCheck } from 'src/modules/citizens/caseworker-check';
import {
  ACTION_PLANS_NOT_OFFERED,
  COMPLAINTS_DUE,
  DECISIONS_IN,
  FOLLOW_UPS_DUE,
  INQUIRIES_DUE,
  LATEST_NOTICES,
  OPEN_CASES,
  TREATMENT_STARTS,
  STAYS_NEEDING_PLAN,
  UNCONFIRMED_ADMISSIONS,
} from 'src/modules/visitation/sql/work-list.sql';
import { WorkListDecision, WorkListQuery, WorkListView } from 'src/modules/visitation/work-list.dto';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';

type Row = Record<string, unknown>;

interface DecisionItemRow {
  decision_id: string;
  case_id: string;
  citizen_id: string;
  citizen_name: string | null;
  kind: WorkListDecision['kind'];
  status: WorkListDecision['status'];
  standard_code: string;
  decided_on: string;
  caseworker_id: string;
}

const toDecisionItem = (r: DecisionItemRow): WorkListDecision => ({
  decisionId: r.decision_id,
  caseId: r.case_id,
  citizenId: r.citizen_id,
  citizenName: r.citizen_name,
  kind: r.kind,
  status: r.status,
  standardCode: r.standard_code,
  decidedOn: r.decided_on,
  caseworkerId: r.caseworker_id,
});

/** Arbejdslisten: a caseworker's open cases, deadlines, drafts and decisions with the panel; the panel's queue. */
@Injectable()
export class WorkListService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly caseworkers: CaseworkerCheck,
    private readonly accessLog: AccessLogService,
  ) {}

  @Transactional()
  async forCaseworker(principal: Principal, purpose: Purpose, q: WorkListQuery): Promise<WorkListView> {
    if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'work lists are the authority’s');
    const me = principal.kind === 'user' ? principal.id : null;
    const caseworkerId = !q.caseworker || q.caseworker.toLowerCase() === 'me' ? me : q.caseworker;
    if (!caseworkerId) throw new DomainError('validationFailed', 'an API key has no work list of its own: give caseworker=<user id>', [{ pointer: '/caseworker', reason: 'required for API keys' }]);
    if (caseworkerId !== me) await this.caseworkers.require(principal, caseworkerId, '/caseworker');
    const today = danishDate(this.clock.now());
    const horizon = addDays(today, q.dueWithinDays ?? 14);
    const db = this.txHost.tx;
    const [cases, inquiries, drafts, awaiting, toNotify] = [
      await db.query(OPEN_CASES, [caseworkerId]),
      await db.query(INQUIRIES_DUE, [caseworkerId, today, horizon]),
      await db.query(DECISIONS_IN, [caseworkerId, ['draft'], false]),
      await db.query(DECISIONS_IN, [caseworkerId, ['awaitingPanel'], false]),
      await db.query(DECISIONS_IN, [caseworkerId, ['approved'], false]),
    ] as [
      { case_id: string; citizen_id: string; citizen_name: string | null; opened_on: string; next_deadline: string | null }[],
      { inquiry_id: string; case_id: string; citizen_id: string; citizen_name: string | null; standard_code: string; received_on: string; casework_deadline: string; overdue: boolean }[],
      DecisionItemRow[],
      DecisionItemRow[],
      DecisionItemRow[],
    ];
    const notices: { inquiry_id: string; sent_on: string; expected_decision_on: string }[] = inquiries.length
      ? await db.query(LATEST_NOTICES, [inquiries.map((i) => i.inquiry_id)])
      : [];
    const treatments: Row[] = await db.query(TREATMENT_STARTS, [caseworkerId, today]);
    const followUps: Row[] = await db.query(FOLLOW_UPS_DUE, [caseworkerId, today, horizon]);
    const complaints: Row[] = await db.query(COMPLAINTS_DUE, [caseworkerId]);
    const plans: Row[] = await db.query(ACTION_PLANS_NOT_OFFERED, [caseworkerId, today]);
    const [{ n: unconfirmedAdmissions }]: { n: number }[] = await db.query(UNCONFIRMED_ADMISSIONS);
    const stays: Row[] = await db.query(STAYS_NEEDING_PLAN, [today]);
    const panelQueue: DecisionItemRow[] =
      principal.role === 'panelMember' && caseworkerId === me ? await db.query(DECISIONS_IN, [caseworkerId, ['awaitingPanel'], true]) : [];

    // The list shows citizens' names: each citizen on it is logged as read, once.
    const citizens = new Set(
      [...cases, ...inquiries, ...drafts, ...awaiting, ...toNotify, ...panelQueue, ...treatments, ...followUps, ...complaints, ...plans, ...stays].map((r) => r.citizen_id as string),
    );
    await this.accessLog.record(principal, ...[...citizens].map((citizenId): AccessRecord => ({ action: 'read', objectType: 'workList', citizenId, purpose })));
    return {
      caseworkerId,
      today,
      openCases: cases.map((r) => ({ caseId: r.case_id, citizenId: r.citizen_id, citizenName: r.citizen_name, openedOn: r.opened_on, nextDeadline: r.next_deadline })),
      inquiriesDue: inquiries.map((r) => {
        const notice = notices.find((n) => n.inquiry_id === r.inquiry_id);
        return {
          inquiryId: r.inquiry_id,
          caseId: r.case_id,
          citizenId: r.citizen_id,
          citizenName: r.citizen_name,
          standardCode: r.standard_code,
          receivedOn: r.received_on,
          caseworkDeadline: r.casework_deadline,
          overdue: r.overdue,
          noticeSentOn: notice?.sent_on ?? null,
          expectedDecisionOn: notice?.expected_decision_on ?? null,
          noticeRequired: r.overdue && (!notice || notice.expected_decision_on < today),
        };
      }),
      draftDecisions: drafts.map(toDecisionItem),
      awaitingPanel: awaiting.map(toDecisionItem),
      panelQueue: panelQueue.map(toDecisionItem),
      toNotify: toNotify.map(toDecisionItem),
      treatmentStarts: treatments.map((r) => ({
        inquiryId: r.inquiry_id as string,
        caseId: r.case_id as string,
        citizenId: r.citizen_id as string,
        citizenName: r.citizen_name as string | null,
        standardCode: r.standard_code as string,
        receivedOn: r.received_on as string,
        startDeadline: r.start_deadline as string,
        startedOn: r.started_on as string | null,
        breached: r.breached as boolean,
      })),
      followUpsDue: followUps.map((r) => ({
        followUpId: r.follow_up_id as string,
        grantId: r.grant_id as string,
        citizenId: r.citizen_id as string,
        citizenName: r.citizen_name as string | null,
        standardCode: r.standard_code as string,
        dueOn: r.due_on as string,
        source: r.source as string,
        overdue: r.overdue as boolean,
      })),
      complaints: complaints.map((r) => ({
        complaintId: r.complaint_id as string,
        decisionId: r.decision_id as string,
        caseId: r.case_id as string,
        citizenId: r.citizen_id as string,
        citizenName: r.citizen_name as string | null,
        standardCode: r.standard_code as string,
        status: r.status as string,
        receivedOn: r.received_on as string,
        late: r.late as boolean,
        task: r.task as 'reassess' | 'forward' | 'decideAgain',
        dueOn: r.due_on as string,
        overdue: (r.due_on as string) < today,
      })),
      actionPlansNotOffered: plans.map((r) => ({
        caseId: r.case_id as string,
        citizenId: r.citizen_id as string,
        citizenName: r.citizen_name as string | null,
        standardCodes: r.standard_codes as string[],
        mandatory: r.mandatory as boolean,
      })),
      unconfirmedAdmissions,
      staysNeedingActionPlan: stays.map((r) => ({
        admissionId: r.admission_id as string,
        citizenId: r.citizen_id as string,
        citizenName: r.citizen_name as string | null,
        institutionId: r.institution_id as string,
        standardCode: r.standard_code as string,
        admittedOn: r.admitted_on as string,
        admissionStatus: r.status as string,
      })),
    };
  }
}
