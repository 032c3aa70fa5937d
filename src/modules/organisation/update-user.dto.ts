import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from 'src/modules/organisation/organisation.constants';

export class UpdateUserDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  /** false deactivates the account (users are never deleted: the logs refer to them). */
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalSubject?: string;
}

export class SetPasswordDto {
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password: string;
}

export class ChangeOwnPasswordDto {
  @IsString()
  @MaxLength(200)
  currentPassword: string;

  @IsString()
  @MinLength(12)
  @MaxLength(200)
  newPassword: string;
}

export class UnlockUserDto {
  /** Why the account is unlocked: the cause of the failed log-ins, as established (e.g. "forgot password, identity checked by phone"). */
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}
