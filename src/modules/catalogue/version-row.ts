import { LifecycleState } from 'src/modules/catalogue/catalogue.constants';
import { VersionSummaryView, VersionView } from 'src/modules/catalogue/catalogue.dto';

/** A quality_standard_version row joined with its standard's code and title. */
export interface VersionRow {
  id: string;
  standard_id: string;
  code: string;
  title: string;
  version_no: number;
  status: VersionView['status'];
  valid_from: string | null;
  valid_to: string | null;
  legal_law: VersionView['legalBasis']['law'];
  legal_paragraph: string;
  legal_subsection: number | null;
  target_group: string;
  purpose: string;
  content: string;
  scope_unit: VersionView['scopeUnit'];
  scope_min: string | null;
  scope_max: string | null;
  max_duration_months: number | null;
  follow_up_interval_months: number | null;
  casework_deadline_days: number;
  start_deadline_days: number | null;
  settlement_basis: VersionView['settlementBasis'];
  area_types: string[];
  institution_types: string[];
  panel_approval_required: boolean;
  least_intervention_rule: boolean;
  appealable: boolean;
  self_referral: boolean;
  anonymous_allowed: boolean;
  below_state_pension_age_only: boolean;
  short_notice_cancellation_chargeable: boolean;
  action_plan: VersionView['actionPlan'];
  account_function: string;
  account_group: string | null;
  ffb_service_code: string | null;
  ffb_service_name: string | null;
  local_service_code: string | null;
  ffb_target_groups: string[];
  approved_by_committee: string | null;
  approved_on: string | null;
  approval_reference: string | null;
  approved_at: Date | null;
  version: number;
}

/** Dates come back as text (see the SELECT), so no time zone can shift a legal date. */
export const SELECT_VERSION = `
  SELECT v.id, v.standard_id, s.code, s.title, v.version_no, v.status, v.valid_from::text AS valid_from,
         v.valid_to::text AS valid_to, v.legal_law, v.legal_paragraph, v.legal_subsection, v.target_group, v.purpose,
         v.content, v.scope_unit, v.scope_min, v.scope_max, v.max_duration_months, v.follow_up_interval_months,
         v.casework_deadline_days, v.start_deadline_days, v.settlement_basis, v.area_types, v.institution_types,
         v.panel_approval_required, v.least_intervention_rule, v.appealable, v.self_referral, v.anonymous_allowed,
         v.below_state_pension_age_only, v.short_notice_cancellation_chargeable, v.action_plan, v.account_function,
         v.account_group, v.ffb_service_code, v.ffb_service_name, v.local_service_code, v.ffb_target_groups,
         v.approved_by_committee, v.approved_on::text AS approved_on, v.approval_reference, v.approved_at, v.version
    FROM quality_standard_version v JOIN quality_standard s ON s.id = v.standard_id`;

export function lifecycleOf(r: Pick<VersionRow, 'status' | 'valid_from' | 'valid_to'>, today: string): LifecycleState {
  if (r.status === 'draft') return 'draft';
  if (r.valid_from && r.valid_from > today) return 'scheduled';
  if (r.valid_to && r.valid_to <= today) return r.status === 'retired' ? 'retired' : 'superseded';
  return 'inForce';
}

export function legalText(law: string, paragraph: string, subsection: number | null): string {
  return `${law} § ${paragraph}${subsection ? `, stk. ${subsection}` : ''}`;
}

export function toSummary(r: VersionRow, today: string): VersionSummaryView {
  return { versionNo: r.version_no, status: r.status, lifecycle: lifecycleOf(r, today), validFrom: r.valid_from, validTo: r.valid_to };
}

const num = (v: string | null) => (v === null ? null : Number(v));

export function toVersionView(r: VersionRow, today: string): VersionView {
  return {
    ...toSummary(r, today),
    id: r.id,
    standardId: r.standard_id,
    standardCode: r.code,
    title: r.title,
    legalBasis: { law: r.legal_law, paragraph: r.legal_paragraph, subsection: r.legal_subsection, text: legalText(r.legal_law, r.legal_paragraph, r.legal_subsection) },
    targetGroup: r.target_group,
    purpose: r.purpose,
    content: r.content,
    scopeUnit: r.scope_unit,
    scopeMin: num(r.scope_min),
    scopeMax: num(r.scope_max),
    maxDurationMonths: r.max_duration_months,
    followUpIntervalMonths: r.follow_up_interval_months,
    caseworkDeadlineDays: r.casework_deadline_days,
    startDeadlineDays: r.start_deadline_days,
    settlementBasis: r.settlement_basis,
    areaTypes: r.area_types,
    institutionTypes: r.institution_types,
    panelApprovalRequired: r.panel_approval_required,
    leastInterventionRule: r.least_intervention_rule,
    appealable: r.appealable,
    selfReferral: r.self_referral,
    anonymousAllowed: r.anonymous_allowed,
    belowStatePensionAgeOnly: r.below_state_pension_age_only,
    shortNoticeCancellationChargeable: r.short_notice_cancellation_chargeable,
    actionPlan: r.action_plan,
    accountFunction: r.account_function,
    accountGroup: r.account_group,
    ffbServiceCode: r.ffb_service_code,
    ffbServiceName: r.ffb_service_name,
    localServiceCode: r.local_service_code,
    ffbTargetGroups: r.ffb_target_groups,
    approval:
      r.approved_by_committee && r.approved_on && r.approval_reference
        ? { committee: r.approved_by_committee, approvedOn: r.approved_on, reference: r.approval_reference, approvedAt: r.approved_at?.toISOString() ?? null }
        : null,
    version: r.version,
  };
}
