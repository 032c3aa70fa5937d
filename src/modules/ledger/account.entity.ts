import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { ACCOUNT_KINDS, AccountKind, EXPENSE_CATEGORIES, ExpenseCategory, OWNER_KINDS, OwnerKind } from 'src/modules/ledger/ledger.constants';

/**
 * A ledger account: owned by the authority, an institution or another municipality, with its kind and its
 * place in the municipal chart of accounts (function, e.g. 5.38.50; art, e.g. 9.71 or 7.7).
 */
@Entity({ name: 'ledger_account' })
@Check('ck_ledger_account_owner_kind', `owner_kind IN (${sqlList(OWNER_KINDS)})`)
@Check('ck_ledger_account_kind', `kind IN (${sqlList(ACCOUNT_KINDS)})`)
@Check('ck_ledger_account_category', `(kind = 'expense') = (expense_category IS NOT NULL) AND (expense_category IS NULL OR expense_category IN (${sqlList(EXPENSE_CATEGORIES)}))`)
@Check('ck_ledger_account_function', `account_function ~ '^[0-9]\\.[0-9]{2}\\.[0-9]{2}$'`)
@Check('ck_ledger_account_art', `art ~ '^[0-9](\\.[0-9]{1,2})?$'`)
@Index('uq_ledger_account_number', ['number'], { unique: true })
@Index('ix_ledger_account_owner', ['ownerId', 'kind'])
export class LedgerAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Kontonummer: unique, readable, e.g. "I-BOSTH-ISALE-5.38.38". */
  @Column({ type: 'text' })
  number: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  ownerKind: OwnerKind;

  /** The org unit (authority, institution) or the municipality that owns the account. */
  @Column({ type: 'uuid' })
  ownerId: string;

  @Column({ type: 'text' })
  kind: AccountKind;

  @Column({ type: 'text', nullable: true })
  expenseCategory: ExpenseCategory | null;

  /** Kontoplanens funktion, e.g. 5.38.50. */
  @Column({ type: 'text' })
  accountFunction: string;

  /** Art, e.g. 9.71 (internal sale), 4.7 / 7.7 (to/from other municipalities), 1 (personnel). */
  @Column({ type: 'text' })
  art: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
