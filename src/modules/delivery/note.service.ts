import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { conflict, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { DELIVERY_ROLES } from 'src/modules/delivery/delivery.constants';
import { CreateNoteDto, ListNotesQuery, NotePage, NoteView } from 'src/modules/delivery/documentation.dto';
import { OrderAccess } from 'src/modules/delivery/order-access';
import 'src/modules/delivery/delivery.errors';

interface NoteRow {
  id: string;
  order_id: string;
  citizen_id: string;
  institution_id: string;
  text: string;
  sub_goal_ids: string[];
  shared_with_authority: boolean;
  amends_note_id: string | null;
  amended_by: string[];
  author_user_id: string | null;
  recorded_at: Date;
  /** recorded_at to the microsecond (a JavaScript Date keeps milliseconds): the keyset cursor. */
  recorded_at_us: string;
}

/**
 * The note columns, with the later notes that amend each one. `$2` is true when the caller sees only shared
 * notes (the authority): then amendments it cannot see are left out of `amended_by` too.
 */
const SELECT_NOTE = `
  SELECT n.id, n.order_id, n.citizen_id, n.institution_id, n.text, n.sub_goal_ids::text[] AS sub_goal_ids, n.shared_with_authority,
         n.amends_note_id, n.author_user_id, n.recorded_at,
         to_char(n.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at_us,
         ARRAY(SELECT a.id::text FROM staff_note a
                WHERE a.amends_note_id = n.id AND (NOT $2::boolean OR a.shared_with_authority)
                ORDER BY a.recorded_at, a.id) AS amended_by
    FROM staff_note n`;

const toView = (r: NoteRow): NoteView => ({
  id: r.id,
  orderId: r.order_id,
  citizenId: r.citizen_id,
  institutionId: r.institution_id,
  text: r.text,
  subGoalIds: r.sub_goal_ids,
  sharedWithAuthority: r.shared_with_authority,
  amendsNoteId: r.amends_note_id,
  amendedBy: r.amended_by,
  authorUserId: r.author_user_id,
  recordedAt: r.recorded_at.toISOString(),
});

/**
 * Dokumentation: the institution's journal notes on an order. A note is never edited or deleted (the app role
 * cannot): a correction is a new note that amends the latest version, and the history stays readable.
 */
@Injectable()
export class NoteService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly access: OrderAccess,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, orderId: string, dto: CreateNoteDto): Promise<NoteView> {
    const order = await this.access.write(principal, orderId, ['accepted', 'ended'], 'a note');
    const text = dto.text.trim();
    if (!text) throw ruleViolated('a note has a text', '/text');
    const subGoalIds = [...new Set(dto.subGoalIds ?? [])];
    if (subGoalIds.length) {
      const [{ n }]: { n: number }[] = await this.db.query('SELECT count(*)::int AS n FROM sub_goal WHERE id = ANY($1::uuid[]) AND order_id = $2', [
        subGoalIds,
        orderId,
      ]);
      if (n !== subGoalIds.length) throw ruleViolated("a note links sub-goals of its own order", '/subGoalIds');
    }
    let shared = dto.sharedWithAuthority ?? false;
    if (dto.amendsNoteId) {
      // One amendment per version, so the history is a line: concurrent amendments of one note queue here
      // (the app role may not lock note rows, which it cannot update).
      await this.db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`staff_note:${dto.amendsNoteId}`]);
      const [amended]: { shared_with_authority: boolean; amended_by: string | null }[] = await this.db.query(
        `SELECT n.shared_with_authority, (SELECT a.id FROM staff_note a WHERE a.amends_note_id = n.id LIMIT 1) AS amended_by
           FROM staff_note n WHERE n.id = $1 AND n.order_id = $2`,
        [dto.amendsNoteId, orderId],
      );
      if (!amended) throw ruleViolated('the amended note is a note of the same order', '/amendsNoteId');
      if (amended.amended_by) throw conflict(`the note was amended already (by ${amended.amended_by}): amend the latest version`, '/amendsNoteId');
      // What the authority has seen stays in its view: the amendment of a shared note is shared.
      shared ||= amended.shared_with_authority;
    }
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO staff_note (order_id, citizen_id, institution_id, text, sub_goal_ids, shared_with_authority, amends_note_id, author_user_id)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8) RETURNING id`,
      [orderId, order.citizen_id, order.institution_id, text, subGoalIds, shared, dto.amendsNoteId ?? null, principal.kind === 'user' ? principal.id : null],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'staffNote', objectId: id, citizenId: order.citizen_id, purpose });
    const [row]: NoteRow[] = await this.db.query(`${SELECT_NOTE} WHERE n.id = $1`, [id, false]);
    return toView(row);
  }

  /**
   * The order's notes, oldest first, each with the notes that amend it. The institution sees all of its notes;
   * the authority only those shared with it.
   */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, orderId: string, q: ListNotesQuery): Promise<NotePage> {
    const order = await this.access.read(principal, orderId);
    const sharedOnly = !DELIVERY_ROLES.includes(principal.role);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: NoteRow[] = await this.db.query(
      `${SELECT_NOTE}
        WHERE n.order_id = $1 AND (NOT $2::boolean OR n.shared_with_authority)
          AND ($3::timestamptz IS NULL OR (n.recorded_at, n.id) > ($3::timestamptz, $4::uuid))
        ORDER BY n.recorded_at, n.id LIMIT $5`,
      [orderId, sharedOnly, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.recorded_at_us, r.id]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'staffNote', objectId: orderId, citizenId: order.citizen_id, purpose });
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }
}
