import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { CASE_ROLES, Purpose } from 'src/modules/citizens/citizens.constants';
import { VisitPage, VisitView } from 'src/modules/citizens/citizens.dto';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { CalendarQuery, CancelVisitDto, HoldVisitDto, UpdateVisitDto } from 'src/modules/citizens/visit.dto';
import { VisitService } from 'src/modules/citizens/visit.service';

/** Besøg: planned → held (afholdt) | cancelled (aflyst); the caseworker's calendar. */
@ApiTags('visits')
@ApiPurposeHeader()
@Controller('api/v1/visits')
export class VisitsController {
  constructor(private readonly visits: VisitService) {}

  /** The calendar: `?caseworker=me&from=2026-12-01&to=2026-12-07` (dates are whole Danish days; date-times exact). */
  @Get()
  @Policy({ roles: CASE_ROLES })
  calendar(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: CalendarQuery): Promise<VisitPage> {
    return this.visits.calendar(principal, purpose, q);
  }

  @Get(':id')
  @Policy({ roles: CASE_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VisitView> {
    const v = await this.visits.get(principal, purpose, id);
    setEtag(reply, v.version);
    return v;
  }

  /** Reschedule or change a planned visit; send If-Match. */
  @Patch(':id')
  @Policy({ roles: CASE_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateVisitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VisitView> {
    const v = await this.visits.update(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, v.version);
    return v;
  }

  /** Record that the visit was held (afholdt), with notes. Only a planned visit that has started. */
  @Post(':id/hold')
  @HttpCode(200)
  @Policy({ roles: CASE_ROLES })
  hold(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: HoldVisitDto): Promise<VisitView> {
    return this.visits.hold(principal, purpose, id, dto);
  }

  /** Cancel (aflys) a planned visit, with the reason. */
  @Post(':id/cancel')
  @HttpCode(200)
  @Policy({ roles: CASE_ROLES })
  cancel(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CancelVisitDto): Promise<VisitView> {
    return this.visits.cancel(principal, purpose, id, dto);
  }
}
