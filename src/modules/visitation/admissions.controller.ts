import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { ListAdmissionsQuery } from 'src/modules/visitation/admission.dto';
import { AdmissionService } from 'src/modules/visitation/admission.service';
import { DECIDING_ROLES, INSTITUTION_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { AdmissionPage, AdmissionView } from 'src/modules/visitation/visitation.dto';

/**
 * Optagelser af selvmødere (§ 109 kvindekrisecenter, § 110 forsorgshjem): the boform's leader admits without a
 * prior decision (recorded by the delivery context through AdmissionService); the authority confirms each
 * admission as a grant. Institution staff read their own institution's admissions only.
 */
@ApiTags('admissions')
@ApiPurposeHeader()
@Controller('api/v1/admissions')
export class AdmissionsController {
  constructor(private readonly admissions: AdmissionService) {}

  /**
   * Admissions, oldest first; by default the unconfirmed ones (the authority's work list, with the § 110 notice
   * deadline). Institution staff get their own institution's (another institutionId is 404).
   */
  @Get()
  @Policy({ roles: [...VISITATION_ROLES, ...INSTITUTION_ROLES] })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: ListAdmissionsQuery): Promise<AdmissionPage> {
    return this.admissions.list(principal, purpose, q);
  }

  @Get(':id')
  @Policy({ roles: [...VISITATION_ROLES, ...INSTITUTION_ROLES] })
  get(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<AdmissionView> {
    return this.admissions.get(principal, purpose, id);
  }

  /**
   * Bekræft optagelsen: makes the grant (bevilling) from the admission day and its order, accepted from the start.
   * 409 when confirmed already, or when the citizen has an overlapping grant of the same service.
   */
  @Post(':id/confirm')
  @HttpCode(200)
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  confirm(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<AdmissionView> {
    return this.admissions.confirm(principal, purpose, id);
  }
}
