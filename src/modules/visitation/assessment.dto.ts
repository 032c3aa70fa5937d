import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ASSESSMENT_SECTIONS,
  AssessmentSection,
  OBSERVATION_SOURCES,
  ObservationSource,
  SUPPORT_NEED_LEVELS,
  SupportNeedLevel,
} from 'src/modules/visitation/visitation.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const STANDARD_CODE = /^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/;

/** One theme or section of the udredning; it replaces what the assessment held for that section. */
export class AssessmentSectionDto {
  @ApiProperty({
    enum: ASSESSMENT_SECTIONS,
    description:
      'Aktivitet og deltagelse (scored 0–4): selfCare = Egenomsorg, practicalTasks = Praktiske opgaver, mobility = Mobilitet, ' +
      'communication = Kommunikation, relations = Relationer, communityLife = Samfundsliv. Funktioner og forhold (text only): ' +
      'mentalFunctions = Mentale funktioner, physicalFunctions = Fysiske funktioner, healthConditions = Sundhedsforhold, ' +
      'socialConditions = Sociale forhold. Omgivelsesfaktorer (text only): network = Personer i netværk, attitudes = Holdninger i ' +
      'omgivelserne, housingArea = Boligområde.',
  })
  @IsIn(ASSESSMENT_SECTIONS)
  section: AssessmentSection;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 4,
    nullable: true,
    description:
      'Funktionsevneniveau, activity themes only: 0 ingen, 1 let, 2 moderat, 3 svært, 4 fuldstændigt nedsat funktionsevne; ' +
      'null = ikke vurderet (not assessed). Required on an activity theme (a number or null); never on the other sections.',
  })
  @ValidateIf((o: AssessmentSectionDto) => o.level !== null && o.level !== undefined)
  @IsInt()
  @Min(0)
  @Max(4)
  level?: number | null;

  /** Beskrivelse: what was observed and assessed. Required on the function and environment sections. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string | null;

  @ApiPropertyOptional({
    enum: OBSERVATION_SOURCES,
    isArray: true,
    description: 'Kilde: borger, sagsbehandler, pårørende, udfører (tilbud), sundhedsfaglig, anden.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(OBSERVATION_SOURCES.length)
  @ArrayUnique()
  @IsIn(OBSERVATION_SOURCES, { each: true })
  sources?: ObservationSource[];
}

/** Støttebehov for one service asked for; it replaces what the assessment held for that standard. */
export class AssessmentSupportNeedDto {
  /** The service: a quality-standard code, e.g. SEL-85. */
  @ApiProperty({ example: 'SEL-85' })
  @Matches(STANDARD_CODE, { message: 'standardCode must be a quality-standard code' })
  standardCode: string;

  @ApiProperty({
    enum: SUPPORT_NEED_LEVELS,
    description: 'Støttebehovsniveau: intet, let, moderat, højt, fuldstændigt støttebehov, ikke vurderet.',
  })
  @IsIn(SUPPORT_NEED_LEVELS)
  level: SupportNeedLevel;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 8000 })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  note?: string | null;
}

/** Change a draft udredning; send If-Match. A field left out stays as it is; null clears it. */
export class UpdateAssessmentDto {
  /** Udredningsdato: the date the assessment concludes; required to complete, not in the future then. */
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2026-11-20' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'assessedOn must be a date (YYYY-MM-DD)' })
  assessedOn?: string | null;

  /** Baggrund: why the assessment is made (årsag til sagsåbning, formålet med udredningen). */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  background?: string | null;

  /**
   * Borgerens ønsker: the citizen's own wishes and goals, in their own words; required to complete (record
   * e.g. "Borgeren ønsker ikke at udtale sig" when the citizen does not wish to say).
   */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  citizenWishes?: string | null;

  /** Faglig vurdering: the caseworker's overall professional assessment. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  professionalAssessment?: string | null;

  /** Sections to set; each replaces that section. Sections not given stay as they are. */
  @ApiPropertyOptional({ type: [AssessmentSectionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ASSESSMENT_SECTIONS.length)
  @ValidateNested({ each: true })
  @Type(() => AssessmentSectionDto)
  sections?: AssessmentSectionDto[];

  /** Support needs to set, one per service; each replaces that service's support need. */
  @ApiPropertyOptional({ type: [AssessmentSupportNeedDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AssessmentSupportNeedDto)
  supportNeeds?: AssessmentSupportNeedDto[];
}

/** A new draft udredning for the case's citizen; it may already carry content. */
export class CreateAssessmentDto extends UpdateAssessmentDto {
  /** The caseworker who makes the assessment (an active caseworker or panel member); defaults to you. */
  @IsOptional()
  @IsUUID()
  caseworkerId?: string;
}
