/**
 * The institution's yearly magtanvendelse summary: per form and per month (in Danish time), the number of
 * citizens and the reports awaiting review. $1 institution, $2 year. One row per (month, form) with reports;
 * `citizens` and `pending` repeat the year's totals on every row.
 */
export const USE_OF_FORCE_SUMMARY = `
  WITH year_reports AS (
    SELECT r.form, r.citizen_id, r.review_status,
           extract(month FROM r.occurred_at AT TIME ZONE 'Europe/Copenhagen')::int AS month
      FROM use_of_force_report r
     WHERE r.institution_id = $1
       AND r.occurred_at >= make_timestamptz($2, 1, 1, 0, 0, 0, 'Europe/Copenhagen')
       AND r.occurred_at < make_timestamptz($2 + 1, 1, 1, 0, 0, 0, 'Europe/Copenhagen')
  )
  SELECT y.month, y.form, count(*)::int AS n,
         (SELECT count(DISTINCT citizen_id)::int FROM year_reports) AS citizens,
         (SELECT count(*)::int FROM year_reports WHERE review_status = 'pending') AS pending
    FROM year_reports y
   GROUP BY y.month, y.form
   ORDER BY y.month, y.form`;
