import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
  MinLength,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import {
  ACCOUNT_KINDS,
  AccountKind,
  ENTRY_KINDS,
  EntryKind,
  EXPENSE_CATEGORIES,
  ExpenseCategory,
  OWNER_KINDS,
  OwnerKind,
  PeriodStatus,
  PERIOD_STATUSES,
} from 'src/modules/ledger/ledger.constants';
import { DATE_FORMAT as DATE } from 'src/platform/clock/danish-date';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** Entry kinds a client may post: a reversal is made by POST /entries/{id}/reversal only. */
export const POSTABLE_ENTRY_KINDS = ENTRY_KINDS.filter((k) => k !== 'reversal');

// --- accounts -----------------------------------------------------------------------------------------------

export class AccountView {
  id: string;
  /** Kontonummer, unique and readable. */
  number: string;
  name: string;
  @ApiProperty({ enum: OWNER_KINDS })
  ownerKind: OwnerKind;
  ownerId: string;
  @ApiProperty({ enum: ACCOUNT_KINDS })
  kind: AccountKind;
  @ApiProperty({ enum: EXPENSE_CATEGORIES, nullable: true })
  expenseCategory: ExpenseCategory | null;
  /** Kontoplanens funktion, e.g. 5.38.50. */
  accountFunction: string;
  /** Art, e.g. 9.7 (internal sale), 7.7 (sale to another municipality), 1 (personnel). */
  art: string;
  active: boolean;
  version: number;
  createdAt: string;
}

export class AccountPage {
  items: AccountView[];
  nextCursor: string | null;
}

export class ListAccountsQuery extends PageQuery {
  /** The owner: the authority, an institution or another municipality. */
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_KINDS })
  @IsOptional()
  @IsIn(ACCOUNT_KINDS)
  kind?: AccountKind;
}

export class CreateAccountDto {
  /** Kontonummer: unique, 3-60 characters of capitals, digits, dots and dashes. */
  @Matches(/^[A-Z0-9][A-Z0-9.-]{2,59}$/, { message: 'number must be 3-60 capitals, digits, dots and dashes' })
  number: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: OWNER_KINDS })
  @IsIn(OWNER_KINDS)
  ownerKind: OwnerKind;

  @IsUUID()
  ownerId: string;

  @ApiProperty({ enum: ACCOUNT_KINDS })
  @IsIn(ACCOUNT_KINDS)
  kind: AccountKind;

  /** Required for kind expense, absent otherwise. */
  @ApiPropertyOptional({ enum: EXPENSE_CATEGORIES })
  @IsOptional()
  @IsIn(EXPENSE_CATEGORIES)
  expenseCategory?: ExpenseCategory;

  @Matches(/^[0-9]\.[0-9]{2}\.[0-9]{2}$/, { message: 'accountFunction must look like 5.38.50' })
  accountFunction: string;

  @Matches(/^[0-9](\.[0-9]{1,2})?$/, { message: 'art must look like 9.7, 4.7 or 1' })
  art: string;
}

export class StandardAccountsResult {
  /** How many accounts this run created (0 when the chart was complete). */
  created: number;
}

// --- journal ------------------------------------------------------------------------------------------------

export class PostingDto {
  @IsUUID()
  accountId: string;

