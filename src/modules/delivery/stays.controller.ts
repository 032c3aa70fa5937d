import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { DELIVERY_ROLES, MANAGER_ROLES } from 'src/modules/delivery/delivery.constants';
import {
  AbsenceDto,
  AdmissionsQuery,
  AdmitDto,
  DischargeDto,
  MunicipalityNoticeDto,
  OccupancyQuery,
  OccupancyView,
  SelfReferralAdmissionView,
  StaysQuery,
  StayView,
} from 'src/modules/delivery/delivery.dto';
import { OccupancyService } from 'src/modules/delivery/occupancy.service';
import { StayService } from 'src/modules/delivery/stay.service';

/**
 * Ophold in place-based institutions: the stays on a day, absences, discharges, the leader's admissions of
 * selvmødere (§ 109/§ 110) and occupancy (belægning). Institution staff: own institution only (else 404).
 */
@ApiTags('stays and admissions')
@ApiPurposeHeader()
@Controller('api/v1')
export class StaysController {
  constructor(
    private readonly stays: StayService,
    private readonly occupancyService: OccupancyService,
  ) {}

  @Get('institutions/:id/stays')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  list(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: StaysQuery): Promise<StayView[]> {
    return this.stays.list(principal, purpose, id, q.at);
  }

  @Get('stays/:id')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  get(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string): Promise<StayView> {
    return this.stays.get(principal, purpose, id);
  }

  /**
   * Udskrivning (recorded once): the day the citizen left and where to. Ends the order's delivery (ended on the
   * last night) or records the admission's discharge, and offers the freed place to the first on the waiting list.
   */
  @Post('stays/:id/discharge')
  @HttpCode(200)
  @Policy({ roles: MANAGER_ROLES })
  @Idempotent()
  discharge(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: DischargeDto): Promise<StayView> {
    return this.stays.discharge(principal, purpose, id, dto);
  }

  @Post('stays/:id/absences')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  absence(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AbsenceDto): Promise<StayView> {
    return this.stays.addAbsence(principal, purpose, id, dto);
  }

  /**
   * The notice to another acting municipality (handlekommune) of a self-referral admission was sent (Digital
   * Post, phone …): recorded once. For the own municipality the system's own list is the notice.
   */
  @Post('stays/:id/municipality-notice')
  @HttpCode(200)
  @Policy({ roles: MANAGER_ROLES })
  @Idempotent()
  municipalityNotice(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: MunicipalityNoticeDto,
  ): Promise<StayView> {
    return this.stays.recordMunicipalityNotice(principal, purpose, id, dto.sentAt);
  }

  /**
   * Optagelse af en selvmøder by the boform's leader: the citizen by id, or registered now (CPR and name; a known
   * CPR is that citizen), or anonymous where the standard allows; the stay within capacity (409 when full); the
   * notice to the acting municipality at once. Send an Idempotency-Key: a retry returns the first answer.
   */
  @Post('institutions/:id/admissions')
  @Policy({ roles: MANAGER_ROLES })
  @Idempotent()
  admit(@CurrentPrincipal() principal: Principal, @AccessPurpose() purpose: Purpose, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AdmitDto): Promise<SelfReferralAdmissionView> {
    return this.stays.admit(principal, purpose, id, dto);
  }

  /** The institution's self-referral admissions with the § 110 notice state; `flag=noticeOverdue` keeps the late ones. */
  @Get('institutions/:id/admissions')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  admissions(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: AdmissionsQuery,
  ): Promise<SelfReferralAdmissionView[]> {
    return this.stays.listAdmissions(principal, purpose, id, q.flag);
  }

  /** Belægning per day and per month from `from` to `to` (at most 366 days). */
  @Get('institutions/:id/occupancy')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES, 'finance'] })
  occupancy(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: OccupancyQuery): Promise<OccupancyView> {
    return this.occupancyService.occupancy(principal, id, q);
  }
}
