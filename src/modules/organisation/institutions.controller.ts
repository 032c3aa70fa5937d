import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Policy } from 'src/platform/auth/policy.decorator';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CreateInstitutionDto } from 'src/modules/organisation/create-org-unit.dto';
import { ROLES } from 'src/modules/organisation/organisation.constants';
import { ListInstitutionsQuery, OrgUnitPage, OrgUnitView } from 'src/modules/organisation/organisation.dto';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { UpdateOrgUnitDto } from 'src/modules/organisation/update-org-unit.dto';

/** Tilbud: own institutions in the operating areas, and other municipalities' institutions (external). */
@ApiTags('organisation')
@Controller('api/v1/institutions')
export class InstitutionsController {
  constructor(private readonly units: OrgUnitService) {}

  /** The institution directory, filterable; every role can read it (caseworkers order from it). */
  @Get()
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  list(@Query() q: ListInstitutionsQuery): Promise<OrgUnitPage> {
    return this.units.listInstitutions(q);
  }

  @Get(':id')
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrgUnitView> {
    const unit = await this.units.getUnit(id, 'institution');
    setEtag(reply, unit.version);
    return unit;
  }

  @Post()
  @Policy({ roles: ['admin'] })
  @Idempotent()
  create(@Body() dto: CreateInstitutionDto): Promise<OrgUnitView> {
    return this.units.createInstitution(dto);
  }

  /** Change name, operating area, capacity, address or contact; send If-Match. */
  @Patch(':id')
  @Policy({ roles: ['admin'] })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateOrgUnitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrgUnitView> {
    const unit = await this.units.updateUnit(id, 'institution', requireIfMatch(ifMatch), dto);
    setEtag(reply, unit.version);
    return unit;
  }

  /** Only an institution without users or API keys can be deleted. */
  @Delete(':id')
  @HttpCode(204)
  @Policy({ roles: ['admin'] })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.units.deleteUnit(id, 'institution');
  }
}
