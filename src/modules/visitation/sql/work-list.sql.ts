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
