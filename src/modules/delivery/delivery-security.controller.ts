import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { DELIVERY_ROLES, DELIVERY_SECURITY_ROLES } from 'src/modules/delivery/delivery.constants';
import { DeliverySecurityQuery, GrantMonthDeliveryView, InstitutionDeliverySecurityView } from 'src/modules/delivery/delivery-security.dto';
import { DeliverySecurityService } from 'src/modules/delivery/delivery-security.service';

/** Leverancesikkerhed: granted vs delivered units per grant and month, and the institution's under-delivered grants. */
@ApiTags('delivery security')
@ApiPurposeHeader()
@Controller('api/v1')
export class DeliverySecurityController {
  constructor(private readonly security: DeliverySecurityService) {}

  /**
   * Every hour- and day-based grant of the institution with an accepted order, active in the month: granted units
   * (pro rata over the days active), delivered units, the rate, and those below `threshold` percent (default 90).
   * Institution staff: their own institution only. Finance: the figures without the citizens.
   */
  @Get('institutions/:id/delivery-security')
  @Policy({ roles: DELIVERY_SECURITY_ROLES })
  forInstitution(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: DeliverySecurityQuery,
  ): Promise<InstitutionDeliverySecurityView> {
    return this.security.forInstitution(principal, purpose, id, q);
  }

  /** One grant's month (hour- or day-based grants): for the caseworker and the grant's institution. */
  @Get('grants/:id/delivery')
  @Policy({ roles: [...VISITATION_ROLES, ...DELIVERY_ROLES] })
  forGrant(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: DeliverySecurityQuery,
  ): Promise<GrantMonthDeliveryView> {
    return this.security.forGrant(principal, purpose, id, q);
  }
}
