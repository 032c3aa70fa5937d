import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Policy } from 'src/platform/auth/policy.decorator';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CreateOperatingAreaDto } from 'src/modules/organisation/create-org-unit.dto';
import { ROLES } from 'src/modules/organisation/organisation.constants';
import { OrgUnitView } from 'src/modules/organisation/organisation.dto';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { UpdateOrgUnitDto } from 'src/modules/organisation/update-org-unit.dto';

/** Driftsområder (handicap, psykiatri, udsatte) and the authority (myndighed). */
@ApiTags('organisation')
@Controller('api/v1')
export class OperatingAreasController {
  constructor(private readonly units: OrgUnitService) {}

  /** The authority (Socialafdelingen, myndighed) of the own municipality. */
  @Get('authority')
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  authority(): Promise<OrgUnitView> {
    return this.units.authority();
  }

  @Get('operating-areas')
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  list(): Promise<OrgUnitView[]> {
    return this.units.listOperatingAreas();
  }

  @Get('operating-areas/:id')
  @Policy({ roles: ROLES, apiKeyScope: 'organisation:read' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrgUnitView> {
    const unit = await this.units.getUnit(id, 'operatingArea');
    setEtag(reply, unit.version);
    return unit;
  }

  @Post('operating-areas')
  @Policy({ roles: ['admin'] })
  @Idempotent()
  create(@Body() dto: CreateOperatingAreaDto): Promise<OrgUnitView> {
    return this.units.createOperatingArea(dto);
  }

  /** Rename; send If-Match. */
  @Patch('operating-areas/:id')
  @Policy({ roles: ['admin'] })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateOrgUnitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrgUnitView> {
    const unit = await this.units.updateUnit(id, 'operatingArea', requireIfMatch(ifMatch), dto);
    setEtag(reply, unit.version);
    return unit;
  }

  /** Only an operating area without institutions or users can be deleted. */
  @Delete('operating-areas/:id')
  @HttpCode(204)
  @Policy({ roles: ['admin'] })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.units.deleteUnit(id, 'operatingArea');
  }
}
