import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy, Public } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { notFound } from 'src/platform/errors/domain-error';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { ApproveVersionDto, RetireVersionDto } from 'src/modules/catalogue/approve-version.dto';
import {
  DateQuery,
  DocumentQuery,
  ListQualityStandardsQuery,
  QualityStandardPage,
  QualityStandardView,
  VersionView,
} from 'src/modules/catalogue/catalogue.dto';
import { CreateQualityStandardDto } from 'src/modules/catalogue/create-quality-standard.dto';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { renderHtml, renderMarkdown } from 'src/modules/catalogue/standard-document';
import { UpdateVersionDto } from 'src/modules/catalogue/update-version.dto';
import { VersionFieldsDto } from 'src/modules/catalogue/version-fields.dto';
import { ROLES } from 'src/modules/organisation/organisation.constants';

const CODE = { name: 'code', description: 'Quality-standard code, e.g. SEL-85', example: 'SEL-85' };
const VERSION = { name: 'n', description: 'Version number', example: 1 };

/**
 * Kvalitetsstandarder: the versioned service catalogue every grant, order and settlement refers to.
 * Administrators write drafts and record the committee's approval; every role reads.
 */
@ApiTags('catalogue')
@Controller('api/v1/quality-standards')
export class QualityStandardsController {
  constructor(private readonly standards: QualityStandardService) {}

  @Get()
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  list(@Query() q: ListQualityStandardsQuery): Promise<QualityStandardPage> {
    return this.standards.list(q);
  }

  /** Create a standard, optionally with its first draft. */
  @Post()
  @Policy({ roles: ['admin'] })
  @Idempotent()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateQualityStandardDto): Promise<QualityStandardView> {
    return this.standards.create(principal, dto);
  }

  @Get(':code')
  @ApiParam(CODE)
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  get(@Param('code') code: string): Promise<QualityStandardView> {
    return this.standards.get(code);
  }

  /** The approved version in force on `date` (default today): the one a decision made that day cites. */
  @Get(':code/in-force')
  @ApiParam(CODE)
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  inForce(@Param('code') code: string, @Query() q: DateQuery): Promise<VersionView> {
    return this.standards.inForce(code, q.date);
  }

  /** A new draft version. */
  @Post(':code/versions')
  @ApiParam(CODE)
  @Policy({ roles: ['admin'] })
  @Idempotent()
  createDraft(@CurrentPrincipal() principal: Principal, @Param('code') code: string, @Body() dto: VersionFieldsDto): Promise<VersionView> {
    return this.standards.createDraft(principal, code, dto);
  }

  @Get(':code/versions/:n')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  async getVersion(@Param('code') code: string, @Param('n', ParseIntPipe) n: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<VersionView> {
    const v = await this.standards.getVersion(code, n);
    setEtag(reply, v.version);
    return v;
  }

  /** Change a draft; send If-Match. Approved versions answer 409. */
  @Patch(':code/versions/:n')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @Policy({ roles: ['admin'] })
  async update(
    @Param('code') code: string,
    @Param('n', ParseIntPipe) n: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateVersionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VersionView> {
    const v = await this.standards.updateDraft(code, n, requireIfMatch(ifMatch), dto);
    setEtag(reply, v.version);
    return v;
  }

  /** Delete a draft. Approved versions answer 409. */
  @Delete(':code/versions/:n')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @HttpCode(204)
  @Policy({ roles: ['admin'] })
  async remove(@Param('code') code: string, @Param('n', ParseIntPipe) n: number): Promise<void> {
    await this.standards.deleteDraft(code, n);
  }

  /** Copy a version into a new draft: the way to change an approved standard. */
  @Post(':code/versions/:n/copy')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @Policy({ roles: ['admin'] })
  copy(@CurrentPrincipal() principal: Principal, @Param('code') code: string, @Param('n', ParseIntPipe) n: number): Promise<VersionView> {
    return this.standards.copy(principal, code, n);
  }

  /** Record the political approval (committee, date, reference); the version takes effect on validFrom. */
  @Post(':code/versions/:n/approve')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @HttpCode(200)
  @Policy({ roles: ['admin'] })
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Param('n', ParseIntPipe) n: number,
    @Body() dto: ApproveVersionDto,
  ): Promise<VersionView> {
    return this.standards.approve(principal, code, n, dto);
  }

  /** End an approved version from a date (the service is discontinued). */
  @Post(':code/versions/:n/retire')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @HttpCode(200)
  @Policy({ roles: ['admin'] })
  retire(@Param('code') code: string, @Param('n', ParseIntPipe) n: number, @Body() dto: RetireVersionDto): Promise<VersionView> {
    return this.standards.retire(code, n, dto.retiredOn);
  }

  /**
   * The published document of an approved version, for the municipality's website: what the service is,
   * who it is for, the scope, how to complain. HTML (default) or Markdown; open to everyone.
   */
  @Get(':code/versions/:n/document')
  @ApiParam(CODE)
  @ApiParam(VERSION)
  @Public()
  @ApiProduces('text/html', 'text/markdown')
  @ApiOkResponse({ description: 'The document', content: { 'text/html': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } } } })
  async document(
    @Param('code') code: string,
    @Param('n', ParseIntPipe) n: number,
    @Query() q: DocumentQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const v = await this.standards.getVersion(code, n);
    if (v.status === 'draft') throw notFound(`a published version ${n} of ${code}`);
    if (q.format === 'markdown') {
      void reply.header('content-type', 'text/markdown; charset=utf-8');
      return renderMarkdown(v);
    }
    void reply.header('content-type', 'text/html; charset=utf-8');
    return renderHtml(v);
  }
}
