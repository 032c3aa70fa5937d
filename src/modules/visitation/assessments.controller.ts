import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { CreateAssessmentDto, UpdateAssessmentDto } from 'src/modules/visitation/assessment.dto';
import { AssessmentService } from 'src/modules/visitation/assessment.service';
import { AssessmentView } from 'src/modules/visitation/assessment.view';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';

/**
 * Udredninger (VUM 2.0): a draft is filled in and completed once; a completed assessment never changes. Only
 * the authority's caseworkers, panel members and administrators see them.
 */
@ApiTags('assessments')
@ApiPurposeHeader()
@Controller('api/v1')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentService) {}

  /** Start a draft udredning for the case's citizen (an open case); the body may already carry content. */
  @Post('cases/:caseId/assessments')
  @Policy({ roles: VISITATION_ROLES })
  @Idempotent()
  create(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Body() dto: CreateAssessmentDto,
  ): Promise<AssessmentView> {
    return this.assessments.create(principal, purpose, caseId, dto);
  }

  /** The case's assessments, newest first, with their content. */
  @Get('cases/:caseId/assessments')
  @Policy({ roles: VISITATION_ROLES })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('caseId', new ParseUUIDPipe()) caseId: string): Promise<AssessmentView[]> {
    return this.assessments.listForCase(principal, purpose, caseId);
  }

  @Get('assessments/:id')
  @Policy({ roles: VISITATION_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssessmentView> {
    const a = await this.assessments.get(principal, purpose, id);
    setEtag(reply, a.version);
    return a;
  }

  /**
   * Change a draft; send If-Match. Each section given replaces that section (an activity theme needs `level`:
   * 0–4, or null for ikke vurderet; the other sections a description and no level); each support need given
   * replaces that service's. A completed assessment is 409.
   */
  @Patch('assessments/:id')
  @Policy({ roles: VISITATION_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateAssessmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssessmentView> {
    const a = await this.assessments.update(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, a.version);
    return a;
  }

  /**
   * Complete (afslut) the udredning; send If-Match. Needs the date (not in the future), the citizen's own
   * wishes, all six activity themes (scored or not assessed) and a support need for every service the case
   * asks for: a 422 lists every one missing. A completed assessment never changes.
   */
  @Post('assessments/:id/complete')
  @HttpCode(200)
  @Policy({ roles: VISITATION_ROLES })
  async complete(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssessmentView> {
    const a = await this.assessments.complete(principal, purpose, id, requireIfMatch(ifMatch));
    setEtag(reply, a.version);
    return a;
  }
}
