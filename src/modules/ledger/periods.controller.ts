import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { LEDGER_READ_ROLES, LEDGER_WRITE_ROLES } from 'src/modules/ledger/ledger.constants';
import { ListPeriodsQuery, PeriodView, ReopenPeriodDto } from 'src/modules/ledger/ledger.dto';
import { PeriodService } from 'src/modules/ledger/period.service';

function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    throw new DomainError('validationFailed', 'month must be YYYY-MM', [{ pointer: '#path/month', reason: 'month must be YYYY-MM' }]);
  return value;
}

/**
 * Periods (months) per owner: an institution, the authority, or the own municipality for the whole area.
 * Finance closes; only an administrator reopens, with a reason.
 */
@ApiTags('ledger')
@Controller('api/v1/ledger/periods')
export class PeriodsController {
  constructor(private readonly periods: PeriodService) {}

  @Get()
  @Policy({ roles: [...LEDGER_READ_ROLES, 'admin'], apiKeyScope: 'ledger:read' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListPeriodsQuery): Promise<PeriodView[]> {
    return this.periods.list(principal, q);
  }

  /** Closes the month (409 if closed already): no posting lands in it until an administrator reopens it. */
  @Post(':ownerId/:month/close')
  @HttpCode(200)
  @Policy({ roles: LEDGER_WRITE_ROLES })
  close(@CurrentPrincipal() principal: Principal, @Param('ownerId', new ParseUUIDPipe()) ownerId: string, @Param('month') m: string): Promise<PeriodView> {
    return this.periods.close(principal, ownerId, month(m));
  }

  @Post(':ownerId/:month/reopen')
  @HttpCode(200)
  @Policy({ roles: ['admin'] })
  reopen(
    @CurrentPrincipal() principal: Principal,
    @Param('ownerId', new ParseUUIDPipe()) ownerId: string,
    @Param('month') m: string,
    @Body() dto: ReopenPeriodDto,
  ): Promise<PeriodView> {
    return this.periods.reopen(principal, ownerId, month(m), dto.reason);
  }
}
