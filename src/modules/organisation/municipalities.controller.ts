import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Policy } from 'src/platform/auth/policy.decorator';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CreateMunicipalityDto } from 'src/modules/organisation/create-municipality.dto';
import { ROLES } from 'src/modules/organisation/organisation.constants';
import { MunicipalityView } from 'src/modules/organisation/organisation.dto';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { UpdateMunicipalityDto } from 'src/modules/organisation/update-municipality.dto';

/** Kommuner: the own municipality and those that buy or sell places (handle- og betalingskommuner). */
@ApiTags('organisation')
@Controller('api/v1/municipalities')
export class MunicipalitiesController {
  constructor(private readonly units: OrgUnitService) {}

  @Get()
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  list(): Promise<MunicipalityView[]> {
    return this.units.listMunicipalities();
  }

  @Get(':id')
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<MunicipalityView> {
    const m = await this.units.getMunicipality(id);
    setEtag(reply, m.version);
    return m;
  }

  @Post()
  @Policy({ roles: ['admin'] })
  @Idempotent()
  create(@Body() dto: CreateMunicipalityDto): Promise<MunicipalityView> {
    return this.units.createMunicipality(dto);
  }

  /** Rename; send If-Match with the ETag you read. */
  @Patch(':id')
  @Policy({ roles: ['admin'] })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateMunicipalityDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MunicipalityView> {
    const m = await this.units.updateMunicipality(id, requireIfMatch(ifMatch), dto);
    setEtag(reply, m.version);
    return m;
  }
}
