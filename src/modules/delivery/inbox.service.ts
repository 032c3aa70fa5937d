import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { PLACE_BASED_TYPES } from 'src/modules/organisation/organisation.constants';
import { OrderService } from 'src/modules/visitation/order.service';
import { OrderView } from 'src/modules/visitation/visitation.dto';
import { AcceptOrderDto, AcceptOutcomeView, InboxPage, InboxQuery } from 'src/modules/delivery/delivery.dto';
import { isCapacityRefusal } from 'src/modules/delivery/places';
import { StayService } from 'src/modules/delivery/stay.service';
import { WaitingListService } from 'src/modules/delivery/waiting-list.service';

const SAVEPOINT = 'delivery_accept_place';

/**
 * The institution's order inbox (ordreindbakke): the orders with their waiting-list entry and stay, and the
 * answers — accept (for a place: the stay, within capacity, or else the waiting list) and reject.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly orders: OrderService,
    private readonly units: OrgUnitService,
    private readonly stays: StayService,
    private readonly waitingList: WaitingListService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async inbox(principal: Principal, purpose: Purpose, institutionId: string, q: InboxQuery): Promise<InboxPage> {
    const page = await this.orders.inbox(principal, purpose, institutionId, q);
    const ids = page.items.map((o) => o.id);
    const [entries, stays] = [await this.waitingList.byOrders(ids), await this.stays.stayIdsByOrders(ids)];
    return {
      items: page.items.map((order) => ({ order, waitingListEntry: entries.get(order.id) ?? null, stayId: stays.get(order.id) ?? null })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Accept a sent order from a start date. A place-based service (the grant's unit is a place at an institution
   * with places) also admits the citizen: the stay is inserted with the accept, and the database's capacity
   * trigger (under a row lock on the institution) decides. When it refuses, the accept is rolled back to a
   * savepoint — the order stays sent — and the order goes on the waiting list instead (outcome `waitingList`,
   * answered 202 so that the entry commits). A place held by an offer to another waiting order is not free.
   */
  @Transactional()
  async accept(principal: Principal, purpose: Purpose, id: string, version: number, dto: AcceptOrderDto): Promise<AcceptOutcomeView> {
    const { order, scopeUnit } = await this.orders.forDelivery(principal, id, true);
    const institution = await this.units.getUnit(order.institutionId, 'institution');
    const placeBased = scopeUnit === 'place' && institution.capacity !== null && !!institution.institutionType && PLACE_BASED_TYPES.includes(institution.institutionType);
    if (!placeBased) return { outcome: 'accepted', order: await this.orders.accept(principal, purpose, id, version, dto.startDate, { staffUserId: dto.responsibleStaffUserId, team: dto.responsibleTeam }), stay: null, waitingListEntry: null };

    // The institution's row lock (the one the capacity trigger takes) first: offers and free places are read
    // and used by one accept at a time.
    await this.waitingList.lockInstitution(order.institutionId);
    const entry = await this.waitingList.byOrder(id);
    const held = await this.waitingList.offeredElsewhere(order.institutionId, id);
    // Offers hold their places: unless this is the offered order, a place is free only beyond them.
    const free = await this.waitingList.freePlaces(order.institutionId, institution.capacity!, dto.startDate);
    if (held > 0 && free <= held) {
      // Check the version and status first, as the accept would: a stale or answered order is no waiting-list case.
      await this.db.query(`SAVEPOINT ${SAVEPOINT}`);
      await this.orders.accept(principal, purpose, id, version, dto.startDate, { staffUserId: dto.responsibleStaffUserId, team: dto.responsibleTeam });
      await this.db.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      return this.waitListed(principal, purpose, order, entry, dto);
    }

    await this.db.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const accepted = await this.orders.accept(principal, purpose, id, version, dto.startDate, { staffUserId: dto.responsibleStaffUserId, team: dto.responsibleTeam });
      const stay = await this.stays.insertForOrder(principal, purpose, order, dto.startDate);
      await this.waitingList.markAdmitted(principal, purpose, id);
      await this.db.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return { outcome: 'accepted', order: accepted, stay, waitingListEntry: (await this.waitingList.byOrders([id])).get(id) ?? null };
    } catch (err) {
      if (!isCapacityRefusal(err)) throw err;
      await this.db.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      return this.waitListed(principal, purpose, order, entry, dto);
    }
  }

  private async waitListed(
    principal: Principal,
    purpose: Purpose,
    order: OrderView,
    entry: Awaited<ReturnType<WaitingListService['byOrder']>>,
    dto: AcceptOrderDto,
  ): Promise<AcceptOutcomeView> {
    const current = (await this.orders.forDelivery(principal, order.id)).order;
    if (entry && ['waiting', 'offered'].includes(entry.status)) {
      await this.accessLog.record(principal, { action: 'read', objectType: 'waitingListEntry', objectId: entry.id, citizenId: entry.citizen_id, purpose });
      return { outcome: 'waitingList', order: current, stay: null, waitingListEntry: (await this.waitingList.byOrders([order.id])).get(order.id)! };
    }
    const listed = await this.waitingList.put(principal, purpose, order, dto.priority ?? 3, dto.note?.trim() || null);
    return { outcome: 'waitingList', order: current, stay: null, waitingListEntry: listed };
  }

  /** Reject a sent order with the reason; an open waiting-list entry of it is closed. */
  @Transactional()
  async reject(principal: Principal, purpose: Purpose, id: string, version: number, reason: string): Promise<OrderView> {
    const rejected = await this.orders.reject(principal, purpose, id, version, reason);
    await this.waitingList.closeForOrder(principal, purpose, id, `order rejected: ${reason.trim()}`);
    return rejected;
  }
}
