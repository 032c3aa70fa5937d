import type { Role } from 'src/modules/organisation/organisation.constants';

/** Institution roles: they deliver and document, for their own institution only (DOMAIN.md §7). */
export const DELIVERY_ROLES: readonly Role[] = ['providerStaff', 'institutionManager'];
/** Who answers orders, admits and discharges: the tilbudsleder. */
export const MANAGER_ROLES: readonly Role[] = ['institutionManager'];

/** Udskrivning: where the citizen went. */
export const DISCHARGE_DESTINATIONS = ['ownHome', 'otherService', 'hospital', 'unknown'] as const;
export type DischargeDestination = (typeof DISCHARGE_DESTINATIONS)[number];

/** How a stay began: an accepted order, or a self-referral admission by the leader (§ 109, § 110). */
export const STAY_SOURCES = ['order', 'selfReferral'] as const;
export type StaySource = (typeof STAY_SOURCES)[number];

/** Venteliste: waiting → offered a place → admitted | removed. */
export const WAITING_STATUSES = ['waiting', 'offered', 'admitted', 'removed'] as const;
export type WaitingStatus = (typeof WAITING_STATUSES)[number];

/** A session of hour-based support: leveret, aflyst af borger, aflyst af tilbud, udeblevet. */
export const SESSION_STATUSES = ['delivered', 'cancelledByCitizen', 'cancelledByProvider', 'noShow'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Behandlingsresultat: stoffri, reduceret, uændret, øget, udskrevet/ophørt før tid. */
export const TREATMENT_OUTCOMES = ['drugFree', 'reduced', 'unchanged', 'increased', 'droppedOut'] as const;
export type TreatmentOutcome = (typeof TREATMENT_OUTCOMES)[number];

export const SUB_GOAL_STATUSES = ['active', 'achieved', 'dropped'] as const;
export type SubGoalStatus = (typeof SUB_GOAL_STATUSES)[number];

/** Tilbagemelding: the citizen's needs went up or down, or something else the authority must know. */
export const REPORT_DIRECTIONS = ['increased', 'decreased', 'other'] as const;
export type ReportDirection = (typeof REPORT_DIRECTIONS)[number];

/** Magtanvendelse, the statutory forms: 1a (fastholdelse m.m.), 1b (alarm/pejlesystemer), 2 (andet). */
export const FORCE_FORMS = ['1a', '1b', '2'] as const;
export type ForceForm = (typeof FORCE_FORMS)[number];

export const FORCE_REVIEW_STATUSES = ['pending', 'reviewed'] as const;
export type ForceReviewStatus = (typeof FORCE_REVIEW_STATUSES)[number];

/** Sessions (minutes) are registered for hour-based services only (bostøtte and the like). */
export const SESSION_SCOPE_UNITS = ['hoursPerWeek', 'hoursPerMonth'] as const;
/** Attendance (fremmøde) is registered for day services (§ 103, § 104). */
export const ATTENDANCE_SCOPE_UNITS = ['daysPerWeek'] as const;
/** Treatment courses: a course-unit standard under SEL § 101, § 101 a or SUL § 141 (not Housing First, § 85 a). */
export const TREATMENT_LEGAL_BASES: readonly { law: string; paragraph: string }[] = [
  { law: 'SEL', paragraph: '101' },
  { law: 'SEL', paragraph: '101 a' },
  { law: 'SUL', paragraph: '141' },
];
export const isTreatment = (unit: string, basis: { law: string; paragraph: string }) =>
  unit === 'course' && TREATMENT_LEGAL_BASES.some((b) => b.law === basis.law && b.paragraph === basis.paragraph);

/** A session lasts 1–1440 minutes (one day at most). */
export const SESSION_MINUTES_MIN = 1;
export const SESSION_MINUTES_MAX = 1440;

/** Leverancesikkerhed: a grant delivered below this share of its granted units (percent) is under-delivered. */
export const DEFAULT_DELIVERY_THRESHOLD_PCT = 90;
/** Who sees delivery security for an institution: its own staff, the authority, and finance (aggregates, no names). */
export const DELIVERY_SECURITY_ROLES: readonly Role[] = ['providerStaff', 'institutionManager', 'caseworker', 'panelMember', 'admin', 'finance'];
