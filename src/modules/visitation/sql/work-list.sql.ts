/**
 * The caseworker's work list, one statement per section. $1 = the caseworker (user id), $2 = today,
 * $3 = the horizon (today + dueWithinDays). Reads the citizens context's cases and inquiries as a read model.
 */

/** Open cases the caseworker is responsible for, with the earliest unanswered inquiry deadline. */
export const OPEN_CASES = `
  SELECT c.id AS case_id, c.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name, c.opened_on::text AS opened_on,
         min(i.casework_deadline) FILTER (WHERE NOT ${answered('i')})::text AS next_deadline
    FROM citizen_case c
    JOIN citizen z ON z.id = c.citizen_id
    LEFT JOIN inquiry i ON i.case_id = c.id
   WHERE c.status = 'open' AND c.responsible_caseworker_id = $1
   GROUP BY c.id, z.id
   ORDER BY next_deadline NULLS LAST, c.opened_on, c.id`;

/** Inquiries on the caseworker's open cases, not yet answered by a notified decision, due by the horizon. */
export const INQUIRIES_DUE = `
  SELECT i.id AS inquiry_id, i.case_id, c.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name, i.standard_code,
         i.received_on::text AS received_on, i.casework_deadline::text AS casework_deadline,
         (i.casework_deadline < $2::date) AS overdue
    FROM inquiry i
    JOIN citizen_case c ON c.id = i.case_id
    JOIN citizen z ON z.id = c.citizen_id
   WHERE c.status = 'open' AND c.responsible_caseworker_id = $1 AND i.casework_deadline <= $3::date AND NOT ${answered('i')}
   ORDER BY i.casework_deadline, i.received_on, i.id`;

/**
 * Decisions in a state that needs someone: $1 = the caseworker, $2 = the statuses, $3 = true for "not made
 * by $1" (the panel's queue), false for "made by $1".
 */
export const DECISIONS_IN = `
  SELECT d.id AS decision_id, d.case_id, d.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name, d.kind, d.status,
         d.standard_code, d.decided_on::text AS decided_on, d.caseworker_id, d.updated_at
    FROM decision d
    JOIN citizen z ON z.id = d.citizen_id
   WHERE d.status = ANY($2::text[]) AND (CASE WHEN $3::boolean THEN d.caseworker_id <> $1 ELSE d.caseworker_id = $1 END)
   ORDER BY d.updated_at, d.id`;

/**
 * An inquiry is answered by a notified decision that cites it, or by a notified decision on the same case
 * about the same service made on or after the inquiry date.
 */
function answered(i: string): string {
  return `EXISTS (SELECT 1 FROM decision d WHERE d.status = 'notified'
                    AND (d.inquiry_id = ${i}.id OR (d.case_id = ${i}.case_id AND d.standard_code = ${i}.standard_code AND d.decided_on >= ${i}.received_on)))`;
}

/** The latest deadline notice of each inquiry due (joined onto INQUIRIES_DUE rows by inquiry id). */
export const LATEST_NOTICES = `
  SELECT DISTINCT ON (inquiry_id) inquiry_id, sent_on::text AS sent_on, expected_decision_on::text AS expected_decision_on
    FROM deadline_notice WHERE inquiry_id = ANY($1::uuid[])
   ORDER BY inquiry_id, sent_on DESC, created_at DESC`;

/**
 * Treatment that must start within the standard's start deadline (§ 101, sundhedsloven § 141: 14 days from
 * the inquiry), on the caseworker's open cases, not yet started in time: the first accepted order of a grant
 * of that service for the citizen gives the start. $1 = caseworker, $2 = today.
 */
export const TREATMENT_STARTS = `
  SELECT i.id AS inquiry_id, i.case_id, c.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name, i.standard_code,
         i.received_on::text AS received_on, (i.received_on + v.start_deadline_days)::text AS start_deadline,
         s.started_on::text AS started_on, (coalesce(s.started_on, $2::date) > i.received_on + v.start_deadline_days) AS breached
    FROM inquiry i
    JOIN citizen_case c ON c.id = i.case_id
    JOIN citizen z ON z.id = c.citizen_id
    JOIN quality_standard_version v ON v.id = i.standard_version_id
    LEFT JOIN LATERAL (
      SELECT min(o.start_date) AS started_on
        FROM citizen_grant g JOIN service_order o ON o.grant_id = g.id
       WHERE g.citizen_id = c.citizen_id AND g.standard_code = i.standard_code AND o.start_date >= i.received_on
    ) s ON true
   WHERE c.status = 'open' AND c.responsible_caseworker_id = $1 AND v.start_deadline_days IS NOT NULL
     AND (s.started_on IS NULL OR s.started_on > i.received_on + v.start_deadline_days)
     AND i.received_on >= $2::date - 365
   ORDER BY i.received_on + v.start_deadline_days, i.id`;

