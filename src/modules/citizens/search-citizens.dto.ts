import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsCpr } from 'src/modules/citizens/cpr.validator';
import { PURPOSES, Purpose } from 'src/modules/citizens/citizens.constants';
import { PageQuery } from 'src/platform/http/pagination';

/**
 * Søgning: by exact CPR number or by part of the name, exactly one. In the body, so that a CPR number never
 * appears in a URL (proxy and server logs keep URLs).
 */
export class SearchCitizensDto extends PageQuery {
  @ApiPropertyOptional({ example: '010190-1234' })
  @IsOptional()
  @IsCpr()
  cpr?: string;

  /** Part of the name (case-insensitive), at least 2 characters. */
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  /** Why you search (written to the access log); overrides X-Purpose. */
  @ApiPropertyOptional({ enum: PURPOSES })
  @IsOptional()
  @IsIn(PURPOSES)
  purpose?: Purpose;
}
