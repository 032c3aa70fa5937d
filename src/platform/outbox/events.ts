import type { Role } from 'src/platform/auth/principal';

/**
 * The catalogue of domain events that cross context boundaries, with their payloads. Contexts publish them
 * through the outbox and react to them in consumers; this is the contract between them.
 */
export interface EventPayloads {
  /** A user account was created by an administrator (or the seed). */
  UserCreated: { userId: string; username: string; role: Role; orgUnitId: string; createdBy: string | null };
  /** An institution was created (own or another municipality's): the ledger makes its standard accounts. */
  InstitutionCreated: { institutionId: string; municipalityId: string; external: boolean };
  /** A municipality was registered: the ledger makes its receivable and payable accounts. */
  MunicipalityCreated: { municipalityId: string; code: string; isOwn: boolean };
  /** The authority sent an order (bestilling) for a grant to an institution. */
  OrderSent: { orderId: string; grantId: string; citizenId: string; institutionId: string; standardCode: string; validFrom: string; validTo: string | null };
  /** A change or termination brought a grant's end forward: its order ends on the new last day. */
  OrderChanged: { orderId: string; grantId: string; institutionId: string; validTo: string; decisionId: string };
  /** The institution accepted an order: delivery starts on startDate. */
  OrderAccepted: { orderId: string; grantId: string; citizenId: string; institutionId: string; startDate: string };
  /** The institution rejected an order, with the reason. */
  OrderRejected: { orderId: string; grantId: string; citizenId: string; institutionId: string; reason: string };
  /**
   * A handleplan version was offered to the citizen: the order now carries it, and the institution reads its
   * relevant parts at /orders/{orderId}/action-plan.
   */
  OrderActionPlanOffered: { orderId: string; grantId: string; institutionId: string; actionPlanId: string; versionNo: number; offeredOn: string };
  /** The authority confirmed a self-referral admission (§ 109/§ 110) as a grant. */
  AdmissionConfirmed: { admissionId: string; grantId: string; orderId: string; citizenId: string; institutionId: string };
  /**
   * A follow-up (opfølgning) fell due (emitted once per follow-up by the daily job). `caseworkerId` is the
   * responsible caseworker of the grant's case; null for a grant without a case (a confirmed self-referral).
   */
  FollowUpDue: { followUpId: string; grantId: string; citizenId: string; caseworkerId: string | null; standardCode: string; dueOn: string };
  /** Delivery of an accepted order ended (e.g. the citizen was discharged): endedOn is its last day. */
  OrderEnded: { orderId: string; grantId: string; citizenId: string; institutionId: string; endedOn: string; reason: string };
  /** A place-based order could not be accepted for lack of capacity: the citizen is on the institution's waiting list. */
  OrderWaitListed: { entryId: string; orderId: string; citizenId: string; institutionId: string; priority: number; listedOn: string; position: number };
  /** A place freed (a discharge): the first on the waiting list is offered it; the institution accepts the order to admit. */
  WaitingListPlaceOffered: { entryId: string; orderId: string; citizenId: string; institutionId: string; offeredOn: string; freedByStayId: string | null };
  /**
   * A boform's leader admitted a selvmøder (§ 109/§ 110): the notice to the acting municipality (handlekommunen),
   * sent at once (§ 110: within 3 working days, SEL § 110 stk. 3-4).
   */
  SelfReferralAdmitted: {
    stayId: string;
    admissionId: string;
    citizenId: string;
    institutionId: string;
    standardCode: string;
    admittedOn: string;
    actingMunicipalityId: string;
    noticeDueBy: string | null;
  };
  /**
   * An institution sent a tilbagemelding: the citizen's needs changed (`direction`). The authority's follow-up task
   * (`followUpId`) was made in the same transaction; the event is for integrations and later notifications.
   */
  ProviderReportSubmitted: {
    providerReportId: string;
    orderId: string;
    grantId: string;
    citizenId: string;
    institutionId: string;
    direction: 'increased' | 'decreased' | 'other';
    followUpId: string;
  };
  /** An institution registered a magtanvendelse (form 1a, 1b or 2): the acting municipality reviews it. */
  UseOfForceReported: { reportId: string; institutionId: string; citizenId: string; actingMunicipalityId: string; form: '1a' | '1b' | '2'; occurredAt: string };
}

export type EventType = keyof EventPayloads;

export interface DomainEvent<T extends EventType = EventType> {
  eventId: number;
  type: T;
  payload: EventPayloads[T];
  requestId: string | null;
  occurredAt: string;
}