/** Open follow-ups due by the horizon on grants of the caseworker's cases. $1 = caseworker, $2 = today, $3 = horizon. */
export const FOLLOW_UPS_DUE = `
  SELECT f.id AS follow_up_id, f.grant_id, f.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name, g.standard_code,
         f.due_on::text AS due_on, f.source, (f.due_on < $2::date) AS overdue
    FROM follow_up f
    JOIN citizen_grant g ON g.id = f.grant_id
    JOIN citizen_case c ON c.id = g.case_id
    JOIN citizen z ON z.id = f.citizen_id
   WHERE f.status = 'open' AND f.due_on <= $3::date AND c.responsible_caseworker_id = $1
   ORDER BY f.due_on, f.id`;

/**
 * Complaints on the caseworker's cases that wait for the authority: re-assessment (due 4 weeks after
 * receipt), forwarding once upheld, and remitted cases without a new notified decision since. $1 = caseworker.
 */
export const COMPLAINTS_DUE = `
  SELECT k.id AS complaint_id, k.decision_id, k.case_id, k.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name,
         k.standard_code, k.status, k.received_on::text AS received_on, k.late,
         (CASE WHEN k.status = 'decided' THEN k.remitted_decision_due_on ELSE k.reassessment_due_on END)::text AS due_on,
         CASE WHEN k.status = 'awaitingReassessment' THEN 'reassess' WHEN k.status = 'upheld' THEN 'forward' ELSE 'decideAgain' END AS task
    FROM complaint k
    JOIN citizen_case c ON c.id = k.case_id
    JOIN citizen z ON z.id = k.citizen_id
   WHERE c.responsible_caseworker_id = $1
     AND (k.status IN ('awaitingReassessment', 'upheld')
          OR (k.status = 'decided' AND k.outcome = 'remitted' AND NOT EXISTS (
                SELECT 1 FROM decision d WHERE d.case_id = k.case_id AND d.standard_code = k.standard_code
                   AND d.status = 'notified' AND d.decided_on >= k.outcome_on)))
   ORDER BY due_on, k.id`;

/**
 * Citizens on the caseworker's open cases with a current grant of a service whose standard asks for a
 * handleplan (offer, or mandatory for § 110) and no plan offered yet. $1 = caseworker, $2 = today.
 */
export const ACTION_PLANS_NOT_OFFERED = `
  SELECT c.id AS case_id, c.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name,
         array_agg(DISTINCT g.standard_code ORDER BY g.standard_code) AS standard_codes,
         bool_or(v.action_plan = 'mandatory') AS mandatory
    FROM citizen_case c
    JOIN citizen z ON z.id = c.citizen_id
    JOIN citizen_grant g ON g.citizen_id = c.citizen_id AND (g.valid_to IS NULL OR g.valid_to >= $2::date)
    JOIN quality_standard_version v ON v.id = g.standard_version_id AND v.action_plan IN ('offer', 'mandatory')
   WHERE c.status = 'open' AND c.responsible_caseworker_id = $1 AND NOT z.anonymous
     AND NOT EXISTS (SELECT 1 FROM action_plan p JOIN action_plan_version pv ON pv.plan_id = p.id
                      WHERE p.citizen_id = c.citizen_id AND pv.status <> 'draft')
   GROUP BY c.id, z.id
   ORDER BY c.opened_on, c.id`;

/** Self-referral admissions waiting for the authority's confirmation (a team task: a count). */
export const UNCONFIRMED_ADMISSIONS = `SELECT count(*)::int AS n FROM self_referral_admission WHERE status = 'unconfirmed'`;

/**
 * Current self-referral stays (§ 110) whose standard makes a handleplan mandatory (§ 142) and whose citizen
 * has no plan offered yet: a task for the whole authority (such stays have no case or caseworker yet). $1 = today.
 */
export const STAYS_NEEDING_PLAN = `
  SELECT a.id AS admission_id, a.citizen_id, coalesce(z.name, z.pseudonym) AS citizen_name, a.institution_id,
         a.standard_code, a.admitted_on::text AS admitted_on, a.status
    FROM self_referral_admission a
    JOIN citizen z ON z.id = a.citizen_id
    JOIN quality_standard s ON s.code = a.standard_code
    JOIN quality_standard_version v ON v.standard_id = s.id AND v.status <> 'draft'
     AND daterange(v.valid_from, v.valid_to, '[)') @> a.admitted_on AND v.action_plan = 'mandatory'
   WHERE (a.discharged_on IS NULL OR a.discharged_on >= $1::date) AND NOT z.anonymous
     AND NOT EXISTS (SELECT 1 FROM action_plan p JOIN action_plan_version pv ON pv.plan_id = p.id
                      WHERE p.citizen_id = a.citizen_id AND p.legal_basis = 'SEL-142' AND pv.status <> 'draft'
                        AND p.created_at >= a.recorded_at - interval '1 day')
   ORDER BY a.admitted_on, a.id`;
