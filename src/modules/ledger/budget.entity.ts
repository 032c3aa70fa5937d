import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';
import { numericTransformer } from 'src/platform/database/numeric.transformer';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { JournalEntry } from 'src/modules/ledger/journal.entity';
import { BUDGET_LINE_KINDS, BUDGET_STATUSES, BudgetLineKind, BudgetStatus, EXPENSE_CATEGORIES, ExpenseCategory } from 'src/modules/ledger/ledger.constants';

/**
 * An institution's budget for a year, versioned: a draft is edited; approval requires income and expenses
 * to net to zero within the tolerance and fixes it; a new version supersedes the approved one.
 */
@Entity({ name: 'budget' })
@Check('ck_budget_status', `status IN (${sqlList(BUDGET_STATUSES)})`)
@Check('ck_budget_year', 'year BETWEEN 2000 AND 2100')
@Check('ck_budget_tolerance', 'tolerance_oere >= 0')
@Check('ck_budget_approved', `(status IN ('approved', 'superseded')) = (approved_at IS NOT NULL)`)
@Index('uq_budget_version', ['institutionId', 'year', 'versionNo'], { unique: true })
@Index('uq_budget_current', { synchronize: false })
@Index('uq_budget_draft', { synchronize: false })
export class Budget {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  versionNo: number;

  @Column({ type: 'text', default: 'draft' })
  status: BudgetStatus;

  /** How far from zero (in øre) income − expenses may be and still be approved. */
  @Column({ type: 'bigint', transformer: bigintTransformer, default: 0 })
  toleranceOere: number;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A budget line: service income (planned units × the catalogue's rate), sales to other municipalities, or an
 * expense by category. Amounts are integer øre; income positive, expenses positive too (the kind says which).
 */
@Entity({ name: 'budget_line' })
@Check('ck_budget_line_kind', `kind IN (${sqlList(BUDGET_LINE_KINDS)})`)
@Check('ck_budget_line_category', `(kind = 'expense') = (expense_category IS NOT NULL) AND (expense_category IS NULL OR expense_category IN (${sqlList(EXPENSE_CATEGORIES)}))`)
@Check('ck_budget_line_service', `(kind = 'serviceIncome') = (standard_code IS NOT NULL AND planned_units IS NOT NULL AND rate_oere IS NOT NULL)`)
@Check('ck_budget_line_amount', 'amount_oere >= 0')
@Index('ix_budget_line_budget', ['budgetId', 'lineNo'])
export class BudgetLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  budgetId: string;

  @ManyToOne(() => Budget, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'budget_id', foreignKeyConstraintName: 'fk_budget_line_budget' })
  budget?: Budget;

  @Column({ type: 'integer' })
  lineNo: number;

  @Column({ type: 'text' })
  kind: BudgetLineKind;

  @Column({ type: 'text', nullable: true })
  standardCode: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numericTransformer })
  plannedUnits: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer })
  rateOere: number | null;

  /** The rate it was computed from (the catalogue's), for traceability. */
  @Column({ type: 'uuid', nullable: true })
  rateId: string | null;

  @Column({ type: 'text', nullable: true })
  expenseCategory: ExpenseCategory | null;

  /** The other municipality for an external sale. */
  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amountOere: number;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}

/** A batch of expenses from a finance system: idempotent per batch (its key) and per line (external reference). */
@Entity({ name: 'expense_batch' })
@Index('uq_expense_batch_key', ['idempotencyKey'], { unique: true })
export class ExpenseBatch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'text' })
  requestHash: string;

  /** csv or api. */
  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'integer' })
  lineCount: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  totalOere: number;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** One expense line: institution, month, category, amount, the finance system's reference, and its entry. */
@Entity({ name: 'expense_line' })
@Check('ck_expense_line_category', `expense_category IN (${sqlList(EXPENSE_CATEGORIES)})`)
@Check('ck_expense_line_amount', 'amount_oere <> 0')
@Check('ck_expense_line_month', `month = date_trunc('month', month)::date`)
@Index('uq_expense_line_reference', ['externalRef'], { unique: true })
@Index('ix_expense_line_batch', ['batchId', 'lineNo'])
@Index('ix_expense_line_institution', ['institutionId', 'month'])
export class ExpenseLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  batchId: string;

  @ManyToOne(() => ExpenseBatch, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'fk_expense_line_batch' })
  batch?: ExpenseBatch;

  @Column({ type: 'integer' })
  lineNo: number;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'date' })
  month: string;

  @Column({ type: 'text' })
  expenseCategory: ExpenseCategory;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amountOere: number;

  @Column({ type: 'text' })
  externalRef: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The journal entry it was booked as. */
  @Column({ type: 'uuid' })
  entryId: string;

  @ManyToOne(() => JournalEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_expense_line_entry' })
  entry?: JournalEntry;
}
