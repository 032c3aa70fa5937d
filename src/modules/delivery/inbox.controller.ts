import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { DECIDING_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { OrderView } from 'src/modules/visitation/visitation.dto';
import { DELIVERY_ROLES, MANAGER_ROLES } from 'src/modules/delivery/delivery.constants';
import {
  AcceptOrderDto,
  AcceptOutcomeView,
  InboxPage,
  InboxQuery,
  RejectOrderDto,
  RemoveWaitingListEntryDto,
  WaitingListEntryView,
} from 'src/modules/delivery/delivery.dto';
import { InboxService } from 'src/modules/delivery/inbox.service';
import { WaitingListService } from 'src/modules/delivery/waiting-list.service';

/**
 * Ordreindbakke and venteliste: the institution answers the authority's orders; for a place, accepting admits
 * the citizen when a place is free and otherwise puts them on the waiting list. Institution staff see their own
 * institution only (another one's orders and lists are 404); the authority sees every institution's.
 */
@ApiTags('order inbox and waiting list')
@ApiPurposeHeader()
@Controller('api/v1')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly waitingList: WaitingListService,
  ) {}

  /** The institution's orders, newest first, each with its waiting-list entry and stay. */
  @Get('institutions/:id/orders')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: InboxQuery): Promise<InboxPage> {
    return this.inbox.inbox(principal, purpose, id, q);
  }

  /**
   * Accept a sent order (If-Match: its ETag) from `startDate`. For a place: 200 `accepted` with the stay, or — all
   * places taken — 202 `waitingList`: the order stays sent and is on the waiting list (with its position); when a
   * place is offered to it, accept again to admit.
   */
  @Post('orders/:id/accept')
  @HttpCode(200)
  @Policy({ roles: MANAGER_ROLES })
  @Idempotent()
  @ApiOkResponse({ type: AcceptOutcomeView, description: 'accepted (for a place: admitted, with the stay)' })
  @ApiAcceptedResponse({ type: AcceptOutcomeView, description: 'no free place: on the waiting list; the order is still sent' })
  async accept(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: AcceptOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptOutcomeView> {
    const outcome = await this.inbox.accept(principal, purpose, id, requireIfMatch(ifMatch), dto);
    if (outcome.outcome === 'waitingList') void reply.status(202);
    setEtag(reply, outcome.order.version);
    return outcome;
  }

  /** Reject a sent order (If-Match) with the reason; a waiting-list entry of it is closed. */
  @Post('orders/:id/reject')
  @HttpCode(200)
  @Policy({ roles: MANAGER_ROLES })
  async reject(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: RejectOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const order = await this.inbox.reject(principal, purpose, id, requireIfMatch(ifMatch), dto.reason);
    setEtag(reply, order.version);
    return order;
  }

  /** The order's waiting-list entry and position (both sides). */
  @Get('orders/:id/waiting-list-entry')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  entry(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<WaitingListEntryView> {
    return this.waitingList.forOrder(principal, purpose, id);
  }

  /** The institution's venteliste in queue order: priority, then the day listed, then when listed. */
  @Get('institutions/:id/waiting-list')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  waiting(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<WaitingListEntryView[]> {
    return this.waitingList.list(principal, purpose, id);
  }

  /** Take an entry off the list, with the reason (the leader, or the authority's caseworker). */
  @Post('institutions/:id/waiting-list/:entryId/remove')
  @HttpCode(200)
  @Policy({ roles: [...MANAGER_ROLES, ...DECIDING_ROLES] })
  remove(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('entryId', new ParseUUIDPipe()) entryId: string,
    @Body() dto: RemoveWaitingListEntryDto,
  ): Promise<WaitingListEntryView> {
    return this.waitingList.remove(principal, purpose, id, entryId, dto.reason);
  }
}
