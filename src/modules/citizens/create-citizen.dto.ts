import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsCpr } from 'src/modules/citizens/cpr.validator';

const SERVICE_CODE = /^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/;

export class CitizenAddressDto {
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

/** The fields a citizen's record shares between creation and change. */
export class CitizenContactDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => CitizenAddressDto)
  address?: CitizenAddressDto;

  @IsOptional()
  @Matches(/^\+?[0-9 ]{8,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  /** Handlekommune; defaults to the own municipality. */
  @IsOptional()
  @IsUUID()
  actingMunicipalityId?: string;

  /** Betalingskommune; defaults to the acting municipality. */
  @IsOptional()
  @IsUUID()
  payingMunicipalityId?: string;
}

export class CreateCitizenDto extends CitizenContactDto {
  /** CPR-nummer, DDMMYY-SSSS or DDMMYYSSSS. Stored encrypted; answers show it masked. */
  @ApiProperty({ example: '010190-1234', description: 'CPR-nummer: 10 digits forming a real date (no modulus-11 check)' })
  @IsCpr()
  cpr: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

/** An anonymous client (e.g. anonymous drug treatment, SEL § 101 a): a pseudonym instead of a CPR number. */
export class CreateAnonymousClientDto {
  /** The service the client comes for; its standard in force must allow anonymous clients. */
  @ApiProperty({ example: 'SEL-101a' })
  @Matches(SERVICE_CODE, { message: 'serviceCode must be a quality-standard code' })
  serviceCode: string;

  /** What the client wants to be called, if anything (never a real name). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  alias?: string;

  @IsOptional()
  @IsUUID()
  actingMunicipalityId?: string;

  @IsOptional()
  @IsUUID()
  payingMunicipalityId?: string;
}

/** Changes to a citizen; omitted fields stay. The CPR number is never changed (a new number is a new record). */
export class UpdateCitizenDto extends CitizenContactDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}
