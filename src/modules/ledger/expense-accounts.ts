import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DomainError } from 'src/platform/errors/domain-error';
import { EXPENSE_ART } from 'src/modules/ledger/chart-of-accounts';
import { ExpenseCategory } from 'src/modules/ledger/ledger.constants';

/**
 * The accounts an expense books on, per institution (see the conventions at the top of expense.service.ts):
 *   debit  `I-<first 8 of the institution id>-EXP-<category>`  kind expense, art by category (below)
 *   credit `I-<first 8 of the institution id>-PAY`             kind payable ("skyldige udgifter": the municipality's
 *          finance system paid the bill; the institution owes it), art 9 (internal: a settlement account)
 * both on the chart-of-accounts function of the institution's main service.
 * An account the institution already has of that kind (and category) is used, whatever its number: finance or
 * AccountService.ensureStandardAccounts() may have made it first. Missing ones are made here, idempotently
 * (INSERT ... ON CONFLICT (number) DO NOTHING), so concurrent batches make each account once.
 */
export const expenseAccountNumber = (institutionId: string, category: ExpenseCategory) => `I-${institutionId.slice(0, 8).toUpperCase()}-EXP-${category}`;
export const payableAccountNumber = (institutionId: string) => `I-${institutionId.slice(0, 8).toUpperCase()}-PAY`;

/** One chart of accounts: the arts of expense accounts are the chart's (chart-of-accounts.ts). */
export { EXPENSE_ART };

const CATEGORY_NAME: Record<ExpenseCategory, string> = {
  personnel: 'personale',
  premises: 'lokaler',
  food: 'kost',
  transport: 'transport',
  activities: 'aktiviteter',
  administration: 'administration',
  other: 'øvrige',
};

export interface ExpenseInstitution {
  id: string;
  name: string;
  isOwn: boolean;
  /** The function of its main service, or null when the catalogue names none for its type. */
  accountFunction: string | null;
}

@Injectable()
export class ExpenseAccounts {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * The institutions, with the function of their main service: among the approved or retired catalogue
   * versions that list the institution's type, the most specific (fewest institution types), then the most
   * recent, then the lowest function. E.g. a bofællesskab (ABL § 105) books on 5.38.51 rather than the § 85
   * support it also delivers (5.38.38). A function of an account never changes (ck_ledger_account_fixed).
   */
  async institutions(ids: string[]): Promise<Map<string, ExpenseInstitution>> {
    const rows: { id: string; name: string; is_own: boolean; account_function: string | null }[] = await this.db.query(
      `SELECT ou.id, ou.name, m.is_own,
              (SELECT v.account_function FROM quality_standard_version v
                WHERE v.status <> 'draft' AND ou.institution_type = ANY (v.institution_types)
                ORDER BY cardinality(v.institution_types), v.valid_from DESC NULLS LAST, v.account_function
                LIMIT 1) AS account_function
         FROM org_unit ou JOIN municipality m ON m.id = ou.municipality_id
        WHERE ou.kind = 'institution' AND ou.id = ANY ($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, isOwn: r.is_own, accountFunction: r.account_function }]));
  }

  /**
   * The expense account per (institution, category) and the payable account per institution, made where
   * missing. Keys: `${institutionId}|${category}` and `${institutionId}|payable`.
   */
  async resolve(needs: { institution: ExpenseInstitution; category: ExpenseCategory }[], actor: string | null): Promise<Map<string, string>> {
    const institutions = [...new Map(needs.map((n) => [n.institution.id, n.institution])).values()];
    const wanted = new Map<string, { number: string; name: string; owner: ExpenseInstitution; kind: 'expense' | 'payable'; category: ExpenseCategory | null; art: string }>();
    for (const { institution: i, category } of needs)
      wanted.set(`${i.id}|${category}`, { number: expenseAccountNumber(i.id, category), name: `${i.name}: udgifter, ${CATEGORY_NAME[category]}`, owner: i, kind: 'expense', category, art: EXPENSE_ART[category] });
    for (const i of institutions) wanted.set(`${i.id}|payable`, { number: payableAccountNumber(i.id), name: `${i.name}: skyldige udgifter (kommunens økonomisystem)`, owner: i, kind: 'payable', category: null, art: '9' });

    const found = await this.existing(institutions.map((i) => i.id));
    const missing = [...wanted.entries()].filter(([key]) => !found.has(key));
    if (missing.length) {
      const unplaced = [...new Set(missing.filter(([, w]) => !w.owner.accountFunction).map(([, w]) => w.owner.name))];
      if (unplaced.length)
        throw new DomainError(
          'ruleViolated',
          `no approved quality standard lists the institution type of ${unplaced.join(', ')}, so the chart-of-accounts function of its expense accounts is unknown: create the accounts first (or add the type to a standard)`,
          unplaced.map((name) => ({ pointer: '/lines', reason: `${name}: no chart-of-accounts function` })),
        );
      await this.db.query(
        `INSERT INTO ledger_account (number, name, owner_kind, owner_id, kind, expense_category, account_function, art, created_by, version)
         SELECT n, na, 'institution', o, k, c, f, a, $8, 1 FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x(n, na, o, k, c, f, a)
         ON CONFLICT (number) DO NOTHING`,
        [
          missing.map(([, w]) => w.number),
          missing.map(([, w]) => w.name),
          missing.map(([, w]) => w.owner.id),
          missing.map(([, w]) => w.kind),
          missing.map(([, w]) => w.category),
          missing.map(([, w]) => w.owner.accountFunction),
          missing.map(([, w]) => w.art),
          actor,
        ],
      );
      for (const [key, id] of await this.existing(institutions.map((i) => i.id))) if (!found.has(key)) found.set(key, id);
    }
    return found;
  }

  /** The institutions' active expense and payable accounts; the conventional number first, then the lowest. */
  private async existing(ownerIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; owner_id: string; kind: string; expense_category: string | null }[] = await this.db.query(
      `SELECT id, owner_id, kind, expense_category FROM ledger_account
        WHERE owner_kind = 'institution' AND owner_id = ANY ($1::uuid[]) AND active AND kind IN ('expense', 'payable')
        ORDER BY number <> CASE kind WHEN 'payable' THEN 'I-' || upper(left(owner_id::text, 8)) || '-PAY'
                                     ELSE 'I-' || upper(left(owner_id::text, 8)) || '-EXP-' || expense_category END,
                 number`,
      [ownerIds],
    );
    const map = new Map<string, string>();
    for (const r of rows) {
      const key = `${r.owner_id}|${r.kind === 'payable' ? 'payable' : r.expense_category}`;
      if (!map.has(key)) map.set(key, r.id);
    }
    return map;
  }
}
