import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { setEtag } from 'src/platform/http/etag';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { GrantService } from 'src/modules/visitation/grant.service';
import { ListOrdersQuery } from 'src/modules/visitation/order.dto';
import { OrderService } from 'src/modules/visitation/order.service';
import { INSTITUTION_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { GrantView, OrderPage, OrderView } from 'src/modules/visitation/visitation.dto';

/** Bevillinger (grants, the citizen's full history) and bestillinger (orders to institutions). */
@ApiTags('grants and orders')
@ApiPurposeHeader()
@Controller('api/v1')
export class GrantsController {
  constructor(
    private readonly grants: GrantService,
    private readonly orders: OrderService,
  ) {}

  /** Every grant the citizen has had, newest first (history is never rewritten). */
  @Get('citizens/:id/grants')
  @Policy({ roles: VISITATION_ROLES })
  forCitizen(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<GrantView[]> {
    return this.grants.listForCitizen(principal, purpose, id);
  }

  /** One grant; institution staff see their own institution's grants only. */
  @Get('grants/:id')
  @Policy({ roles: [...VISITATION_ROLES, ...INSTITUTION_ROLES] })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GrantView> {
    const g = await this.grants.get(principal, purpose, id);
    setEtag(reply, g.version);
    return g;
  }

  /** Orders newest first: the authority filters freely; institution staff get their own institution's (ordreindbakke). */
  @Get('orders')
  @Policy({ roles: [...VISITATION_ROLES, ...INSTITUTION_ROLES] })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: ListOrdersQuery): Promise<OrderPage> {
    return this.orders.list(principal, purpose, q);
  }

  @Get('orders/:id')
  @Policy({ roles: [...VISITATION_ROLES, ...INSTITUTION_ROLES] })
  async order(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const o = await this.orders.get(principal, purpose, id);
    setEtag(reply, o.version);
    return o;
  }
}
