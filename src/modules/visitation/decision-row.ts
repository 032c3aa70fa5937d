import { NotificationChannel } from 'src/platform/clock/deadlines';
import { isUnfavourable } from 'src/modules/visitation/decision-rules';
import { DecisionView, GoalView, PanelReviewView } from 'src/modules/visitation/visitation.dto';
import { DecisionKind, DecisionStatus } from 'src/modules/visitation/visitation.constants';

export interface DecisionRow {
  id: string;
  citizen_id: string;
  case_id: string;
  inquiry_id: string | null;
  assessment_id: string | null;
  kind: DecisionKind;
  status: DecisionStatus;
  standard_id: string;
  standard_code: string;
  standard_version_id: string;
  standard_version_no: number;
  decided_on: string;
  legal_basis: string;
  scope: string | null;
  scope_unit: string;
  requested_scope: string | null;
  valid_from: string | null;
  valid_to: string | null;
  institution_id: string | null;
  grant_id: string | null;
  service_purpose: string | null;
  reasoning: string;
  least_intervention_required: boolean;
  least_intervention_justification: string | null;
  hearing_held_on: string | null;
  hearing_summary: string | null;
  hearing_exemption_reason: string | null;
  panel_required: boolean;
  appealable: boolean;
  notified_on: string | null;
  notification_channel: NotificationChannel | null;
  received_on: string | null;
  complaint_deadline: string | null;
  complaint_guidance: string | null;
  notified_at: Date | null;
  caseworker_id: string;
  created_at: Date;
  version: number;
  /** The changed/terminated grant's scope and period (joined). */
  grant_scope: string | null;
  grant_valid_from: string | null;
  grant_valid_to: string | null;
  resulting_grant_id: string | null;
}

/** Dates as text so no time zone shifts a legal date. */
export const SELECT_DECISION = `
  SELECT d.id, d.citizen_id, d.case_id, d.inquiry_id, d.assessment_id, d.kind, d.status, d.standard_id, d.standard_code,
         d.standard_version_id, d.standard_version_no, d.decided_on::text AS decided_on, d.legal_basis, d.scope, d.scope_unit,
         d.requested_scope, d.valid_from::text AS valid_from, d.valid_to::text AS valid_to, d.institution_id, d.grant_id,
         d.service_purpose, d.reasoning, d.least_intervention_required, d.least_intervention_justification,
         d.hearing_held_on::text AS hearing_held_on, d.hearing_summary, d.hearing_exemption_reason, d.panel_required,
         d.appealable, d.notified_on::text AS notified_on, d.notification_channel, d.received_on::text AS received_on,
         d.complaint_deadline::text AS complaint_deadline, d.complaint_guidance, d.notified_at, d.caseworker_id,
         d.created_at, d.version,
         g.scope AS grant_scope, g.valid_from::text AS grant_valid_from, g.valid_to::text AS grant_valid_to,
         (SELECT r.id FROM citizen_grant r WHERE r.decision_id = d.id) AS resulting_grant_id
    FROM decision d
    LEFT JOIN citizen_grant g ON g.id = d.grant_id`;

export const num = (v: string | null) => (v === null ? null : Number(v));

export function existingGrantOf(r: DecisionRow) {
  return r.grant_valid_from ? { scope: num(r.grant_scope), validFrom: r.grant_valid_from, validTo: r.grant_valid_to } : null;
}

export function toDecisionView(r: DecisionRow, goals: GoalView[], reviews: PanelReviewView[]): DecisionView {
  const scope = num(r.scope);
  const requestedScope = num(r.requested_scope);
  return {
    id: r.id,
    citizenId: r.citizen_id,
    caseId: r.case_id,
    inquiryId: r.inquiry_id,
    assessmentId: r.assessment_id,
    kind: r.kind,
    status: r.status,
    standardCode: r.standard_code,
    standardVersionNo: r.standard_version_no,
    legalBasis: r.legal_basis,
    decidedOn: r.decided_on,
    scope,
    scopeUnit: r.scope_unit,
    requestedScope,
    unfavourable: isUnfavourable({ kind: r.kind, scope, requestedScope, validTo: r.valid_to }, existingGrantOf(r)),
    validFrom: r.valid_from,
    validTo: r.valid_to,
    institutionId: r.institution_id,
    grantId: r.grant_id,
    servicePurpose: r.service_purpose,
    goals,
    reasoning: r.reasoning,
    leastInterventionRequired: r.least_intervention_required,
    leastInterventionJustification: r.least_intervention_justification,
    hearing: { heldOn: r.hearing_held_on, summary: r.hearing_summary, exemptionReason: r.hearing_exemption_reason },
    panelRequired: r.panel_required,
    panelReviews: reviews,
    appealable: r.appealable,
    notifiedOn: r.notified_on,
    notificationChannel: r.notification_channel,
    receivedOn: r.received_on,
    complaintDeadline: r.complaint_deadline,
    complaintGuidance: r.complaint_guidance,
    resultingGrantId: r.resulting_grant_id,
    caseworkerId: r.caseworker_id,
    notifiedAt: r.notified_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}
