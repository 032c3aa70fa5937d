/**
 * The capacity trigger (stay_check_capacity) refused a stay: every place is taken on some day of it. Only this
 * refusal sends a citizen to the waiting list; any other error propagates.
 */
export function isCapacityRefusal(err: unknown): boolean {
  const e = err as { constraint?: string; driverError?: { constraint?: string } } | null;
  return (e?.driverError?.constraint ?? e?.constraint) === 'ck_stay_capacity';
}

/**
 * The most places taken on any day from `$2` on at institution `$1` (the days to look at are `$2` and the days a
 * later stay begins: occupancy only rises where a stay begins, as in the trigger).
 */
export const PEAK_TAKEN_SQL = `
  SELECT coalesce(max(taken), 0)::int AS taken FROM (
    SELECT (SELECT count(*) FROM stay s
             WHERE s.institution_id = $1 AND s.admitted_on <= d.day AND (s.discharged_on IS NULL OR s.discharged_on > d.day)) AS taken
      FROM (SELECT $2::date AS day UNION SELECT admitted_on FROM stay WHERE institution_id = $1 AND admitted_on > $2::date) d) t`;
