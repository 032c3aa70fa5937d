import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { CreateDecisionDto, ListDecisionsQuery, NotifyDecisionDto, PanelReviewDto, UpdateDecisionDto } from 'src/modules/visitation/decision.dto';
import { DecisionLetterService } from 'src/modules/visitation/decision-letter.service';
import { DecisionNotificationService } from 'src/modules/visitation/decision-notification.service';
import { DecisionService } from 'src/modules/visitation/decision.service';
import { DECIDING_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { DecisionView } from 'src/modules/visitation/visitation.dto';

/**
 * Afgørelser: bevilling, afslag, ændring, ophør. Drafted on a case, checked against the quality standard in
 * force, approved by the visitationsudvalg where the standard requires it, then meddelt (notified) — which
 * fixes the klagefrist, makes the grant and sends the order. A notified decision never changes.
 */
@ApiTags('decisions')
@ApiPurposeHeader()
@Controller('api/v1')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionService,
    private readonly notifications: DecisionNotificationService,
    private readonly letters: DecisionLetterService,
  ) {}

  /** Draft a decision (kladde) on the case. Every rule is checked now and on each edit; all failures come in one 422. */
  @Post('cases/:caseId/decisions')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  async create(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Body() dto: CreateDecisionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DecisionView> {
    const d = await this.decisions.create(principal, purpose, caseId, dto);
    setEtag(reply, d.version);
    return d;
  }

  @Get('cases/:caseId/decisions')
  @Policy({ roles: VISITATION_ROLES })
  list(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Query() q: ListDecisionsQuery,
  ): Promise<DecisionView[]> {
    return this.decisions.listForCase(principal, purpose, caseId, q.status);
  }

  @Get('decisions/:id')
  @Policy({ roles: VISITATION_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DecisionView> {
    const d = await this.decisions.get(principal, purpose, id);
    setEtag(reply, d.version);
    return d;
  }

  /** Edit a draft (send If-Match). `null` clears a field; `goals` replaces the list. */
  @Patch('decisions/:id')
  @Policy({ roles: DECIDING_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateDecisionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DecisionView> {
    const d = await this.decisions.update(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, d.version);
    return d;
  }

  /** Discard a draft (send If-Match). Submitted, approved and notified decisions are kept. */
  @Delete('decisions/:id')
  @Policy({ roles: DECIDING_ROLES })
  @HttpCode(204)
  async discard(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.decisions.discard(principal, purpose, id, requireIfMatch(ifMatch));
  }

  /** Send the draft to the visitationsudvalg (send If-Match); only where the standard requires its approval. */
  @Post('decisions/:id/submit')
  @Policy({ roles: DECIDING_ROLES })
  @HttpCode(200)
  async submit(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DecisionView> {
    const d = await this.decisions.submit(principal, purpose, id, requireIfMatch(ifMatch));
    setEtag(reply, d.version);
    return d;
  }

  /** Visitationsudvalget: approve, or return with a comment. A panel member never reviews their own decision (403). */
  @Post('decisions/:id/panel-review')
  @Policy({ roles: ['panelMember'] })
  @Idempotent()
  @HttpCode(200)
  async review(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: PanelReviewDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DecisionView> {
    const d = await this.decisions.review(principal, purpose, id, dto);
    setEtag(reply, d.version);
    return d;
  }

  /**
   * Meddel afgørelsen: record the day and channel it was sent. Fixes the klagefrist (received + 4 weeks;
   * a letter counts as received 6 working days after sending), makes or ends the grant and sends the order.
   */
  @Post('decisions/:id/notify')
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  @HttpCode(200)
  async notify(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: NotifyDecisionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DecisionView> {
    const d = await this.notifications.notify(principal, purpose, id, dto);
    setEtag(reply, d.version);
    return d;
  }

  /** The letter the citizen receives, as PDF (a draft is marked UDKAST). The export is access-logged. */
  @Get('decisions/:id/letter.pdf')
  @Policy({ roles: VISITATION_ROLES })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'Afgørelsesbrev (PDF)', schema: { type: 'string', format: 'binary' } })
  async letter(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const pdf = await this.letters.render(principal, purpose, id);
    void reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="afgoerelse-${id}.pdf"`);
    return pdf;
  }
}
