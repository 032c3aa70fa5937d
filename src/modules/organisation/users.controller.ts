import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { CreateUserDto } from 'src/modules/organisation/create-user.dto';
import { ListUsersQuery, UserPage, UserView } from 'src/modules/organisation/organisation.dto';
import { SetPasswordDto, UnlockUserDto, UpdateUserDto } from 'src/modules/organisation/update-user.dto';
import { UserService } from 'src/modules/organisation/user.service';

/**
 * Users (brugere). Administrators manage all; an institution manager (tilbudsleder) sees the users of their
 * own institution and manages its providerStaff. Another institution's user answers 404.
 */
@ApiTags('organisation')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get()
  @Policy({ roles: ['admin', 'institutionManager'] })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListUsersQuery): Promise<UserPage> {
    return this.users.list(principal, q);
  }

  @Get(':id')
  @Policy({ roles: ['admin', 'institutionManager'] })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const user = await this.users.get(principal, id);
    setEtag(reply, user.version);
    return user;
  }

  @Post()
  @Policy({ roles: ['admin', 'institutionManager'] })
  @Idempotent()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(principal, dto);
  }

  /** Change name, e-mail, role, unit or deactivate; send If-Match. */
  @Patch(':id')
  @Policy({ roles: ['admin', 'institutionManager'] })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateUserDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const user = await this.users.update(principal, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, user.version);
    return user;
  }

  /** Lift the lock after repeated failed log-ins, recording the cause. */
  @Post(':id/unlock')
  @HttpCode(200)
  @Policy({ roles: ['admin'] })
  unlock(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UnlockUserDto,
  ): Promise<UserView> {
    return this.users.unlock(principal, id, dto.reason);
  }

  /** Set a new password for a user (administrators; managers for their own staff). */
  @Post(':id/password')
  @HttpCode(204)
  @Policy({ roles: ['admin', 'institutionManager'] })
  async setPassword(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SetPasswordDto,
  ): Promise<void> {
    await this.users.setPassword(principal, id, dto.password);
  }
}
