import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { LEDGER_READ_ROLES } from 'src/modules/ledger/ledger.constants';
import { ExportQuery, PostingExport, TrialBalanceExport } from 'src/modules/ledger/export.dto';
import { ExportService, LEDGER_EXPORT_SCOPE, POSTING_COLUMNS, TRIAL_BALANCE_COLUMNS } from 'src/modules/ledger/export.service';

const CSV_DIALECT =
  'format=csv: text/csv; charset=utf-8 with a BOM, `;` between fields, CRLF, a header line, amounts both in øre (integers) and in kroner with a ' +
  'decimal comma ("-1234,56"); text starting with = + - @ is prefixed with an apostrophe (CSV injection). ' +
  'Finance (or an API key with the scope ledger:read) exports any owner; an institution manager only their own institution (another owner is 404).';

const csvOrJson = (model: object, columns: readonly string[]) => ({
  description: 'JSON, or CSV with format=csv',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(model as never) } },
    'text/csv': { schema: { type: 'string', example: `${columns.join(';')}\r\n` } },
  },
});

/** Exports of the ledger for the municipality's ERP. */
@ApiTags('ledger exports')
@Controller('api/v1/ledger/exports')
export class ExportsController {
  constructor(private readonly exports: ExportService) {}

  @Get('postings')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: LEDGER_EXPORT_SCOPE })
  @ApiOperation({
    summary: "A month's postings, with account function, art and owner",
    description: `Every posting of the entries of the period (optionally only those on one owner's accounts), in date and entry order. ${CSV_DIALECT}`,
  })
  @ApiExtraModels(PostingExport)
  @ApiOkResponse(csvOrJson(PostingExport, POSTING_COLUMNS))
  async postings(
    @CurrentPrincipal() principal: Principal,
    @Query() q: ExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostingExport | StreamableFile> {
    const data = await this.exports.postings(principal, q);
    if (q.format !== 'csv') return data;
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="posteringer-${q.period}.csv"`);
    return new StreamableFile(this.exports.postingsCsv(data));
  }

  @Get('trial-balance')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: LEDGER_EXPORT_SCOPE })
  @ApiOperation({
    summary: "A month's trial balance (saldobalance) per account",
    description:
      'Per account with a balance or a posting up to the end of the period: opening (all postings before the month), debit and credit of the month ' +
      '(credit as a positive amount), closing = opening + debit − credit; over all accounts opening and closing sum to 0 and debit equals credit. ' +
      CSV_DIALECT,
  })
  @ApiExtraModels(TrialBalanceExport)
  @ApiOkResponse(csvOrJson(TrialBalanceExport, TRIAL_BALANCE_COLUMNS))
  async trialBalance(
    @CurrentPrincipal() principal: Principal,
    @Query() q: ExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TrialBalanceExport | StreamableFile> {
    const data = await this.exports.trialBalance(principal, q);
    if (q.format !== 'csv') return data;
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="saldobalance-${q.period}.csv"`);
    return new StreamableFile(this.exports.trialBalanceCsv(data));
  }
}
