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
  ComplaintPage,
  ComplaintView,
  CreateComplaintDto,
  ForwardComplaintDto,
  ListComplaintsQuery,
  ReassessComplaintDto,
  RecordAppealOutcomeDto,
} from 'src/modules/visitation/complaint.dto';
import { ComplaintService } from 'src/modules/visitation/complaint.service';
import { DECIDING_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';

/**
 * Klager (RSL §§ 66–67): a complaint against a notified, appealable decision is lodged with the municipality,
 * which re-assesses it within 4 weeks (genvurdering) — changing the decision in the citizen's favour, or
 * upholding it and forwarding it to Ankestyrelsen — and records Ankestyrelsen's outcome. Send
 * `X-Purpose: complaint` (klagesag) for the access log.
 */
@ApiTags('complaints')
@ApiPurposeHeader()
@Controller('api/v1')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintService) {}

  /**
   * Register a complaint received against the decision. A late complaint (after the klagefrist) is registered
   * and flagged `late`, never refused. Re-assessment is due 4 weeks after receipt. Not notified: 409; a final
   * decision (§ 82 a, § 82 b, § 101 a): 422.
   */
  @Post('decisions/:id/complaints')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  async create(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateComplaintDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    const c = await this.complaints.create(principal, purpose, id, dto);
    setEtag(reply, c.version);
    return c;
  }

  /** The complaints against the decision, oldest first. */
  @Get('decisions/:id/complaints')
  @Policy({ roles: VISITATION_ROLES })
  forDecision(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<ComplaintView[]> {
    return this.complaints.listForDecision(principal, purpose, id);
  }

  /** All complaints, oldest received first; `overdue=true`: past the 4-week re-assessment deadline and not yet re-assessed or forwarded. */
  @Get('complaints')
  @Policy({ roles: VISITATION_ROLES })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: ListComplaintsQuery): Promise<ComplaintPage> {
    return this.complaints.list(principal, purpose, q);
  }

  @Get('complaints/:id')
  @Policy({ roles: VISITATION_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    const c = await this.complaints.get(principal, purpose, id);
    setEtag(reply, c.version);
    return c;
  }

  /**
   * Genvurdering (send If-Match), once. `changed` drafts `newDecision` on the complaint's case and links it (notify
   * it as usual: it carries new complaint guidance); `upheld` needs a `note` and is then forwarded.
   */
  @Post('complaints/:id/reassessment')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  @HttpCode(200)
  async reassess(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: ReassessComplaintDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    const c = await this.complaints.reassess(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, c.version);
    return c;
  }

  /** Forward an upheld complaint with the case documents (send If-Match): to Ankestyrelsen, or Styrelsen for Patientklager for sundhedsloven. */
  @Post('complaints/:id/forward')
  @Policy({ roles: DECIDING_ROLES })
  @HttpCode(200)
  async forward(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: ForwardComplaintDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    const c = await this.complaints.forward(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, c.version);
    return c;
  }

  /** Ankestyrelsen's outcome on a forwarded complaint (send If-Match). `remitted` (hjemvist) sets the day the case must be decided again. */
  @Post('complaints/:id/outcome')
  @Policy({ roles: DECIDING_ROLES })
  @HttpCode(200)
  async outcome(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: RecordAppealOutcomeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    const c = await this.complaints.recordOutcome(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, c.version);
    return c;
  }
}
