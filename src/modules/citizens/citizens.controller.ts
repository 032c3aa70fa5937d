import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CaseService } from 'src/modules/citizens/case.service';
import { CreateInquiryDto } from 'src/modules/citizens/case.dto';
import { CASE_ROLES, CITIZEN_READ_ROLES, Purpose } from 'src/modules/citizens/citizens.constants';
import { CaseView, CitizenPage, CitizenView, CreatedInquiryView, GetCitizenQuery, ListCitizensQuery } from 'src/modules/citizens/citizens.dto';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { CreateAnonymousClientDto, CreateCitizenDto, UpdateCitizenDto } from 'src/modules/citizens/create-citizen.dto';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { SearchCitizensDto } from 'src/modules/citizens/search-citizens.dto';

/**
 * Borgere. Every read, search and change is written to the access log (adgangslog) with its purpose.
 * CPR numbers are masked (DDMMYY-xxxx) unless a caseworker, panel member or administrator asks for
 * `?reveal=cpr`; they are never taken in a URL: search with `POST /citizens/search`.
 * Finance and auditors get 403; institution staff see only citizens with an active order at their institution.
 */
@ApiTags('citizens')
@ApiPurposeHeader()
@Controller('api/v1/citizens')
export class CitizensController {
  constructor(
    private readonly citizens: CitizenService,
    private readonly cases: CaseService,
  ) {}

  @Post()
  @Policy({ roles: CASE_ROLES })
  @Idempotent()
  create(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Body() dto: CreateCitizenDto): Promise<CitizenView> {
    return this.citizens.create(principal, purpose, dto);
  }

  /** An anonymous client (anonym klient) with a pseudonym, for a service that allows it (e.g. SEL § 101 a). */
  @Post('anonymous')
  @Policy({ roles: CASE_ROLES })
  @Idempotent()
  createAnonymous(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Body() dto: CreateAnonymousClientDto): Promise<CitizenView> {
    return this.citizens.createAnonymous(principal, purpose, dto);
  }

  /** Search by exact CPR number or part of the name (exactly one); logged with its criteria (CPR as a keyed hash). */
  @Post('search')
  @HttpCode(200)
  @Policy({ roles: CASE_ROLES })
  search(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Body() dto: SearchCitizensDto): Promise<CitizenPage> {
    return this.citizens.search(principal, purpose, dto);
  }

  @Get()
  @Policy({ roles: CASE_ROLES })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: ListCitizensQuery): Promise<CitizenPage> {
    return this.citizens.list(principal, purpose, q);
  }

  @Get(':id')
  @Policy({ roles: CITIZEN_READ_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: GetCitizenQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CitizenView> {
    const c = await this.citizens.get(principal, purpose, id, q.reveal === 'cpr');
    setEtag(reply, c.version);
    if (c.cprRevealed) void reply.header('cache-control', 'no-store');
    return c;
  }

  /** Name, address, contact, acting and paying municipality; send If-Match. */
  @Patch(':id')
  @Policy({ roles: CASE_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateCitizenDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CitizenView> {
    const c = await this.citizens.update(principal, purpose, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, c.version);
    return c;
  }

  /**
   * A henvendelse: opens a case, or joins the citizen's open case. The casework deadline is the inquiry date
   * plus the casework deadline of the standard version in force that day.
   */
  @Post(':id/inquiries')
  @Policy({ roles: CASE_ROLES })
  @Idempotent()
  createInquiry(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateInquiryDto,
  ): Promise<CreatedInquiryView> {
    return this.cases.createInquiry(principal, purpose, id, dto);
  }

  /** The citizen's cases (sager), newest first, with their inquiries. */
  @Get(':id/cases')
  @Policy({ roles: CASE_ROLES })
  listCases(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<CaseView[]> {
    return this.cases.listForCitizen(principal, purpose, id);
  }
}
