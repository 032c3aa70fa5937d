import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { PageQuery } from 'src/platform/http/pagination';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CreateNoteDto, UpdateCaseDto } from 'src/modules/citizens/case.dto';
import { CaseService } from 'src/modules/citizens/case.service';
import { CASE_ROLES, Purpose } from 'src/modules/citizens/citizens.constants';
import { CaseView, NotePage, NoteView, VisitView } from 'src/modules/citizens/citizens.dto';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { CreateVisitDto } from 'src/modules/citizens/visit.dto';
import { VisitService } from 'src/modules/citizens/visit.service';

/** Sager: the authority's cases, with their journal notes (notater, append-only) and visits (besøg). */
@ApiTags('cases')
@ApiPurposeHeader()
@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CaseService,
    private readonly visits: VisitService,
  ) {}

  @Get(':id')
  @Policy({ roles: CASE_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseView> {
    const c = await this.cases.get(principal, purpose, id);
    setEtag(reply, c.version);
    return c;
  }

  /** Change the responsible caseworker and/or close the case (`status: closed`); send If-Match. */
  @Patch(':id')
  @Policy({ roles: CASE_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateCaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseView> {
    const c = await this.cases.update(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, c.version);
    return c;
  }

  /** A journal note (notat). Notes are never changed: to correct one, add a note with `amendsNoteId`. */
  @Post(':id/notes')
  @Policy({ roles: CASE_ROLES })
  @Idempotent()
  addNote(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateNoteDto,
  ): Promise<NoteView> {
    return this.cases.addNote(principal, purpose, id, dto);
  }

  /** The journal, oldest first; each note lists the notes that amend it. */
  @Get(':id/notes')
  @Policy({ roles: CASE_ROLES })
  notes(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: PageQuery,
  ): Promise<NotePage> {
    return this.cases.listNotes(principal, purpose, id, q);
  }

  /** Plan a visit (besøg) on an open case. */
  @Post(':id/visits')
  @Policy({ roles: CASE_ROLES })
  @Idempotent()
  planVisit(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateVisitDto,
  ): Promise<VisitView> {
    return this.visits.create(principal, purpose, id, dto);
  }

  @Get(':id/visits')
  @Policy({ roles: CASE_ROLES })
  visitsOf(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<VisitView[]> {
    return this.visits.listForCase(principal, purpose, id);
  }
}
