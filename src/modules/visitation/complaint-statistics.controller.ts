import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { COMPLAINT_STATISTICS_ROLES, ComplaintStatisticsService } from 'src/modules/visitation/complaint-statistics.service';
import { ComplaintStatisticsQuery, ComplaintStatisticsReport } from 'src/modules/visitation/complaint.dto';

const DEFINITION = [
  'Klagestatistik: aggregates only (no names, no CPR). The population is the complaints RECEIVED in [from, to] (both inclusive);',
  'for them, the re-assessment, forwarding and Ankestyrelsen outcome are counted as they are known NOW, whenever they happened.',
  'Per service (standardCode) and legal basis, and a `total` over all services:',
  'received; late (received after the klagefrist); changedByAuthority (re-assessed as changed, omgjort af kommunen);',
  'upheld (re-assessed as upheld, fastholdt, whether forwarded since or not); forwarded;',
  'affirmed (stadfæstet), changed (ændret/ophævet), remitted (hjemvist), dismissed (afvist/bortfaldet).',
  'reversalRate (omgørelsesprocent, Ankestyrelsen) = (changed + remitted) / (changed + remitted + affirmed) × 100,',
  'rounded half away from zero to one decimal; null when that denominator is 0. Dismissed complaints do not count.',
  'format=csv returns the same rows as text/csv (header line; the total line has standardCode "total"; an empty reversalRate is null).',
].join(' ');

@ApiTags('reports')
@Controller('api/v1/reports')
export class ComplaintStatisticsController {
  constructor(private readonly statistics: ComplaintStatisticsService) {}

  @Get('complaints')
  @Policy({ roles: COMPLAINT_STATISTICS_ROLES })
  @ApiOperation({ summary: 'Complaint statistics and reversal rate (omgørelsesprocent) per service', description: DEFINITION })
  @ApiExtraModels(ComplaintStatisticsReport)
  @ApiOkResponse({
    description: 'JSON, or text/csv with format=csv',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ComplaintStatisticsReport) } },
      'text/csv': {
        schema: { type: 'string', example: 'standardCode,legalBasis,received,late,changedByAuthority,upheld,forwarded,affirmed,changed,remitted,dismissed,reversalRate\n' },
      },
    },
  })
  async report(
    @CurrentPrincipal() principal: Principal,
    @Query() q: ComplaintStatisticsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintStatisticsReport | StreamableFile> {
    const report = await this.statistics.report(principal, q);
    if (q.format !== 'csv') return report;
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="klagestatistik-${q.from}-${q.to}.csv"`);
    return new StreamableFile(this.statistics.csv(report));
  }
}
