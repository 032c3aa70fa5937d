import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CASE_ROLES, CITIZEN_READ_ROLES, Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { DELIVERY_ROLES } from 'src/modules/delivery/delivery.constants';
import { ProviderReportService } from 'src/modules/delivery/provider-report.service';
import {
  CreateProviderReportDto,
  CreateUseOfForceReportDto,
  ListUseOfForceReportsQuery,
  ProviderReportView,
  ReviewUseOfForceReportDto,
  UseOfForceReportPage,
  UseOfForceReportView,
  UseOfForceSummaryQuery,
  UseOfForceSummaryView,
} from 'src/modules/delivery/report.dto';
import { UseOfForceService } from 'src/modules/delivery/use-of-force.service';

/**
 * What the institution reports to the authority: tilbagemeldinger (needs changed; each makes a follow-up task)
 * and magtanvendelse (forms 1a, 1b, 2; reviewed by the citizen's acting municipality).
 */
@ApiTags('provider reports')
@ApiPurposeHeader()
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly providerReports: ProviderReportService,
    private readonly useOfForce: UseOfForceService,
  ) {}

  /** Tilbagemelding on an accepted order: the authority's follow-up task is made with it. */
  @Post('orders/:id/provider-reports')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  createProviderReport(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateProviderReportDto,
  ): Promise<ProviderReportView> {
    return this.providerReports.create(principal, purpose, id, dto);
  }

  /** The order's provider reports, newest first. */
  @Get('orders/:id/provider-reports')
  @Policy({ roles: CITIZEN_READ_ROLES })
  listProviderReports(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ProviderReportView[]> {
    return this.providerReports.listForOrder(principal, purpose, id);
  }

  /** Register a magtanvendelse at the own institution; it goes to the citizen's acting municipality for review. */
  @Post('institutions/:id/use-of-force-reports')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  async createUseOfForce(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateUseOfForceReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UseOfForceReportView> {
    const r = await this.useOfForce.create(principal, purpose, id, dto);
    setEtag(reply, r.version);
    return r;
  }

  /** The institution's reports, newest first (filter by review status). */
  @Get('institutions/:id/use-of-force-reports')
  @Policy({ roles: DELIVERY_ROLES })
  listUseOfForceForInstitution(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: ListUseOfForceReportsQuery,
  ): Promise<UseOfForceReportPage> {
    return this.useOfForce.listForInstitution(principal, purpose, id, q);
  }

  /** The yearly summary: counts per form and month and the number of citizens; no names. */
  @Get('institutions/:id/use-of-force-summary')
  @Policy({ roles: [...DELIVERY_ROLES, ...CASE_ROLES] })
  useOfForceSummary(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: UseOfForceSummaryQuery,
  ): Promise<UseOfForceSummaryView> {
    return this.useOfForce.summary(principal, id, q.year);
  }

  /** The authority's list: reports on citizens the own municipality acts for; `status` defaults to pending. */
  @Get('use-of-force-reports')
  @Policy({ roles: CASE_ROLES })
  listUseOfForceForAuthority(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Query() q: ListUseOfForceReportsQuery,
  ): Promise<UseOfForceReportPage> {
    return this.useOfForce.listForAuthority(principal, purpose, q);
  }

  @Get('use-of-force-reports/:id')
  @Policy({ roles: [...DELIVERY_ROLES, ...CASE_ROLES] })
  async getUseOfForce(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UseOfForceReportView> {
    const r = await this.useOfForce.get(principal, purpose, id);
    setEtag(reply, r.version);
    return r;
  }

  /** The acting municipality's review (send If-Match): pending → reviewed, with the comment. Reviewed once (409). */
  @Post('use-of-force-reports/:id/review')
  @Policy({ roles: CASE_ROLES })
  @Idempotent()
  @HttpCode(200)
  async reviewUseOfForce(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: ReviewUseOfForceReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UseOfForceReportView> {
    const r = await this.useOfForce.review(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, r.version);
    return r;
  }
}
