import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { OWNER_KINDS, OwnerKind } from 'src/modules/ledger/ledger.constants';
import { MONTH_PATTERN } from 'src/modules/ledger/expense.dto';

export class ExportQuery {
  @ApiProperty({ example: '2026-03', description: 'The month (YYYY-MM)' })
  @Matches(MONTH_PATTERN, { message: 'period must be a month written YYYY-MM' })
  period: string;

  /** Only the accounts of this owner (an institution, the authority or another municipality). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class PostingExportRow {
  /** The posting's id (a number, as text). */
  postingId: string;
  @ApiProperty({ format: 'uuid' })
  entryId: string;
  @ApiProperty({ format: 'date' })
  entryDate: string;
  @ApiProperty({ example: '2026-03' })
  period: string;
  /** The entry's kind: manual, settlement, adjustment, expense, reversal, yearEnd, opening. */
  entryKind: string;
  description: string;
  @ApiProperty({ type: String, nullable: true })
  sourceRef: string | null;
  @ApiProperty({ format: 'uuid' })
  accountId: string;
  accountNumber: string;
  accountName: string;
  /** Kontoplanens funktion, e.g. 5.38.50. */
  accountFunction: string;
  /** Art, e.g. 9.4 or 7.7. */
  art: string;
  @ApiProperty({ enum: OWNER_KINDS })
  ownerKind: OwnerKind;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  ownerName: string;
  /** Signed øre: debit positive, credit negative. */
  @ApiProperty({ type: 'integer' })
  amountOere: number;
  /** The same amount in kroner with a decimal comma, e.g. "-1234,56". */
  amountKroner: string;
}

export class PostingExport {
  period: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  ownerId: string | null;
  count: number;
  /** Σ amountOere: 0 for the whole ledger (every entry balances); an owner's share otherwise. */
  @ApiProperty({ type: 'integer' })
  totalOere: number;
  @ApiProperty({ type: [PostingExportRow] })
  items: PostingExportRow[];
}

export class TrialBalanceRow {
  @ApiProperty({ format: 'uuid' })
  accountId: string;
  accountNumber: string;
  accountName: string;
  accountKind: string;
  accountFunction: string;
  art: string;
  @ApiProperty({ enum: OWNER_KINDS })
  ownerKind: OwnerKind;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  ownerName: string;
  /** The balance before the month (signed øre, debit positive). */
  @ApiProperty({ type: 'integer' })
  openingOere: number;
  @ApiProperty({ type: 'integer' })
  debitOere: number;
  /** The month's credits, as a positive amount. */
  @ApiProperty({ type: 'integer' })
  creditOere: number;
  /** opening + debit − credit. */
  @ApiProperty({ type: 'integer' })
  closingOere: number;
}

export class TrialBalanceTotals {
  @ApiProperty({ type: 'integer' })
  openingOere: number;
  @ApiProperty({ type: 'integer' })
  debitOere: number;
  @ApiProperty({ type: 'integer' })
  creditOere: number;
  @ApiProperty({ type: 'integer' })
  closingOere: number;
}

export class TrialBalanceExport {
  period: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  ownerId: string | null;
  @ApiProperty({ type: [TrialBalanceRow] })
  items: TrialBalanceRow[];
  /** Over every account: opening and closing 0, debit = credit. Over one owner: that owner's sums. */
  totals: TrialBalanceTotals;
}
