import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import {
  CreateActionPlanDto,
  CreateActionPlanVersionDto,
  OfferActionPlanDto,
  RespondActionPlanDto,
  UpdateActionPlanVersionDto,
} from 'src/modules/visitation/action-plan.dto';
import { ActionPlanService } from 'src/modules/visitation/action-plan.service';
import { ActionPlanView, OrderActionPlanView } from 'src/modules/visitation/action-plan.view';
import { DECIDING_ROLES, INSTITUTION_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';

const versionNo = () => new ParseIntPipe({ errorHttpStatusCode: 404 });

/**
 * Handleplaner (SEL § 141; § 142 for a § 110 stay): purpose, services, expected duration and other matters, in
 * versions. A draft is edited (If-Match on the version's ETag), offered to the citizen — then fixed — and
 * accepted or declined; a change is a new version. Offering hands the relevant parts to the institutions through
 * the orders of the covered grants; other matters stay with the authority.
 *
 * ETags: the plan's (GET, create, new version) counts the versions made; each version's `version` field is the
 * ETag for editing or offering that version.
 */
@ApiTags('action plans')
@ApiPurposeHeader()
@Controller('api/v1')
export class ActionPlansController {
  constructor(private readonly plans: ActionPlanService) {}

  /** A new plan for the case's citizen; version 1 is a draft. Not for anonymous clients nor for § 101 a alone (422). */
  @Post('cases/:caseId/action-plans')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  async create(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Body() dto: CreateActionPlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionPlanView> {
    return this.tagged(reply, await this.plans.create(principal, purpose, caseId, dto));
  }

  @Get('cases/:caseId/action-plans')
  @Policy({ roles: VISITATION_ROLES })
  forCase(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('caseId', new ParseUUIDPipe()) caseId: string): Promise<ActionPlanView[]> {
    return this.plans.listForCase(principal, purpose, caseId);
  }

  @Get('citizens/:id/action-plans')
  @Policy({ roles: VISITATION_ROLES })
  forCitizen(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<ActionPlanView[]> {
    return this.plans.listForCitizen(principal, purpose, id);
  }

  /**
   * The plan with every version (newest first), and for each covered grant the decision's purpose and goals
   * and the institution's sub-goals (delmål) with their progress — all read-only here.
   */
  @Get('action-plans/:id')
  @Policy({ roles: VISITATION_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionPlanView> {
    return this.tagged(reply, await this.plans.get(principal, purpose, id));
  }

  /** Edit a draft version (If-Match: the version's `version`). An offered version never changes (409). */
  @Patch('action-plans/:id/versions/:n')
  @Policy({ roles: DECIDING_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('n', versionNo()) n: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateActionPlanVersionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionPlanView> {
    return this.versionTagged(reply, n, await this.plans.updateVersion(principal, purpose, id, n, requireIfMatch(ifMatch), dto));
  }

  /**
   * A new draft version copied from the latest (the body overrides fields). If-Match: the plan's ETag. Only when
   * the latest version is not a draft (else 409: edit the draft).
   */
  @Post('action-plans/:id/versions')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  async createVersion(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: CreateActionPlanVersionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionPlanView> {
    return this.tagged(reply, await this.plans.createVersion(principal, purpose, id, requireIfMatch(ifMatch), dto));
  }

  /**
   * Tilbudt: offer the draft to the citizen (If-Match: the version's `version`); `offeredOn` not in the future.
   * The orders of the covered grants carry the plan from now on.
   */
  @Post('action-plans/:id/versions/:n/offer')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  @HttpCode(200)
  async offer(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('n', versionNo()) n: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: OfferActionPlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionPlanView> {
    return this.versionTagged(reply, n, await this.plans.offer(principal, purpose, id, n, requireIfMatch(ifMatch), dto));
  }

  /** The citizen's answer to an offered version: accepted or declined (kept), on or after the offer, not in the future. */
  @Post('action-plans/:id/versions/:n/response')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  @HttpCode(200)
  async respond(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('n', versionNo()) n: number,
    @Body() dto: RespondActionPlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionPlanView> {
    return this.versionTagged(reply, n, await this.plans.respond(principal, purpose, id, n, dto));
  }

  /**
   * The relevant parts of the action plan the order carries (SEL § 141, stk. 5): purpose, services, expected
   * duration of the latest offered or accepted version, and the goals of the order's grant. Other matters (andre
   * forhold) and the citizen's response note stay with the authority. Institution staff read their own orders
   * only; 404 when the order carries no offered plan.
   */
  @Get('orders/:id/action-plan')
  @Policy({ roles: [...VISITATION_ROLES, ...INSTITUTION_ROLES] })
  forOrder(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<OrderActionPlanView> {
    return this.plans.forOrder(principal, purpose, id);
  }

  private tagged(reply: FastifyReply, plan: ActionPlanView): ActionPlanView {
    setEtag(reply, plan.version);
    return plan;
  }

  /** A version's action answers with that version's ETag. */
  private versionTagged(reply: FastifyReply, n: number, plan: ActionPlanView): ActionPlanView {
    const v = plan.versions.find((x) => x.versionNo === n);
    if (v) setEtag(reply, v.version);
    return plan;
  }
}
