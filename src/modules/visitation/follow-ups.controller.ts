import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
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
  CreateFollowUpDto,
  FollowUpPage,
  FollowUpView,
  ListFollowUpsQuery,
  RecordedFollowUpView,
  RecordFollowUpDto,
} from 'src/modules/visitation/follow-up.dto';
import { FollowUpService } from 'src/modules/visitation/follow-up.service';
import { DECIDING_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';

/**
 * Opfølgning: due dates from the standard's interval, provider reports or set by hand; recorded as
 * fortsættelse (with the next date), afslutning, or afslutning og visitering til ny indsats (a new inquiry).
 */
@ApiTags('follow-ups')
@ApiPurposeHeader()
@Controller('api/v1')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpService) {}

  /** The caseworker's follow-ups, earliest due first (`caseworker=me` default, `all` includes grants without a case). */
  @Get('follow-ups')
  @Policy({ roles: VISITATION_ROLES })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: ListFollowUpsQuery): Promise<FollowUpPage> {
    return this.followUps.list(principal, purpose, q);
  }

  @Get('follow-ups/:id')
  @Policy({ roles: VISITATION_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FollowUpView> {
    const f = await this.followUps.get(principal, purpose, id);
    setEtag(reply, f.version);
    return f;
  }

  /** Record the held follow-up (send If-Match). A recorded or cancelled follow-up is kept as it is (409). */
  @Post('follow-ups/:id/record')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  @HttpCode(200)
  async record(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: RecordFollowUpDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedFollowUpView> {
    const f = await this.followUps.record(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, f.version);
    return f;
  }

  /** The grant's follow-ups, newest due date first. */
  @Get('grants/:id/follow-ups')
  @Policy({ roles: VISITATION_ROLES })
  forGrant(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<FollowUpView[]> {
    return this.followUps.listForGrant(principal, purpose, id);
  }

  /** A follow-up set by hand, due today or later, with the reason. */
  @Post('grants/:id/follow-ups')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  async create(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateFollowUpDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FollowUpView> {
    const f = await this.followUps.create(principal, purpose, id, dto);
    setEtag(reply, f.version);
    return f;
  }
}
