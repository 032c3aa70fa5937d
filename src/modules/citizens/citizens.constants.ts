import type { Role } from 'src/modules/organisation/organisation.constants';

/** Henvendelseskanal. */
export const INQUIRY_CHANNELS = ['phone', 'letter', 'digital', 'inPerson', 'referral'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Besøg: planned → held | cancelled, nothing else. */
export const VISIT_STATUSES = ['planned', 'held', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** The authority's roles: they work with citizens, cases and visits (DOMAIN.md §7). */
export const CASE_ROLES: readonly Role[] = ['caseworker', 'panelMember', 'admin'];
/** Roles that may see a CPR number in clear, and only when they ask (`?reveal=cpr`). */
export const CPR_REVEAL_ROLES: readonly Role[] = ['caseworker', 'panelMember', 'admin'];
/** Institution staff read a citizen only while the citizen has an active order at their institution. */
export const CITIZEN_READ_ROLES: readonly Role[] = [...CASE_ROLES, 'providerStaff', 'institutionManager'];
/**
 * Who may register a citizen while admitting a selvmøder (§ 109/§ 110): the boform's leader, through the delivery
 * context's admission only (CitizenService.registerAtSelfReferral), and the authority. The citizens API keeps
 * CASE_ROLES.
 */
export const SELF_REFERRAL_REGISTRARS: readonly Role[] = [...CASE_ROLES, 'institutionManager'];
/** Who may be responsible for a case or hold a visit. */
export const CASEWORKER_ROLES: readonly Role[] = ['caseworker', 'panelMember'];

/** Why personal data was accessed: recorded in the access log with every read, search and change. */
export const PURPOSES = [
  'visitation', // sagsbehandling: inquiry, visits, assessment, decision
  'panelReview', // visitationsudvalg
  'followUp', // opfølgning
  'complaint', // klagesag
  'delivery', // levering i tilbuddet
  'administration', // data maintenance
  'insightRequest', // aktindsigt / the citizen's own request for insight
  'supervision', // tilsyn
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const DEFAULT_PURPOSE: Record<Role, Purpose> = {
  caseworker: 'visitation',
  panelMember: 'panelReview',
  admin: 'administration',
  providerStaff: 'delivery',
  institutionManager: 'delivery',
  finance: 'administration',
  auditor: 'supervision',
};
