import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { EXPENSE_CATEGORIES, ExpenseCategory } from 'src/modules/ledger/ledger.constants';
import { MAX_EXPENSE_LINES } from 'src/modules/ledger/expense-line';

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** One expense (documentation only: lines are checked one by one, so that a bad line is reported as such, 422). */
export class ExpenseLineDto {
  @ApiProperty({ format: 'uuid', description: "The institution (tilbud) the cost belongs to: one of the municipality's own" })
  institutionId: string;

  @ApiProperty({ example: '2026-03', description: 'The month the cost belongs to (YYYY-MM); booked on its last day' })
  month: string;

  @ApiProperty({
    enum: EXPENSE_CATEGORIES,
    description: 'personnel = personale, premises = lokaler (husleje, el, varme), food = kost, transport, activities = aktiviteter, administration, other = øvrige',
  })
  category: ExpenseCategory;

  @ApiProperty({ type: 'integer', example: 1234556, description: 'Signed whole øre: a cost is positive, a credit note negative, never 0' })
  amountOere: number;

  @ApiProperty({ maxLength: 200, description: "The finance system's reference (bilagsnummer): booked once, ever; a second batch with it is 409" })
  externalRef: string;

  @ApiPropertyOptional({ maxLength: 500, nullable: true })
  description?: string | null;
}

export class CreateExpenseBatchDto {
  @ApiProperty({ type: [ExpenseLineDto], minItems: 1, maxItems: MAX_EXPENSE_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EXPENSE_LINES)
  lines: unknown[];
}

export class ExpenseLineView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  batchId: string;
  /** The line's position in its batch, from 1 (for a CSV file: the record, the header not counted). */
  lineNo: number;
  @ApiProperty({ format: 'uuid' })
  institutionId: string;
  @ApiProperty({ example: '2026-03' })
  month: string;
  @ApiProperty({ enum: EXPENSE_CATEGORIES })
  category: ExpenseCategory;
  @ApiProperty({ type: 'integer' })
  amountOere: number;
  externalRef: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  /** The journal entry it was booked as. */
  @ApiProperty({ format: 'uuid' })
  entryId: string;
}

export class ExpenseBatchView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The Idempotency-Key it was sent with. */
  idempotencyKey: string;
  @ApiProperty({ enum: ['api', 'csv'] })
  source: 'api' | 'csv';
  lineCount: number;
  @ApiProperty({ type: 'integer' })
  totalOere: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: [ExpenseLineView] })
  lines: ExpenseLineView[];
}

export class ExpenseLinePage {
  @ApiProperty({ type: [ExpenseLineView] })
  items: ExpenseLineView[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ListExpensesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ example: '2026-03' })
  @IsOptional()
  @Matches(MONTH_PATTERN, { message: 'month must be a month written YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  batchId?: string;
}
