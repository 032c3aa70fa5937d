import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { AccessPurpose, ApiPurposeHeader } from 'src/modules/citizens/purpose.decorator';
import { VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { DELIVERY_ROLES } from 'src/modules/delivery/delivery.constants';
import {
  AttendanceView,
  CreateAttendanceDto,
  CreateSessionDto,
  CreateTreatmentCourseDto,
  InstitutionSessionsQuery,
  RegistrationPeriodQuery,
  SessionPage,
  SessionView,
  TreatmentCourseView,
} from 'src/modules/delivery/registration.dto';
import { RegistrationService } from 'src/modules/delivery/registration.service';

/**
 * Levering: what the institution delivered on an order. Registrations are never edited: a correction is a new
 * registration with `correctsId`. Every POST takes an Idempotency-Key (mobile clients retry). Institution staff
 * register on their own institution's orders only (another institution's order is 404); the authority reads.
 */
@ApiTags('delivery registrations')
@ApiPurposeHeader()
@Controller('api/v1')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationService) {}

  /** A session of hour-based support (hours per week or month): minutes 1–1440, the status, optionally correcting an earlier one. */
  @Post('orders/:id/sessions')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  createSession(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateSessionDto,
  ): Promise<SessionView> {
    return this.registrations.createSession(principal, purpose, id, dto);
  }

  @Get('orders/:id/sessions')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  @ApiOkResponse({ type: [SessionView] })
  sessions(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RegistrationPeriodQuery,
  ): Promise<SessionView[]> {
    return this.registrations.listForOrder(principal, purpose, 'session', id, q) as Promise<SessionView[]>;
  }

  /** Fremmøde in a day service (days per week). */
  @Post('orders/:id/attendance')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  createAttendance(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateAttendanceDto,
  ): Promise<AttendanceView> {
    return this.registrations.createAttendance(principal, purpose, id, dto);
  }

  @Get('orders/:id/attendance')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  @ApiOkResponse({ type: [AttendanceView] })
  attendance(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RegistrationPeriodQuery,
  ): Promise<AttendanceView[]> {
    return this.registrations.listForOrder(principal, purpose, 'attendance', id, q) as Promise<AttendanceView[]>;
  }

  /** A treatment course (SEL § 101, § 101 a, SUL § 141): its start; its end with the outcome once it ends (as a correction). */
  @Post('orders/:id/treatment-courses')
  @Policy({ roles: DELIVERY_ROLES })
  @Idempotent()
  createTreatmentCourse(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateTreatmentCourseDto,
  ): Promise<TreatmentCourseView> {
    return this.registrations.createTreatmentCourse(principal, purpose, id, dto);
  }

  @Get('orders/:id/treatment-courses')
  @Policy({ roles: [...DELIVERY_ROLES, ...VISITATION_ROLES] })
  @ApiOkResponse({ type: [TreatmentCourseView] })
  treatmentCourses(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RegistrationPeriodQuery,
  ): Promise<TreatmentCourseView[]> {
    return this.registrations.listForOrder(principal, purpose, 'treatmentCourse', id, q) as Promise<TreatmentCourseView[]>;
  }

  /** The institution's sessions in a period, by day (tilbudslederens overblik). Another institution's: 404. */
  @Get('institutions/:id/sessions')
  @Policy({ roles: DELIVERY_ROLES })
  institutionSessions(
    @CurrentPrincipal() principal: Principal,
    @AccessPurpose() purpose: Purpose,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: InstitutionSessionsQuery,
  ): Promise<SessionPage> {
    return this.registrations.listForInstitution(principal, purpose, id, q);
  }
}
