import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { JournalService, Posted, requireIdempotencyKey } from 'src/modules/ledger/journal.service';
import { LEDGER_READ_ROLES, LEDGER_WRITE_ROLES, LEDGER_WRITE_SCOPE } from 'src/modules/ledger/ledger.constants';
import { EntryPage, EntryView, ListEntriesQuery, PostEntryDto, ReverseEntryDto } from 'src/modules/ledger/ledger.dto';

const KEY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: "The entry's idempotency key: the same key and body return the original entry (200); another body is 409.",
};

/** Answers 201 for a new entry, 200 for the original entry of a replay. */
function answer(reply: FastifyReply, posted: Posted): EntryView {
  if (posted.replayed) void reply.status(200).header('idempotent-replayed', 'true');
  else void reply.status(201);
  void reply.header('location', `/api/v1/ledger/entries/${posted.entry.id}`);
  return posted.entry;
}

/** The journal: double-entry, integer øre, immutable (a correction is a reversal). */
@ApiTags('ledger')
@Controller('api/v1/ledger/entries')
export class EntriesController {
  constructor(private readonly journal: JournalService) {}

  /**
   * Posts an entry: two or more postings (signed øre, never 0) summing to zero, into open periods of every
   * owner they touch (else 409 periodClosed).
   */
  @Post()
  @Policy({ roles: LEDGER_WRITE_ROLES, apiKeyScope: LEDGER_WRITE_SCOPE })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: EntryView, description: 'A replay: the original entry' })
  @ApiConflictResponse({ description: 'The key was used for another entry, or a period is closed (periodClosed)' })
  async post(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: PostEntryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryView> {
    return answer(reply, await this.journal.post(principal, requireIdempotencyKey(key), dto));
  }

  /** A reversing entry (every posting negated, kind reversal); an entry is reversed once (409). */
  @Post(':id/reversal')
  @Policy({ roles: LEDGER_WRITE_ROLES, apiKeyScope: LEDGER_WRITE_SCOPE })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: EntryView, description: 'A replay: the original reversal' })
  async reverse(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: ReverseEntryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryView> {
    return answer(reply, await this.journal.reverse(principal, id, requireIdempotencyKey(key), dto));
  }

  /** Entries, newest first; an institution manager sees those touching their institution's accounts. */
  @Get()
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListEntriesQuery): Promise<EntryPage> {
    return this.journal.list(principal, q);
  }

  @Get(':id')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<EntryView> {
    return this.journal.get(principal, id);
  }
}
