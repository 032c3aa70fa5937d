/** Follow-ups with what a view needs from their grant (and, for lists, the citizen's name and the case). */
export const SELECT_FOLLOW_UP = `
  SELECT f.id, f.grant_id, f.citizen_id, g.standard_code, f.due_on::text AS due_on, f.source, f.source_ref, f.reason, f.status,
         f.held_on::text AS held_on, f.outcome, f.notes, f.referred_standard_code, f.next_due_on::text AS next_due_on,
         f.recorded_by, f.recorded_at, f.due_event_id, f.created_at, f.version
    FROM follow_up f
    JOIN citizen_grant g ON g.id = f.grant_id`;

/**
 * The follow-up list: $1 = the responsible caseworker (null: everyone's, including grants without a case),
 * $2 = status, $3 = due before (exclusive, or null), $4/$5 = the keyset (due_on, id) after which to start, $6 = limit.
 * Reads the citizens context's cases and names as a read model, as the work list does.
 */
export const LIST_FOLLOW_UPS = `
  SELECT f.id, f.grant_id, f.citizen_id, g.standard_code, f.due_on::text AS due_on, f.source, f.source_ref, f.reason, f.status,
         f.held_on::text AS held_on, f.outcome, f.notes, f.referred_standard_code, f.next_due_on::text AS next_due_on,
         f.recorded_by, f.recorded_at, f.due_event_id, f.created_at, f.version,
         coalesce(z.name, z.pseudonym) AS citizen_name, g.case_id, c.responsible_caseworker_id AS caseworker_id, g.institution_id
    FROM follow_up f
    JOIN citizen_grant g ON g.id = f.grant_id
    JOIN citizen z ON z.id = f.citizen_id
    LEFT JOIN citizen_case c ON c.id = g.case_id
   WHERE ($1::uuid IS NULL OR c.responsible_caseworker_id = $1)
     AND f.status = $2
     AND ($3::date IS NULL OR f.due_on < $3::date)
     AND ($4::date IS NULL OR (f.due_on, f.id) > ($4::date, $5::uuid))
   ORDER BY f.due_on, f.id
   LIMIT $6`;

/**
 * The daily job, one batch: open follow-ups due by $1 (today) that have no FollowUpDue event yet get one in the
 * outbox, and the event's id is written back — in one statement, so a follow-up and its event commit together.
 * Rows another run holds are skipped (it emits them); a row it committed meanwhile no longer has a null
 * due_event_id when re-checked under the lock, so no follow-up is announced twice. $2 = batch size.
 */
export const EMIT_FOLLOW_UPS_DUE = `
  WITH due AS (
    SELECT f.id, f.grant_id, f.citizen_id, f.due_on, g.standard_code, c.responsible_caseworker_id
      FROM follow_up f
      JOIN citizen_grant g ON g.id = f.grant_id
      LEFT JOIN citizen_case c ON c.id = g.case_id
     WHERE f.status = 'open' AND f.due_on <= $1::date AND f.due_event_id IS NULL
     ORDER BY f.due_on, f.id
     LIMIT $2
       FOR UPDATE OF f SKIP LOCKED
  ), events AS (
    INSERT INTO outbox (type, payload, request_id)
    SELECT 'FollowUpDue',
           jsonb_build_object('followUpId', d.id, 'grantId', d.grant_id, 'citizenId', d.citizen_id,
                              'caseworkerId', d.responsible_caseworker_id, 'standardCode', d.standard_code, 'dueOn', d.due_on::text),
           $3::text
      FROM due d
    RETURNING id, (payload->>'followUpId')::uuid AS follow_up_id
  )
  UPDATE follow_up f SET due_event_id = e.id FROM events e WHERE f.id = e.follow_up_id RETURNING f.id`;
