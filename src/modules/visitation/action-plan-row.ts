import { ActionPlanVersionView } from 'src/modules/visitation/action-plan.view';
import { ActionPlanBasis, ActionPlanStatus } from 'src/modules/visitation/visitation.constants';
import { GoalView } from 'src/modules/visitation/visitation.dto';

export interface PlanRow {
  id: string;
  citizen_id: string;
  case_id: string;
  legal_basis: ActionPlanBasis;
  created_by: string | null;
  version: number;
  created_at: Date;
}

export interface VersionRow {
  id: string;
  plan_id: string;
  version_no: number;
  purpose: string;
  services: string;
  grant_ids: string[];
  expected_duration: string;
  other_matters: string | null;
  status: ActionPlanStatus;
  offered_on: string | null;
  responded_on: string | null;
  response_note: string | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A covered grant with its decision's indsatsformål and its order. */
export interface CoveredGrantRow {
  id: string;
  citizen_id: string;
  standard_code: string;
  institution_id: string;
  valid_from: string;
  valid_to: string | null;
  decision_id: string | null;
  service_purpose: string | null;
  order_id: string | null;
}

export type GoalRow = GoalView & { decision_id: string };

export const SELECT_PLAN = `SELECT p.id, p.citizen_id, p.case_id, p.legal_basis, p.created_by, p.version, p.created_at FROM action_plan p`;

export const SELECT_VERSION = `
  SELECT v.id, v.plan_id, v.version_no, v.purpose, v.services, v.grant_ids::text[] AS grant_ids, v.expected_duration, v.other_matters, v.status,
         v.offered_on::text AS offered_on, v.responded_on::text AS responded_on, v.response_note, v.created_by, v.version,
         v.created_at, v.updated_at
    FROM action_plan_version v`;

export const SELECT_COVERED_GRANT = `
  SELECT g.id, g.citizen_id, g.standard_code, g.institution_id, g.valid_from::text AS valid_from, g.valid_to::text AS valid_to,
         g.decision_id, d.service_purpose, o.id AS order_id
    FROM citizen_grant g
    LEFT JOIN decision d ON d.id = g.decision_id
    LEFT JOIN service_order o ON o.grant_id = g.id`;

export const SELECT_GOALS = `
  SELECT decision_id, ordinal, description, primary_theme AS "primaryTheme", secondary_themes AS "secondaryThemes",
         target_level AS "targetLevel", goal_type AS "goalType"
    FROM decision_goal WHERE decision_id = ANY($1::uuid[]) ORDER BY ordinal`;

export const toVersionView = (r: VersionRow): ActionPlanVersionView => ({
  id: r.id,
  versionNo: r.version_no,
  purpose: r.purpose,
  services: r.services,
  grantIds: r.grant_ids,
  expectedDuration: r.expected_duration,
  otherMatters: r.other_matters,
  status: r.status,
  offeredOn: r.offered_on,
  respondedOn: r.responded_on,
  responseNote: r.response_note,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
});

export const goalsOf = (goals: GoalRow[], decisionId: string | null): GoalView[] =>
  goals.filter((g) => g.decision_id === decisionId).map(({ decision_id: _, ...g }) => g);
