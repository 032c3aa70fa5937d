import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from 'src/modules/organisation/organisation.constants';

export class CreateUserDto {
  /** 3-100 characters: letters, digits and . _ @ - */
  @Matches(/^[A-Za-z0-9._@-]{3,100}$/, { message: 'username must be 3-100 letters, digits or . _ @ -' })
  username: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @IsIn(ROLES)
  role: Role;

  /** The unit the user works in: the authority for caseworkers, an institution for its staff. */
  @IsUUID()
  orgUnitId: string;

  /** For log-in with the built-in issuer; at least 12 characters. Omit for users of the OIDC broker. */
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;

  /** The identity broker's subject (OIDC `sub`). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalSubject?: string;
}
