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