  /** Signed whole øre: debit positive, credit negative; never 0. */
  @IsInt({ message: 'amountOere must be a whole number of øre' })
  @NotEquals(0, { message: 'amountOere must not be 0' })
  @Min(-Number.MAX_SAFE_INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  amountOere: number;
}

export class PostEntryDto {
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'entryDate must be a date (YYYY-MM-DD)' })
  entryDate: string;

  @ApiProperty({ enum: POSTABLE_ENTRY_KINDS })
  @IsIn(POSTABLE_ENTRY_KINDS, { message: `kind must be one of ${POSTABLE_ENTRY_KINDS.join(', ')} (a reversal is POST /entries/{id}/reversal)` })
  kind: Exclude<EntryKind, 'reversal'>;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  /** Where it came from (an ERP voucher, a settlement line …). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sourceRef?: string;

  @IsArray()
  @ArrayMinSize(2, { message: 'an entry has two or more postings' })
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PostingDto)
  postings: PostingDto[];
}

export class ReverseEntryDto {
  /** The reversal's date; default today (Danish time). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'entryDate must be a date (YYYY-MM-DD)' })
  entryDate?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description?: string;
}

export class PostingView {
  id: number;
  accountId: string;
  accountNumber: string;
  ownerId: string;
  amountOere: number;
}

export class EntryView {
  id: string;
  entryDate: string;
  /** The month, YYYY-MM. */
  period: string;
  @ApiProperty({ enum: ENTRY_KINDS })
  kind: EntryKind;
  description: string;
  sourceRef: string | null;
  idempotencyKey: string;
  reversesEntryId: string | null;
  /** The reversal of this entry, if any. */
  reversedByEntryId: string | null;
  createdBy: string | null;
  createdAt: string;
  postings: PostingView[];
}

export class EntryPage {
  items: EntryView[];
  nextCursor: string | null;
}

export class ListEntriesQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  accountId?: string;

  /** Entries touching an account of this owner. */
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  /** A month, YYYY-MM. */
  @IsOptional()
  @Matches(MONTH, { message: 'period must be a month (YYYY-MM)' })
  period?: string;
}

// --- balances -----------------------------------------------------------------------------------------------

export class AtQuery {
  /** Point in time: postings dated on or before this day; default all. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'at must be a date (YYYY-MM-DD)' })
  at?: string;
}

export class BalanceView {
  accountId: string;
  accountNumber: string;
  name: string;
  @ApiProperty({ enum: ACCOUNT_KINDS })
  kind: AccountKind;
  ownerId: string;
  accountFunction: string;
  art: string;
  /** The day the balance is at; null for every posting. */
  at: string | null;
  /** Σ of the account's postings (debit positive). */
  balanceOere: number;
  /** Σ of the positive postings. */
  debitOere: number;
  /** Σ of the negative postings, as a positive number. */
  creditOere: number;
  postingCount: number;
}

export class OwnerBalancesView {
  ownerId: string;
  at: string | null;
  accounts: BalanceView[];
  /** Σ over the owner's accounts. */
  totalOere: number;
}

export class TrialBalanceQuery {
  @Matches(MONTH, { message: 'period must be a month (YYYY-MM)' })
  period: string;

  @IsOptional()
  @IsUUID()
  ownerId?: string;
}

export class TrialBalanceLine {
  accountId: string;
  accountNumber: string;
  name: string;
  @ApiProperty({ enum: ACCOUNT_KINDS })
  kind: AccountKind;
  ownerId: string;
  accountFunction: string;
  art: string;
  /** Σ before the month. */
  openingOere: number;
  /** Σ of positive postings in the month. */
  debitOere: number;
  /** Σ of negative postings in the month, as a positive number. */
  creditOere: number;
  /** opening + debit − credit. */
  closingOere: number;
}

export class TrialBalanceView {
  period: string;
  ownerId: string | null;
  lines: TrialBalanceLine[];
  /** Σ of the lines; for the whole ledger opening and closing are 0 and debit equals credit. */
  totals: { openingOere: number; debitOere: number; creditOere: number; closingOere: number };
}

// --- periods ------------------------------------------------------------------------------------------------

export class ReopenPeriodDto {
  /** Why the month is reopened (kept in the reopening log). */
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class ListPeriodsQuery {
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class PeriodView {
  ownerId: string;
  /** YYYY-MM. */
  month: string;
  @ApiProperty({ enum: PERIOD_STATUSES })
  status: PeriodStatus;
  closedAt: string | null;
  closedBy: string | null;
  /** How often it was reopened. */
  reopenings: number;
}
