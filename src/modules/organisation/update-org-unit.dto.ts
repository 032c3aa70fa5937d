import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { AddressDto } from 'src/modules/organisation/create-org-unit.dto';

/** Changes to an operating area or institution; omitted fields stay as they are. */
export class UpdateOrgUnitDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(150)
  name?: string;

  /** Move an own institution to another operating area. */
  @IsOptional()
  @IsUUID()
  operatingAreaId?: string;

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
