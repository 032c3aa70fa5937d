/**
 * Complaint statistics for a period, in one set-based statement: $1 = first day, $2 = last day (inclusive).
 *
 * The population is the complaints RECEIVED in the period; for them, every later step is counted as it is
 * known now (a complaint received in March and decided by Ankestyrelsen in June counts as decided in a report
 * for March made in July). One row per service and legal basis, and a total row (grouping set ()) that exists
 * even when there are no complaints. Aggregates only: no citizen, case or decision ids.
 *
 * reversal_rate (omgørelsesprocent, Ankestyrelsen's definition, law.md § 2.3):
 *   (changed + remitted) / (changed + remitted + affirmed) × 100, rounded half away from zero to one decimal;
 *   NULL when the denominator is 0. Dismissed (afvist/bortfaldet) does not count.
 */
export const COMPLAINT_STATISTICS = `
  WITH period AS (
    SELECT c.standard_code, c.legal_basis, c.late, c.status, c.reassessed_on, c.forwarded_on, c.outcome
      FROM complaint c
     WHERE c.received_on BETWEEN $1::date AND $2::date
  ), counted AS (
    SELECT p.standard_code, p.legal_basis, GROUPING(p.standard_code, p.legal_basis) <> 0 AS is_total,
           count(*)::int AS received,
           count(*) FILTER (WHERE p.late)::int AS late,
           count(*) FILTER (WHERE p.status = 'changed')::int AS changed_by_authority,
           count(*) FILTER (WHERE p.reassessed_on IS NOT NULL AND p.status <> 'changed')::int AS upheld,
           count(*) FILTER (WHERE p.forwarded_on IS NOT NULL)::int AS forwarded,
           count(*) FILTER (WHERE p.outcome = 'affirmed')::int AS affirmed,
           count(*) FILTER (WHERE p.outcome = 'changed')::int AS changed,
           count(*) FILTER (WHERE p.outcome = 'remitted')::int AS remitted,
           count(*) FILTER (WHERE p.outcome = 'dismissed')::int AS dismissed
      FROM period p
     GROUP BY GROUPING SETS ((p.standard_code, p.legal_basis), ())
  )
  SELECT standard_code, legal_basis, is_total, received, late, changed_by_authority, upheld, forwarded,
         affirmed, changed, remitted, dismissed,
         round(100.0 * (changed + remitted) / nullif(changed + remitted + affirmed, 0), 1)::text AS reversal_rate
    FROM counted
   ORDER BY is_total, standard_code, legal_basis`;
