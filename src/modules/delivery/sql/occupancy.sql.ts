/**
 * Belægning per day: the stays at institution $1 that cover each day from $2 to $3 (a stay covers its admission
 * day up to, not including, its discharge day). One set-based statement over generate_series.
 */
export const OCCUPANCY_BY_DAY_SQL = `
  SELECT d.day::date::text AS day, count(s.id)::int AS places_used
    FROM generate_series($2::date, $3::date, interval '1 day') AS d(day)
    LEFT JOIN stay s
      ON s.institution_id = $1 AND s.admitted_on <= d.day::date AND (s.discharged_on IS NULL OR s.discharged_on > d.day::date)
   GROUP BY d.day
   ORDER BY d.day`;

/**
 * Belægning per calendar month within $2–$3: the place-days used (Σ over the days of the places used), the days
 * counted, and the occupancy percentage against capacity $4 (place-days / (capacity × days), one decimal).
 */
export const OCCUPANCY_BY_MONTH_SQL = `
  WITH per_day AS (
    SELECT d.day::date AS day, count(s.id)::int AS places_used
      FROM generate_series($2::date, $3::date, interval '1 day') AS d(day)
      LEFT JOIN stay s
        ON s.institution_id = $1 AND s.admitted_on <= d.day::date AND (s.discharged_on IS NULL OR s.discharged_on > d.day::date)
     GROUP BY d.day
  )
  SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS month,
         count(*)::int AS days,
         sum(places_used)::int AS place_days,
         (count(*) * $4::int)::int AS capacity_days,
         CASE WHEN $4::int > 0 THEN round(sum(places_used) * 100.0 / (count(*) * $4::int), 1)::float8 ELSE 0 END AS occupancy_percent
    FROM per_day
   GROUP BY date_trunc('month', day)
   ORDER BY date_trunc('month', day)`;
