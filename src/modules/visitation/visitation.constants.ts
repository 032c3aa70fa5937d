import type { Role } from 'src/modules/organisation/organisation.constants';

/** Udredning: a draft is worked on; a completed assessment never changes (a new one is made). */
export const ASSESSMENT_STATUSES = ['draft', 'completed'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** VUM 2.0 / FFB "Aktivitet og deltagelse": each theme is scored 0–4 (funktionsevneniveau) or not assessed. */
export const ACTIVITY_THEMES = [
  'selfCare', // egenomsorg
  'practicalTasks', // praktiske opgaver
  'mobility', // mobilitet
  'communication', // kommunikation
  'relations', // relationer
  'communityLife', // samfundsliv
] as const;
export type ActivityTheme = (typeof ACTIVITY_THEMES)[number];

/** "Funktioner og forhold": described in text, never scored (FFB forbids a severity here). */
export const FUNCTION_SECTIONS = [
  'mentalFunctions', // mentale funktioner
  'physicalFunctions', // fysiske funktioner
  'healthConditions', // sundhedsforhold
  'socialConditions', // sociale forhold
] as const;

/** "Omgivelsesfaktorer": described in text, never scored. */
export const ENVIRONMENT_SECTIONS = [
  'network', // personer i netværk
  'attitudes', // holdninger i omgivelserne
  'housingArea', // boligområde
] as const;

export const ASSESSMENT_SECTIONS = [...ACTIVITY_THEMES, ...FUNCTION_SECTIONS, ...ENVIRONMENT_SECTIONS] as const;
export type AssessmentSection = (typeof ASSESSMENT_SECTIONS)[number];

/** Kilde: where an observation comes from. */
export const OBSERVATION_SOURCES = ['citizen', 'caseworker', 'relative', 'provider', 'healthProfessional', 'other'] as const;
export type ObservationSource = (typeof OBSERVATION_SOURCES)[number];

/** Støttebehovsniveau per service asked for: intet, let, moderat, højt, fuldstændigt, ikke vurderet. */
export const SUPPORT_NEED_LEVELS = ['none', 'light', 'moderate', 'high', 'total', 'notAssessed'] as const;
export type SupportNeedLevel = (typeof SUPPORT_NEED_LEVELS)[number];

/** Afgørelse: bevilling, afslag, ændring, ophør. */
export const DECISION_KINDS = ['grant', 'refusal', 'change', 'termination'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/**
 * draft → (awaitingPanel → approved | back to draft when the panel returns it) → notified. Only a draft is
 * edited; a notified decision never changes (a correction is a new decision).
 */
export const DECISION_STATUSES = ['draft', 'awaitingPanel', 'approved', 'notified'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** Visitationsudvalget's answer: godkendt, or returned with a comment. */
export const PANEL_OUTCOMES = ['approved', 'returned'] as const;
export type PanelOutcome = (typeof PANEL_OUTCOMES)[number];

/** Måltype (FFB): udvikle, fastholde, begrænse tab af funktionsevne. */
export const GOAL_TYPES = ['develop', 'maintain', 'limitLoss'] as const;
export type GoalType = (typeof GOAL_TYPES)[number];

/** Bestilling: sent → accepted | rejected; accepted → ended (a sent order can also be ended, e.g. withdrawn). */
export const ORDER_STATUSES = ['sent', 'accepted', 'rejected', 'ended'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A self-referral admission (§ 109/§ 110) waits for the authority to confirm it as a grant. */
export const ADMISSION_STATUSES = ['unconfirmed', 'confirmed'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];

/** SEL § 110, stk. 3-4: the boform notifies the acting municipality (handlekommunen) within 3 working days (hverdage). */
export const ACTING_MUNICIPALITY_NOTICE_WORKING_DAYS = 3;
/** The standards whose admissions need that notice: those under SEL § 110 (forsorgshjem, herberg). */
export const needsActingMunicipalityNotice = (legalBasis: { law: string; paragraph: string }) => legalBasis.law === 'SEL' && legalBasis.paragraph === '110';

/** The authority's roles that work with assessments, decisions and grants (DOMAIN.md §7). */
export const VISITATION_ROLES: readonly Role[] = ['caseworker', 'panelMember', 'admin'];
/** Who drafts and notifies decisions. */
export const DECIDING_ROLES: readonly Role[] = ['caseworker', 'panelMember'];
/** Institution roles: they see orders (and grants through them) for their own institution only. */
export const INSTITUTION_ROLES: readonly Role[] = ['providerStaff', 'institutionManager'];

/** Handleplan: § 141 (offered to citizens with considerably reduced function), § 142 (mandatory for § 110 stays). */
export const ACTION_PLAN_BASES = ['SEL-141', 'SEL-142'] as const;
export type ActionPlanBasis = (typeof ACTION_PLAN_BASES)[number];

/** A handleplan version: drafted, offered to the citizen, then accepted or declined by the citizen. */
export const ACTION_PLAN_STATUSES = ['draft', 'offered', 'accepted', 'declined'] as const;
export type ActionPlanStatus = (typeof ACTION_PLAN_STATUSES)[number];

/** Opfølgning: why it is due. */
export const FOLLOW_UP_SOURCES = ['schedule', 'providerReport', 'manual'] as const;
export type FollowUpSource = (typeof FOLLOW_UP_SOURCES)[number];

export const FOLLOW_UP_STATUSES = ['open', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** FFB "status på indsats": fortsættelse, afslutning, afslutning og visitering til ny indsats. */
export const FOLLOW_UP_OUTCOMES = ['continue', 'terminate', 'terminateAndRefer'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

/**
 * Klage: received (the authority re-assesses within 4 weeks) → changed (a new decision in the citizen's
 * favour) | upheld → forwarded (to Ankestyrelsen) → decided (its outcome).
 */
export const COMPLAINT_STATUSES = ['awaitingReassessment', 'changed', 'upheld', 'forwarded', 'decided'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Ankestyrelsen's outcome: stadfæstet, ændret/ophævet, hjemvist, afvist/bortfaldet. */
export const APPEAL_OUTCOMES = ['affirmed', 'changed', 'remitted', 'dismissed'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

/** How a complaint or a deadline notice reached the other side. */
export const CORRESPONDENCE_CHANNELS = ['digitalPost', 'letter', 'email', 'phone', 'inPerson'] as const;
export type CorrespondenceChannel = (typeof CORRESPONDENCE_CHANNELS)[number];
