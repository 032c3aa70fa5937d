import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConflictResponse, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { CSV_BODY } from 'src/platform/http/create-http-app';
import { LEDGER_READ_ROLES, LEDGER_WRITE_ROLES, LEDGER_WRITE_SCOPE } from 'src/modules/ledger/ledger.constants';
import { CSV_COLUMNS } from 'src/modules/ledger/expense-csv';
import { CreateExpenseBatchDto, ExpenseBatchView, ExpenseLinePage, ListExpensesQuery } from 'src/modules/ledger/expense.dto';
import { BookedBatch, ExpenseService } from 'src/modules/ledger/expense.service';

const BATCH_KEY = ApiHeader({
  name: 'Idempotency-Key',
  required: true,
  description: 'The batch key (8-200 of A-Z a-z 0-9 . _ : -). The same key with the same lines returns the original batch (200); with other lines it is 409.',
});

/**
 * Udgifter from the municipality's finance system: each line one journal entry (debit the institution's
 * expense account for the category, credit its payable account), dated the month's last day. All or nothing.
 */
@ApiTags('ledger expenses')
@Controller('api/v1/ledger')
export class ExpensesController {
  constructor(private readonly expenses: ExpenseService) {}

  @Post('expenses')
  @Policy({ roles: LEDGER_WRITE_ROLES, apiKeyScope: LEDGER_WRITE_SCOPE })
  @BATCH_KEY
  @ApiOperation({
    summary: 'Book a batch of expenses',
    description:
      'Every line is checked first: one bad line refuses the batch (422, one error per bad line at /lines/{i}/<field>) and nothing is written. ' +
      'An externalRef booked before in another batch is 409 (per-line idempotency); a line in a closed period is 409 periodClosed.',
  })
  @ApiCreatedResponse({ type: ExpenseBatchView, description: 'Booked' })
  @ApiOkResponse({ type: ExpenseBatchView, description: 'The same key and lines were booked before: the original batch' })
  @ApiConflictResponse({ description: 'The key was used with other lines, an externalRef was booked before, or a period is closed' })
  @ApiUnprocessableEntityResponse({ description: 'Bad lines, each listed' })
  async book(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: CreateExpenseBatchDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExpenseBatchView> {
    return answer(reply, await this.expenses.bookLines(principal, key, dto.lines));
  }

  @Post('expenses/import')
  @RouteConfig(CSV_BODY)
  @Policy({ roles: LEDGER_WRITE_ROLES, apiKeyScope: LEDGER_WRITE_SCOPE })
  @BATCH_KEY
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', example: `${Object.keys(CSV_COLUMNS).join(';')}\n0b5e…;2026-03;food;1234556;FIN-2026-000123;Grossist marts\n` },
    description:
      'A CSV file as the request body (Content-Type: text/csv, UTF-8, BOM allowed): a header line, then one expense per line; `;` separates fields ' +
      '(`,` when the header has no `;`). Columns in any order: institution_id (UUID), month (YYYY-MM), category, amount_oere (signed whole øre: ' +
      '1234556 is 12.345,56 kr.), external_ref, description (optional).',
  })
  @ApiOperation({
    summary: 'Import expenses from a CSV file',
    description:
      'Booked like a JSON batch (same Idempotency-Key rules). The whole file is checked first: if any line is bad the file is refused (422) with one ' +
      'error per bad line, its pointer #row=<line in the file, the header being line 1> and the reason; nothing of a refused file is booked.',
  })
  @ApiCreatedResponse({ type: ExpenseBatchView })
  @ApiOkResponse({ type: ExpenseBatchView, description: 'The same key and lines were booked before: the original batch' })
  @ApiUnprocessableEntityResponse({ description: 'Bad lines, each listed with its line number' })
  async importCsv(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExpenseBatchView> {
    if (typeof req.body !== 'string') throw new DomainError('unsupportedMediaType', 'send the file as text/csv');
    return answer(reply, await this.expenses.bookCsv(principal, key, req.body));
  }

  @Get('expenses')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: LEDGER_WRITE_SCOPE })
  @ApiOperation({ summary: 'Expense lines with their journal entries', description: 'By institution, month and/or batch; ordered by month and externalRef. An institution manager sees their own institution.' })
  @ApiOkResponse({ type: ExpenseLinePage })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListExpensesQuery): Promise<ExpenseLinePage> {
    return this.expenses.list(principal, q);
  }

  @Get('expense-batches/:id')
  @Policy({ roles: LEDGER_WRITE_ROLES, apiKeyScope: LEDGER_WRITE_SCOPE })
  @ApiOkResponse({ type: ExpenseBatchView })
  batch(@Param('id', new ParseUUIDPipe()) id: string): Promise<ExpenseBatchView> {
    return this.expenses.getBatch(id);
  }
}

function answer(reply: FastifyReply, booked: BookedBatch): ExpenseBatchView {
  void reply.status(booked.replayed ? 200 : 201).header('location', `/api/v1/ledger/expense-batches/${booked.batch.id}`);
  if (booked.replayed) void reply.header('idempotent-replayed', 'true');
  return booked.batch;
}
