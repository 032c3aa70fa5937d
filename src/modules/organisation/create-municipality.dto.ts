import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateMunicipalityDto {
  /** Kommunekode, three digits, e.g. 791. */
  @Matches(/^[0-9]{3}$/, { message: 'code must be the three-digit kommunekode' })
  code: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** Only one municipality can be the installation's own. */
  @IsOptional()
  @IsBoolean()
  isOwn?: boolean;
}
