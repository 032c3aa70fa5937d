import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { CreateDeadlineNoticeDto, DeadlineNoticeService, DeadlineNoticeView } from 'src/modules/visitation/deadline-notice.service';
import { DECIDING_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';

/** Sagsbehandlingsfrister: the notice a citizen gets when their inquiry will not be decided in time. */
@ApiTags('cases')
@ApiPurposeHeader()
@Controller('api/v1/inquiries/:id/deadline-notices')
export class DeadlineNoticesController {
  constructor(private readonly notices: DeadlineNoticeService) {}

  /** Record the written notice (underretning) with the date the decision can now be expected. */
  @Post()
  @Policy({ roles: DECIDING_ROLES })
  @Idempotent()
  create(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateDeadlineNoticeDto,
  ): Promise<DeadlineNoticeView> {
    return this.notices.create(principal, purpose, id, dto);
  }

  @Get()
  @Policy({ roles: VISITATION_ROLES })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<DeadlineNoticeView[]> {
    return this.notices.list(principal, purpose, id);
  }
}
