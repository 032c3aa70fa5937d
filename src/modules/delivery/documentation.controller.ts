import { Body, Controller, Delete, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CASE_ROLES, CITIZEN_READ_ROLES, Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { DELIVERY_ROLES } from 'src/modules/delivery/delivery.constants';
import {
  CreateNoteDto,
  CreateProgressDto,
  CreateSubGoalDto,
  GrantGoalsView,
  ListNotesQuery,
  NotePage,
  NoteView,
  ProgressView,
  SubGoalView,
  UpdateSubGoalDto,
} from 'src/modules/delivery/documentation.dto';
import { NoteService } from 'src/modules/delivery/note.service';
import { SubGoalService } from 'src/modules/delivery/sub-goal.service';

const amendInstead = () =>
  new DomainError('methodNotAllowed', 'a note is never edited or deleted: write a note that amends it (POST /orders/{id}/notes with amendsNoteId)', [], {
    allow: '',
  });

/**
 * Dokumentation and delmål: the institution's journal notes (amended, never edited), its sub-goals under the
 * authority's goals and the progress on them. The authority reads what is shared with it and the goals.
 */
@ApiTags('documentation')
@ApiPurposeHeader()
@Controller('api/v1')
export class DocumentationController {
  constructor(
    private readonly notes: NoteService,
    private readonly subGoals: SubGoalService,
  ) {}

  /** Write a note on an accepted (or ended) order; `amendsNoteId` amends the latest version of an earlier one. */
  @Post('orders/:id/notes')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  createNote(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateNoteDto,
  ): Promise<NoteView> {
    return this.notes.create(principal, purpose, id, dto);
  }

  /** The notes, oldest first, each with the notes that amend it. The authority sees only those shared with it. */
  @Get('orders/:id/notes')
  @Policy({ roles: CITIZEN_READ_ROLES })
  listNotes(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: ListNotesQuery,
  ): Promise<NotePage> {
    return this.notes.list(principal, purpose, id, q);
  }

  /** Notes are amended, never edited: 405. */
  @Patch('orders/:id/notes/:noteId')
  @Policy({ roles: CITIZEN_READ_ROLES })
  @ApiResponse({ status: 405, description: 'A note is never edited: amend it instead' })
  editNote(): never {
    throw amendInstead();
  }

  /** Notes are amended, never replaced: 405. */
  @Put('orders/:id/notes/:noteId')
  @Policy({ roles: CITIZEN_READ_ROLES })
  @ApiResponse({ status: 405, description: 'A note is never replaced: amend it instead' })
  replaceNote(): never {
    throw amendInstead();
  }

  /** Notes are kept: 405. */
  @Delete('orders/:id/notes/:noteId')
  @Policy({ roles: CITIZEN_READ_ROLES })
  @ApiResponse({ status: 405, description: 'A note is never deleted: amend it instead' })
  deleteNote(): never {
    throw amendInstead();
  }

  /** A delmål under one of the order's goals (`goalOrdinal` as in the order's content.goals). Institution only. */
  @Post('orders/:id/sub-goals')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  async createSubGoal(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateSubGoalDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubGoalView> {
    const s = await this.subGoals.create(principal, purpose, id, dto);
    setEtag(reply, s.version);
    return s;
  }

  /** The order's sub-goals with their progress (oldest first). */
  @Get('orders/:id/sub-goals')
  @Policy({ roles: CITIZEN_READ_ROLES })
  listSubGoals(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<SubGoalView[]> {
    return this.subGoals.listForOrder(principal, purpose, id);
  }

  /** Change status (active, achieved, dropped) or description (send If-Match). */
  @Patch('sub-goals/:id')
  @Policy({ roles: DELIVERY_ROLES })
  async updateSubGoal(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateSubGoalDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubGoalView> {
    const s = await this.subGoals.update(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, s.version);
    return s;
  }

  /** A progress entry (level 0–4 and text) on an active sub-goal. */
  @Post('sub-goals/:id/progress')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  addProgress(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateProgressDto,
  ): Promise<ProgressView> {
    return this.subGoals.addProgress(principal, purpose, id, dto);
  }

  /** The authority's read: the grant's goals (indsatsmål), each with the institution's sub-goals and progress. */
  @Get('grants/:grantId/goals')
  @Policy({ roles: CASE_ROLES })
  grantGoals(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('grantId', new ParseUUIDPipe()) grantId: string,
  ): Promise<GrantGoalsView> {
    return this.subGoals.goalsOfGrant(principal, purpose, grantId);
  }
}
