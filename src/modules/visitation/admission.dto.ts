import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { ADMISSION_STATUSES, AdmissionStatus } from 'src/modules/visitation/visitation.constants';

/** Optagelser af selvmødere (§ 109/§ 110), oldest admission first. */
export class ListAdmissionsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ADMISSION_STATUSES,
    default: 'unconfirmed',
    description: 'unconfirmed = ikke bekræftet (the authority’s work list, the default), confirmed = bekræftet',
  })
  @IsOptional()
  @IsIn(ADMISSION_STATUSES)
  status?: AdmissionStatus;

  @ApiPropertyOptional({ description: 'The institution (boform, tilbud). Institution staff always see their own institution only.' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ description: 'The self-referral quality standard, e.g. SEL-109 (kvindekrisecenter) or SEL-110 (forsorgshjem)', example: 'SEL-110' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[A-Za-z0-9-]+$/, { message: 'standardCode is a quality-standard code such as SEL-110' })
  standardCode?: string;
}
