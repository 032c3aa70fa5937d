import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { INQUIRY_CHANNELS, InquiryChannel } from 'src/modules/citizens/citizens.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';


/** A henvendelse: opens a case for the citizen, or joins the open one. */
export class CreateInquiryDto {
  /** The day the inquiry was received: it starts the casework deadline. Not in the future. */
  @ApiProperty({ format: 'date', example: '2026-11-02' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'receivedOn must be a date (YYYY-MM-DD)' })
  receivedOn: string;

  @ApiProperty({ enum: INQUIRY_CHANNELS, description: 'telefon, brev, digital (e-mail, Digital Post, selvbetjening), personligt fremmøde, henvisning' })
  @IsIn(INQUIRY_CHANNELS)
  channel: InquiryChannel;

  /** What is asked, in the caseworker's words. */
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  request: string;

  /** The service asked for: a quality-standard code, e.g. SEL-85. */
  @ApiProperty({ example: 'SEL-85' })
  @Matches(/^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$/, { message: 'standardCode must be a quality-standard code' })
  standardCode: string;

  /** The responsible caseworker of a new case; defaults to you. Ignored when the inquiry joins an open case. */
  @IsOptional()
  @IsUUID()
  responsibleCaseworkerId?: string;
}

/** Change the responsible caseworker and/or close the case; send If-Match. */
export class UpdateCaseDto {
  @IsOptional()
  @IsUUID()
  responsibleCaseworkerId?: string;

  /** `closed` closes the case (today); a closed case is not reopened: a new inquiry opens a new case. */
  @ApiPropertyOptional({ enum: ['closed'] })
  @IsOptional()
  @IsIn(['closed'])
  status?: 'closed';
}

/** A journal note (notat); to correct one, add a note that amends it. */
export class CreateNoteDto {
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  text: string;

  /** The note this one amends (corrects or adds to); a note of the same case. */
  @IsOptional()
  @IsUUID()
  amendsNoteId?: string;
}
