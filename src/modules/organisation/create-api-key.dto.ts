import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { API_KEY_SCOPES, ApiKeyScope } from 'src/modules/organisation/api-key-scopes';
import { ROLES, Role } from 'src/modules/organisation/organisation.constants';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "ERP export (Prisme)". */
  @IsString()
  @MinLength(1)
  @MaxLength(150)
  name: string;

  /** The role the service account acts with (not admin). */
  @IsIn(ROLES.filter((r) => r !== 'admin'))
  role: Role;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes: ApiKeyScope[];

  /** The unit the key acts for (the authority for finance systems). */
  @IsUUID()
  orgUnitId: string;

  /** When the key stops working; ISO 8601. */
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class ApiKeyView {
  id: string;
  name: string;
  /** The public part of the key (bumk_<prefix>_...). */
  prefix: string;
  @ApiProperty({ enum: ROLES })
  role: Role;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes: string[];
  orgUnitId: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  /** The whole key. Shown only once: store it in the calling system's secret store. */
  key: string;
}
