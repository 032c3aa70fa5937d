import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { EffectiveRateQuery, EffectiveRateView, ListRatesQuery, RateView } from 'src/modules/catalogue/catalogue.dto';
import { CreateRateDto } from 'src/modules/catalogue/create-rate.dto';
import { RateService } from 'src/modules/catalogue/rate.service';
import { ROLES } from 'src/modules/organisation/organisation.constants';

/** Takster: prices per unit of a service, per institution or general, in øre. */
@ApiTags('catalogue')
@Controller('api/v1/rates')
export class RatesController {
  constructor(private readonly rates: RateService) {}

  @Get()
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  list(@Query() q: ListRatesQuery): Promise<RateView[]> {
    return this.rates.list(q);
  }

  /** The rate that applies: the institution's own on the date, else the standard's general rate. */
  @Get('effective')
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  effective(@Query() q: EffectiveRateQuery): Promise<EffectiveRateView> {
    return this.rates.effective(q.standard, q.institution ?? null, q.date);
  }

  @Get(':id')
  @Policy({ roles: ROLES, apiKeyScope: 'catalogue:read' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<RateView> {
    return this.rates.get(id);
  }

  /**
   * A new rate. An open-ended rate of the same standard and institution that started earlier ends the day
   * this one starts; any other overlap is 409 naming the rate it collides with.
   */
  @Post()
  @Policy({ roles: ['admin', 'finance'] })
  @Idempotent()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateRateDto): Promise<RateView> {
    return this.rates.create(principal, dto);
  }

  /** Delete a rate that has not taken effect; one in effect is 409. */
  @Delete(':id')
  @HttpCode(204)
  @Policy({ roles: ['admin', 'finance'] })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.rates.remove(id);
  }
}
