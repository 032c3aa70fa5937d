/**
 * Leverancesikkerhed for one month, in one set-based statement (DOMAIN.md §4, settlement arithmetic).
 *
 * Parameters: $1 institution id (or NULL), $2 grant id (or NULL: then every grant of the institution with an
 * accepted or ended order that is active in the month), $3 first day of the month, $4 its last day,
 * $5 the threshold in percent.
 *
 * For each grant of an hour-based (hoursPerWeek, hoursPerMonth) or day-based (daysPerWeek) service:
 *   days active   = the days of the month within the grant's period (from/to inclusive);
 *   granted units = scope × days active / 7                (per week)
 *                   scope × days active / days in month    (per month)
 *     kept as the fraction granted_num / granted_den, so nothing is rounded before the display;
 *   delivered     = hours: Σ minutes / 60 of the month's sessions not superseded by a correction, with status
 *                   delivered, or cancelledByCitizen where the grant's standard version says short-notice
 *                   cancellations are chargeable; days: the month's attendance days (present, not superseded);
 *   rate          = 100 × delivered / granted (NULL when nothing is granted);
 *   under         = delivered × 100 × granted_den < threshold × granted_num (exact, no rounding).
 * Sessions count through any of the grant's orders. Displayed figures are rounded half away from zero to
 * 2 decimals (PostgreSQL's round(numeric)); the totals are sums of the exact values, then rounded.
 */
export const DELIVERY_SECURITY = `
  WITH grants AS (
    SELECT g.id AS grant_id, g.citizen_id, g.institution_id, g.standard_code, g.scope, g.scope_unit,
           g.valid_from, g.valid_to, v.short_notice_cancellation_chargeable AS chargeable,
           greatest(0, least(coalesce(g.valid_to, $4::date), $4::date) - greatest(g.valid_from, $3::date) + 1) AS days_active,
           ($4::date - $3::date + 1) AS days_in_month
      FROM citizen_grant g
      JOIN quality_standard_version v ON v.id = g.standard_version_id
     WHERE g.scope_unit IN ('hoursPerWeek', 'hoursPerMonth', 'daysPerWeek')
       AND CASE WHEN $2::uuid IS NOT NULL THEN g.id = $2::uuid
                ELSE g.institution_id = $1::uuid AND g.valid_from <= $4::date AND (g.valid_to IS NULL OR g.valid_to >= $3::date)
                     AND EXISTS (SELECT 1 FROM service_order o WHERE o.grant_id = g.id AND o.status IN ('accepted', 'ended'))
           END
  ), fractions AS (
    SELECT gr.*,
           coalesce(gr.scope, 0) * gr.days_active AS granted_num,
           CASE gr.scope_unit WHEN 'hoursPerMonth' THEN gr.days_in_month ELSE 7 END AS granted_den
      FROM grants gr
  ), hours AS (
    SELECT o.grant_id, sum(s.minutes)::numeric / 60 AS units
      FROM delivery_session s
      JOIN service_order o ON o.id = s.order_id
      JOIN fractions f ON f.grant_id = o.grant_id
     WHERE s.session_date BETWEEN $3::date AND $4::date
       AND NOT EXISTS (SELECT 1 FROM delivery_session c WHERE c.corrects_id = s.id)
       AND (s.status = 'delivered' OR (s.status = 'cancelledByCitizen' AND f.chargeable))
     GROUP BY o.grant_id
  ), days AS (
    SELECT o.grant_id, count(*)::numeric AS units
      FROM attendance a
      JOIN service_order o ON o.id = a.order_id
      JOIN fractions f ON f.grant_id = o.grant_id
     WHERE a.attended_on BETWEEN $3::date AND $4::date AND a.present
       AND NOT EXISTS (SELECT 1 FROM attendance c WHERE c.corrects_id = a.id)
     GROUP BY o.grant_id
  ), measured AS (
    SELECT f.*, f.granted_num / f.granted_den AS granted,
           CASE WHEN f.scope_unit = 'daysPerWeek' THEN coalesce(d.units, 0) ELSE coalesce(h.units, 0) END AS delivered
      FROM fractions f
      LEFT JOIN hours h ON h.grant_id = f.grant_id
      LEFT JOIN days d ON d.grant_id = f.grant_id
  )
  SELECT m.grant_id, m.citizen_id, coalesce(c.name, c.pseudonym) AS citizen_name, m.institution_id, m.standard_code, m.scope::text AS scope, m.scope_unit,
         m.valid_from::text AS valid_from, m.valid_to::text AS valid_to, m.days_active, m.days_in_month,
         round(m.granted, 2)::text AS granted_units,
         round(m.delivered, 2)::text AS delivered_units,
         round(100 * m.delivered * m.granted_den / nullif(m.granted_num, 0), 2)::text AS delivery_rate,
         (m.granted_num > 0 AND m.delivered * 100 * m.granted_den < $5::numeric * m.granted_num) AS under_delivered,
         round(sum(m.granted) FILTER (WHERE m.scope_unit <> 'daysPerWeek') OVER (), 2)::text AS total_granted_hours,
         round(sum(m.delivered) FILTER (WHERE m.scope_unit <> 'daysPerWeek') OVER (), 2)::text AS total_delivered_hours,
         round(100 * sum(m.delivered) FILTER (WHERE m.scope_unit <> 'daysPerWeek') OVER ()
               / nullif(sum(m.granted) FILTER (WHERE m.scope_unit <> 'daysPerWeek') OVER (), 0), 2)::text AS total_hours_rate
    FROM measured m
    LEFT JOIN citizen c ON c.id = m.citizen_id
   ORDER BY m.standard_code, m.valid_from, m.grant_id`;
