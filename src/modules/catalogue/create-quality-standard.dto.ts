import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { VersionFieldsDto } from 'src/modules/catalogue/version-fields.dto';

export class CreateQualityStandardDto {
  /** Stable code: law, paragraph and an optional suffix, e.g. SEL-85, SEL-101a, ABL-105. */
  @Matches(/^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/, { message: 'code must look like SEL-85, SEL-101a or SEL-85-night' })
  code: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  /** The first version, created as a draft. */
  @IsOptional()
  @ValidateNested()
  @Type(() => VersionFieldsDto)
  draft?: VersionFieldsDto;
}
