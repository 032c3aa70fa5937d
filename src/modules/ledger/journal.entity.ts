import { Check, Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { LedgerAccount } from 'src/modules/ledger/account.entity';
import { ENTRY_KINDS, EntryKind, PERIOD_STATUSES, PeriodStatus } from 'src/modules/ledger/ledger.constants';

/**
 * A journal entry (postering): a date in a period (month), a kind, a description, the source it came from,
 * and two or more postings summing to zero (checked by a statement-level trigger). Never changed: a
 * correction is a reversing entry.
 */
@Entity({ name: 'journal_entry' })
@Check('ck_journal_entry_kind', `kind IN (${sqlList(ENTRY_KINDS)})`)
@Check('ck_journal_entry_period', `period = date_trunc('month', period)::date AND entry_date >= period AND entry_date < (period + interval '1 month')::date`)
@Check('ck_journal_entry_reversal', `(kind = 'reversal') = (reverses_entry_id IS NOT NULL)`)
@Index('uq_journal_entry_idempotency', ['idempotencyKey'], { unique: true })
@Index('uq_journal_entry_reverses', ['reversesEntryId'], { unique: true })
@Index('ix_journal_entry_period', ['period', 'entryDate'])
@Index('ix_journal_entry_source', ['sourceRef'])
export class JournalEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'date' })
  entryDate: string;

  /** The month it belongs to (its first day). */
  @Column({ type: 'date' })
  period: string;

  @Column({ type: 'text' })
  kind: EntryKind;

  @Column({ type: 'text' })
  description: string;

  /** Where it came from: a settlement run line, an expense batch line, an ERP voucher … */
  @Column({ type: 'text', nullable: true })
  sourceRef: string | null;

  @Column({ type: 'text' })
  idempotencyKey: string;

  /** SHA-256 of the request: the same key with another body is 409. */
  @Column({ type: 'text' })
  requestHash: string;

  @Column({ type: 'uuid', nullable: true })
  reversesEntryId: string | null;

  @ManyToOne(() => JournalEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reverses_entry_id', foreignKeyConstraintName: 'fk_journal_entry_reverses' })
  reverses?: JournalEntry;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** One line of an entry: an account and a signed amount in øre (debit positive, credit negative), never 0. */
@Entity({ name: 'posting' })
@Check('ck_posting_amount', 'amount_oere <> 0')
@Index('ix_posting_entry', ['entryId'])
@Index('ix_posting_account', ['accountId', 'entryDate'])
export class Posting {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  @Generated('increment')
  id: number;

  @Column({ type: 'uuid' })
  entryId: string;

  @ManyToOne(() => JournalEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_posting_entry' })
  entry?: JournalEntry;

  @Column({ type: 'uuid' })
  accountId: string;

  @ManyToOne(() => LedgerAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_posting_account' })
  account?: LedgerAccount;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amountOere: number;

  /** The entry's date and period, copied so balances and the closed-period check need no join. */
  @Column({ type: 'date' })
  entryDate: string;

  @Column({ type: 'date' })
  period: string;
}

/**
 * A month of an owner's books (an institution, the authority), or of the whole area (owner = the own
 * municipality): open or closed. Closing is a row-locked state change; postings check it under a share lock.
 */
@Entity({ name: 'ledger_period' })
@Check('ck_ledger_period_status', `status IN (${sqlList(PERIOD_STATUSES)})`)
@Check('ck_ledger_period_month', `month = date_trunc('month', month)::date`)
@Check('ck_ledger_period_closed', `(status = 'closed') = (closed_at IS NOT NULL)`)
export class LedgerPeriod {
  @PrimaryColumn({ type: 'uuid' })
  ownerId: string;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ type: 'text', default: 'open' })
  status: PeriodStatus;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  closedBy: string | null;
}

/** Genåbning af en periode: an administrator's act with a reason, kept. */
@Entity({ name: 'ledger_period_reopening' })
@Index('ix_ledger_period_reopening_period', ['ownerId', 'month'])
export class LedgerPeriodReopening {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @Column({ type: 'date' })
  month: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  reopenedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  reopenedAt: Date;
}
