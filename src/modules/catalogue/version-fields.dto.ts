import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import {
  ACCOUNT_FUNCTION_FORMAT,
  ACTION_PLAN_RULES,
  ActionPlanRule,
  AREA_TYPES,
  INSTITUTION_TYPES,
  LAWS,
  Law,
  PARAGRAPH_FORMAT,
  SCOPE_UNITS,
  ScopeUnit,
  SETTLEMENT_BASES,
  SettlementBasis,
} from 'src/modules/catalogue/catalogue.constants';

/** Lovgrundlag: law, paragraph and stk., e.g. SEL § 85 stk. 1. */
export class LegalBasisDto {
  @ApiProperty({ enum: LAWS, description: 'SEL = serviceloven, SUL = sundhedsloven, ABL = almenboligloven' })
  @IsIn(LAWS)
  law: Law;

  /** The paragraph as written: "85", "85 a", "101 a". */
  @Matches(PARAGRAPH_FORMAT, { message: 'paragraph must look like "85" or "85 a"' })
  paragraph: string;

  /** Stk. (subsection), 1-20. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  subsection?: number | null;
}

@ValidatorConstraint({ name: 'scopeRange' })
class ScopeRange implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments) {
    const o = args.object as { scopeMin?: number | null; scopeMax?: number | null };
    return o.scopeMin === undefined || o.scopeMin === null || o.scopeMax === undefined || o.scopeMax === null || o.scopeMin <= o.scopeMax;
  }
  defaultMessage() {
    return 'scopeMax must be at least scopeMin';
  }
}

/**
 * The content of a quality-standard version (DOMAIN.md §4). Used to create a draft (all required fields)
 * and, as UpdateVersionDto, to change one (all optional).
 */
export class VersionFieldsDto {
  @ValidateNested()
  @Type(() => LegalBasisDto)
  legalBasis: LegalBasisDto;

  /** Målgruppe in words. */
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  targetGroup: string;

  /** Formål. */
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  purpose: string;

  /** Indhold: what the service consists of. */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  content: string;

  @ApiProperty({ enum: SCOPE_UNITS, description: 'Unit of scope (omfang); rates are priced per this unit' })
  @IsIn(SCOPE_UNITS)
  scopeUnit: ScopeUnit;

  /** Smallest scope a grant may have per period of the unit. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(999999)
  scopeMin?: number | null;

  /** Largest scope a grant may have per period of the unit. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(999999)
  @Validate(ScopeRange)
  scopeMax?: number | null;

  /** Longest a grant may last (e.g. 6 for SEL § 82 b). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  maxDurationMonths?: number | null;

  /** Default interval between follow-ups (opfølgning). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  followUpIntervalMonths?: number | null;

  /** Sagsbehandlingsfrist in days from the inquiry. */
  @IsInt()
  @Min(1)
  @Max(730)
  caseworkDeadlineDays: number;

  /** Days from inquiry to the start of the service (14 for SEL § 101 and SUL § 141). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  startDeadlineDays?: number | null;

  @ApiProperty({ enum: SETTLEMENT_BASES, description: 'granted scope pro rata, delivered units, per day of stay, or per course' })
  @IsIn(SETTLEMENT_BASES)
  settlementBasis: SettlementBasis;

  @ApiProperty({ enum: AREA_TYPES, isArray: true, description: 'Operating areas whose institutions may deliver it' })
  @IsArray()
  @ArrayUnique()
  @IsIn(AREA_TYPES, { each: true })
  areaTypes: string[];

  @ApiProperty({ enum: INSTITUTION_TYPES, isArray: true, description: 'Institution types that may deliver it' })
  @IsArray()
  @ArrayUnique()
  @IsIn(INSTITUTION_TYPES, { each: true })
  institutionTypes: string[];

  /** Grants need the visitation panel's approval. */
  @IsBoolean()
  panelApprovalRequired: boolean;

  /** Mindste indgrebs princip: a grant must document the less intrusive support considered (§§ 107/108). */
  @IsBoolean()
  leastInterventionRule: boolean;

  /** False where the law makes decisions final (SEL §§ 82 a, 82 b, 101 a). */
  @IsBoolean()
  appealable: boolean;

  /** Selvmøder: the institution's leader admits (SEL §§ 109, 110). */
  @IsBoolean()
  selfReferral: boolean;

  /** May be given anonymously, without CPR (SEL § 101 a, SUL § 141). */
  @IsBoolean()
  anonymousAllowed: boolean;

  /** Only for citizens below the state pension age (SEL § 103). */
  @IsBoolean()
  belowStatePensionAgeOnly: boolean;

  /** Short-notice cancellations by the citizen count as delivered in settlement. */
  @IsBoolean()
  shortNoticeCancellationChargeable: boolean;

  @ApiProperty({ enum: ACTION_PLAN_RULES, description: 'offer = § 141 must be offered, mandatory = § 142 (§ 110), none = § 101 a' })
  @IsIn(ACTION_PLAN_RULES)
  actionPlan: ActionPlanRule;

  /** Kontoplan function the ledger books on, e.g. 5.38.50. */
  @Matches(ACCOUNT_FUNCTION_FORMAT, { message: 'accountFunction must look like 5.38.50' })
  accountFunction: string;

  /** Gruppering within the function, e.g. 004 (§ 85, betydelig nedsat funktionsevne). */
  @IsOptional()
  @Matches(/^[0-9]{3}$/, { message: 'accountGroup must be three digits' })
  accountGroup?: string | null;

  /** KL Fælles Faglige Begreber ydelse code (UUID) where one exists. */
  @IsOptional()
  @IsUUID()
  ffbServiceCode?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  ffbServiceName?: string | null;

  /** The municipality's own service code where FFB has none (e.g. for SEL § 101, § 85 a). */
  @IsOptional()
  @Matches(/^[A-Z0-9][A-Z0-9._-]{1,39}$/, { message: 'localServiceCode must be 2-40 capitals, digits or . _ -' })
  localServiceCode?: string | null;

  /** FFB target groups (målgrupper, leaf terms). */
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  ffbTargetGroups: string[];

  /** The day the version is meant to take effect; can be set or changed at approval. */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom?: string | null;
}
