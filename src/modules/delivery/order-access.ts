import { Injectable } from '@nestjs/common';
import { Principal } from 'src/platform/auth/principal';
import { DomainError, ruleViolated } from 'src/platform/errors/domain-error';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { DELIVERY_ROLES } from 'src/modules/delivery/delivery.constants';
import { OrderRow, OrderService } from 'src/modules/visitation/order.service';

type OrderStatus = OrderRow['status'];

/**
 * Which orders a caller may document on or read: institution staff their own institution's (and only while
 * the citizen is in their view), the authority every order; anything else is 404.
 */
@Injectable()
export class OrderAccess {
  constructor(
    private readonly orders: OrderService,
    private readonly citizens: CitizenService,
  ) {}

  async read(principal: Principal, orderId: string): Promise<OrderRow> {
    const order = await this.orders.requireOrder(principal, orderId);
    await this.citizens.requireVisible(principal, order.citizen_id);
    return order;
  }

  /** The institution writes on its own order in one of the given states; other states are 422. */
  async write(principal: Principal, orderId: string, statuses: readonly OrderStatus[], what: string): Promise<OrderRow> {
    if (!DELIVERY_ROLES.includes(principal.role)) throw new DomainError('forbidden', `only the institution writes ${what}`);
    const order = await this.read(principal, orderId);
    if (!statuses.includes(order.status)) throw ruleViolated(`${what} is written on an ${statuses.join(' or ')} order; this one is ${order.status}`);
    return order;
  }
}
