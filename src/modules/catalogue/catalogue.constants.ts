import { AREA_TYPES, INSTITUTION_TYPES } from 'src/modules/organisation/organisation.constants';

export { AREA_TYPES, INSTITUTION_TYPES };

/** The laws services are granted under: serviceloven, sundhedsloven, almenboligloven. */
export const LAWS = ['SEL', 'SUL', 'ABL'] as const;
export type Law = (typeof LAWS)[number];

/** A paragraph as written in the law: "85", "85 a", "101 a". */
export const PARAGRAPH_FORMAT = /^[1-9][0-9]{0,2}( [a-z])?$/;

/**
 * The unit a grant's scope is measured in (omfang). Rates are priced per the same unit: per hour, per day,
 * per place-day (døgn), per course-month, per dwelling-day.
 */
export const SCOPE_UNITS = [
  'hoursPerWeek', // timer pr. uge (bostøtte)
  'hoursPerMonth', // timer pr. måned
  'daysPerWeek', // dage pr. uge (beskyttet beskæftigelse, aktivitetstilbud)
  'days', // døgn/dage i alt (aflastning)
  'place', // plads (døgn) in a housing institution or shelter
  'course', // forløb (behandling, Housing First)
  'dwelling', // bolig (botilbudslignende bolig, tomgangsleje)
  'outreach', // opsøgende kontakt without a fixed scope
] as const;
export type ScopeUnit = (typeof SCOPE_UNITS)[number];

/** How settlement computes units (DOMAIN.md §4 settlement arithmetic). */
export const SETTLEMENT_BASES = ['granted', 'delivered', 'perDay', 'perCourse'] as const;
export type SettlementBasis = (typeof SETTLEMENT_BASES)[number];

/** Handleplan: must be offered (§ 141), mandatory (§ 142 for § 110) or not used (§ 101 a). */
export const ACTION_PLAN_RULES = ['offer', 'mandatory', 'none'] as const;
export type ActionPlanRule = (typeof ACTION_PLAN_RULES)[number];

/** Stored status; `inForce`, `scheduled` and `superseded` are derived from the dates. */
export const VERSION_STATUSES = ['draft', 'approved', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const LIFECYCLE_STATES = ['draft', 'scheduled', 'inForce', 'superseded', 'retired'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Kontoplan function, e.g. 5.38.50. */
export const ACCOUNT_FUNCTION_FORMAT = /^[0-9]\.[0-9]{2}\.[0-9]{2}$/;
