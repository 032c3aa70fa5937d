import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { conflict, DomainError, notFound } from 'src/platform/errors/domain-error';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { OrderService } from 'src/modules/visitation/order.service';
import { INSTITUTION_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { WaitingListEntryView } from 'src/modules/delivery/delivery.dto';
import { WaitingStatus } from 'src/modules/delivery/delivery.constants';
import { PEAK_TAKEN_SQL } from 'src/modules/delivery/places';

interface EntryRow {
  id: string;
  order_id: string;
  institution_id: string;
  citizen_id: string;
  priority: number;
  listed_on: string;
  status: WaitingStatus;
  offered_on: string | null;
  closed_on: string | null;
  note: string | null;
  version: number;
  position: number | null;
}

/** Position: among the open entries (waiting or offered) of the institution, by priority, listed day, then when listed. */
const SELECT_ENTRY = `
  SELECT e.id, e.order_id, e.institution_id, e.citizen_id, e.priority, e.listed_on::text AS listed_on, e.status,
         e.offered_on::text AS offered_on, e.closed_on::text AS closed_on, e.note, e.version,
         CASE WHEN e.status IN ('waiting', 'offered') THEN
           (SELECT count(*)::int FROM waiting_list_entry q
             WHERE q.institution_id = e.institution_id AND q.status IN ('waiting', 'offered')
               AND (q.priority, q.listed_on, q.created_at, q.id) <= (e.priority, e.listed_on, e.created_at, e.id))
         END AS position
    FROM waiting_list_entry e`;

const toView = (r: EntryRow): WaitingListEntryView => ({
  id: r.id,
  orderId: r.order_id,
  citizenId: r.citizen_id,
  institutionId: r.institution_id,
  priority: r.priority,
  listedOn: r.listed_on,
  status: r.status,
  offeredOn: r.offered_on,
  closedOn: r.closed_on,
  note: r.note,
  position: r.position,
  version: r.version,
});

/**
 * Venteliste: orders of place-based services that found no free place wait here in priority order; a freed place
 * is offered to the first, who is admitted when the institution then accepts the order. Both the institution and
 * the authority see the list and each order's position.
 */
@Injectable()
export class WaitingListService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly orders: OrderService,
    private readonly units: OrgUnitService,
    private readonly outbox: OutboxService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  private today(): string {
    return danishDate(this.clock.now());
  }

  /** The institution's open entries in queue order (institution staff: own institution only, else 404). */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, institutionId: string): Promise<WaitingListEntryView[]> {
    requireInstitutionScope(principal, institutionId);
    await this.units.getUnit(institutionId, 'institution');
    const rows: EntryRow[] = await this.db.query(
      `${SELECT_ENTRY} WHERE e.institution_id = $1 AND e.status IN ('waiting', 'offered') ORDER BY e.priority, e.listed_on, e.created_at, e.id`,
      [institutionId],
    );
    await this.accessLog.record(principal, ...rows.map((r): AccessRecord => ({ action: 'read', objectType: 'waitingListEntry', objectId: r.id, citizenId: r.citizen_id, purpose })));
    return rows.map(toView);
  }

  /** The order's entry with its position, for both sides (the order's scope decides: 404 outside it). */
  @Transactional()
  async forOrder(principal: Principal, purpose: Purpose, orderId: string): Promise<WaitingListEntryView> {
    await this.orders.requireOrder(principal, orderId);
    const row = await this.byOrder(orderId);
    if (!row) throw notFound('waiting-list entry');
    await this.accessLog.record(principal, { action: 'read', objectType: 'waitingListEntry', objectId: row.id, citizenId: row.citizen_id, purpose });
    return toView(row);
  }

  async byOrder(orderId: string): Promise<EntryRow | null> {
    // An order may have been listed before (removed): the open entry, else the latest, is the one that counts.
    const [row]: EntryRow[] = await this.db.query(
      `${SELECT_ENTRY} WHERE e.order_id = $1 ORDER BY (e.status IN ('waiting', 'offered')) DESC, e.created_at DESC, e.id DESC LIMIT 1`,
      [orderId],
    );
    return row ?? null;
  }

  /** Puts the order on the list (in the caller's transaction) and tells the authority. */
  async put(
    principal: Principal,
    purpose: Purpose,
    order: { id: string; citizenId: string; institutionId: string },
    priority: number,
    note: string | null,
  ): Promise<WaitingListEntryView> {
    const listedOn = this.today();
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO waiting_list_entry (order_id, institution_id, citizen_id, priority, listed_on, note, version)
       VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id`,
      [order.id, order.institutionId, order.citizenId, priority, listedOn, note],
    );
    const row = (await this.byOrder(order.id))!;
    await this.outbox.publish('OrderWaitListed', {
      entryId: id,
      orderId: order.id,
      citizenId: order.citizenId,
      institutionId: order.institutionId,
      priority,
      listedOn,
      position: row.position ?? 0,
    });
    await this.accessLog.record(principal, { action: 'create', objectType: 'waitingListEntry', objectId: id, citizenId: order.citizenId, purpose });
    return toView(row);
  }

  /** Takes the institution's row lock, the one its capacity trigger takes; returns its capacity. */
  async lockInstitution(institutionId: string): Promise<number | null> {
    const [row]: { capacity: number | null }[] = await this.db.query('SELECT capacity FROM org_unit WHERE id = $1 FOR UPDATE', [institutionId]);
    return row?.capacity ?? null;
  }

  /** The order was accepted into a place: its entry (if any) is closed as admitted. */
  async markAdmitted(principal: Principal, purpose: Purpose, orderId: string): Promise<void> {
    const rows = rowsOf<{ id: string; citizen_id: string }>(
      await this.db.query(
        `UPDATE waiting_list_entry SET status = 'admitted', offered_on = coalesce(offered_on, $2::date), closed_on = $2, version = version + 1, updated_at = now()
          WHERE order_id = $1 AND status IN ('waiting', 'offered') RETURNING id, citizen_id`,
        [orderId, this.today()],
      ),
    );
    await this.accessLog.record(principal, ...rows.map((r): AccessRecord => ({ action: 'update', objectType: 'waitingListEntry', objectId: r.id, citizenId: r.citizen_id, purpose })));
  }

  /** The order was rejected: an open entry is closed as removed (a place it was offered goes to the next). */
  async closeForOrder(principal: Principal, purpose: Purpose, orderId: string, reason: string): Promise<void> {
    const rows = rowsOf<{ id: string; citizen_id: string; institution_id: string; was_offered: boolean }>(
      await this.db.query(
        `UPDATE waiting_list_entry e SET status = 'removed', closed_on = $2, note = $3, version = e.version + 1, updated_at = now()
           FROM waiting_list_entry old
          WHERE e.id = old.id AND e.order_id = $1 AND e.status IN ('waiting', 'offered')
          RETURNING e.id, e.citizen_id, e.institution_id, old.status = 'offered' AS was_offered`,
        [orderId, this.today(), reason],
      ),
    );
    await this.accessLog.record(principal, ...rows.map((r): AccessRecord => ({ action: 'update', objectType: 'waitingListEntry', objectId: r.id, citizenId: r.citizen_id, purpose })));
    for (const r of rows) if (r.was_offered) await this.offerReleased(principal, purpose, r.institution_id);
  }

  /** An offered place was given up (the entry removed, the order rejected): it goes to the next on the list. */
  private async offerReleased(principal: Principal, purpose: Purpose, institutionId: string): Promise<void> {
    const capacity = await this.lockInstitution(institutionId);
    if (capacity !== null) await this.offerFreed(principal, purpose, institutionId, capacity, this.today(), null);
  }

  /** Offered places hold a place for their order: the ones held for other orders than `exceptOrderId`. */
  async offeredElsewhere(institutionId: string, exceptOrderId: string | null): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM waiting_list_entry WHERE institution_id = $1 AND status = 'offered' AND ($2::uuid IS NULL OR order_id <> $2)`,
      [institutionId, exceptOrderId],
    );
    return n;
  }

  /** Places free from `day` on (capacity less the peak taken from then), not counting offers. */
  async freePlaces(institutionId: string, capacity: number, day: string): Promise<number> {
    const [{ taken }]: { taken: number }[] = await this.db.query(PEAK_TAKEN_SQL, [institutionId, day]);
    return capacity - taken;
  }

  /**
   * A discharge freed a place: as many of the first waiting entries as there are free places not already held
   * by an offer are offered one (status offered, offered today), and WaitingListPlaceOffered tells the
   * institution and the authority. The caller holds the institution's capacity lock (its stay update).
   */
  async offerFreed(
    principal: Principal,
    purpose: Purpose,
    institutionId: string,
    capacity: number,
    fromDay: string,
    freedByStayId: string | null,
  ): Promise<WaitingListEntryView[]> {
    const open = (await this.freePlaces(institutionId, capacity, fromDay)) - (await this.offeredElsewhere(institutionId, null));
    if (open <= 0) return [];
    const offeredOn = this.today();
    const rows = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE waiting_list_entry SET status = 'offered', offered_on = $3, version = version + 1, updated_at = now()
          WHERE id IN (SELECT id FROM waiting_list_entry WHERE institution_id = $1 AND status = 'waiting'
                        ORDER BY priority, listed_on, created_at, id LIMIT $2 FOR UPDATE)
          RETURNING id`,
        [institutionId, open, offeredOn],
      ),
    );
    const offered: EntryRow[] = rows.length ? await this.db.query(`${SELECT_ENTRY} WHERE e.id = ANY($1::uuid[]) ORDER BY e.priority, e.listed_on, e.created_at, e.id`, [rows.map((r) => r.id)]) : [];
    for (const e of offered)
      await this.outbox.publish('WaitingListPlaceOffered', { entryId: e.id, orderId: e.order_id, citizenId: e.citizen_id, institutionId, offeredOn, freedByStayId });
    await this.accessLog.record(principal, ...offered.map((e): AccessRecord => ({ action: 'update', objectType: 'waitingListEntry', objectId: e.id, citizenId: e.citizen_id, purpose })));
    return offered.map(toView);
  }

  /** Takes an entry off the list (the citizen no longer wants the place, moved, …), with the reason. */
  @Transactional()
  async remove(principal: Principal, purpose: Purpose, institutionId: string, entryId: string, reason: string): Promise<WaitingListEntryView> {
    requireInstitutionScope(principal, institutionId);
    const [row]: EntryRow[] = await this.db.query(`${SELECT_ENTRY} WHERE e.id = $1 AND e.institution_id = $2`, [entryId, institutionId]);
    if (!row) throw notFound('waiting-list entry');
    await this.db.query('SELECT 1 FROM waiting_list_entry WHERE id = $1 FOR UPDATE', [entryId]);
    const [current]: EntryRow[] = await this.db.query(`${SELECT_ENTRY} WHERE e.id = $1`, [entryId]);
    if (!['waiting', 'offered'].includes(current.status)) throw conflict(`the entry is ${current.status} already`);
    if (current.status === 'offered') await this.lockInstitution(institutionId);
    rowsOf(
      await this.db.query(
        `UPDATE waiting_list_entry SET status = 'removed', closed_on = $2, note = $3, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id`,
        [entryId, this.today(), reason.trim()],
      ),
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'waitingListEntry', objectId: entryId, citizenId: row.citizen_id, purpose });
    if (current.status === 'offered') await this.offerReleased(principal, purpose, institutionId);
    return toView((await this.db.query(`${SELECT_ENTRY} WHERE e.id = $1`, [entryId]))[0] as EntryRow);
  }

  /** Views of the entries of these orders (for the inbox). */
  async byOrders(orderIds: string[]): Promise<Map<string, WaitingListEntryView>> {
    if (!orderIds.length) return new Map();
    // The open entry, else the latest, of each order (later rows win in the map).
    const rows: EntryRow[] = await this.db.query(
      `${SELECT_ENTRY} WHERE e.order_id = ANY($1::uuid[]) ORDER BY (e.status IN ('waiting', 'offered')), e.created_at, e.id`,
      [orderIds],
    );
    return new Map(rows.map((r) => [r.order_id, toView(r)]));
  }
}

/** Institution staff act for their own institution only (another one looks absent: 404); the authority for all. */
export function requireInstitutionScope(principal: Principal, institutionId: string): void {
  if (INSTITUTION_ROLES.includes(principal.role)) {
    if (principal.institutionId !== institutionId) throw notFound('institution');
  } else if (!VISITATION_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not work with institutions’ places');
}
