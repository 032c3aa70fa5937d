import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { WorkListQuery, WorkListView } from 'src/modules/visitation/work-list.dto';
import { WorkListService } from 'src/modules/visitation/work-list.service';

@ApiTags('work list')
@ApiPurposeHeader()
@Controller('api/v1/work-list')
export class WorkListController {
  constructor(private readonly workList: WorkListService) {}

  /**
   * Arbejdsliste: my open cases, henvendelser near or past their sagsbehandlingsfrist, my drafts, my decisions
   * with the visitationsudvalg and those to notify; panel members also get the panel's queue.
   */
  @Get()
  @Policy({ roles: VISITATION_ROLES })
  get(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Query() q: WorkListQuery): Promise<WorkListView> {
    return this.workList.forCaseworker(principal, purpose, q);
  }
}
