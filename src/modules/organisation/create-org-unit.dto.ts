import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AREA_TYPES, AreaType, INSTITUTION_TYPES, InstitutionType } from 'src/modules/organisation/organisation.constants';

export class AddressDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  street?: string;

  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'postalCode must be a four-digit Danish postal code' })
  postalCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string;
}

export class CreateOperatingAreaDto {
  @IsString()
  @MinLength(1)
  @MaxLength(150)
  name: string;

  /** disability (handicap), psychiatry (psykiatri) or sociallyVulnerable (udsatte). */
  @IsIn(AREA_TYPES)
  areaType: AreaType;
}

export class CreateInstitutionDto {
  @IsString()
  @MinLength(1)
  @MaxLength(150)
  name: string;

  @IsIn(INSTITUTION_TYPES)
  institutionType: InstitutionType;

  /** The operating area (driftsområde) of an own institution. Omit for another municipality's institution. */
  @IsOptional()
  @IsUUID()
  operatingAreaId?: string;

  /** The municipality that runs it; defaults to the own municipality. Another one makes it external. */
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  /** Places (pladser); required for place-based types (housing, shelters, respite). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  capacity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @IsOptional()
  @Matches(/^\+?[0-9 ]{8,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;
}
