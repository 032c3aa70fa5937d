import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import type { OrgUnitView } from 'src/modules/organisation/organisation.dto';
import {
  accountNumber,
  ART,
  AUTHORITY_OWNER_CODE,
  EXPENSE_ART,
  INSTITUTION_FUNCTION,
  institutionOwnerCode,
  MUNICIPALITY_FUNCTION,
  municipalityOwnerCode,
  PURCHASE_FUNCTIONS,
} from 'src/modules/ledger/chart-of-accounts';
import { AccountKind, EXPENSE_CATEGORIES, ExpenseCategory, OwnerKind } from 'src/modules/ledger/ledger.constants';
import { AccountPage, AccountView, CreateAccountDto, ListAccountsQuery } from 'src/modules/ledger/ledger.dto';
import { readableOwner } from 'src/modules/ledger/ledger-access';

export interface AccountRow {
  id: string;
  number: string;
  name: string;
  owner_kind: OwnerKind;
  owner_id: string;
  kind: AccountKind;
  expense_category: ExpenseCategory | null;
  account_function: string;
  art: string;
  active: boolean;
  version: number;
  created_at: Date;
}

export const toAccountView = (r: AccountRow): AccountView => ({
  id: r.id,
  number: r.number,
  name: r.name,
  ownerKind: r.owner_kind,
  ownerId: r.owner_id,
  kind: r.kind,
  expenseCategory: r.expense_category,
  accountFunction: r.account_function,
  art: r.art,
  active: r.active,
  version: r.version,
  createdAt: r.created_at.toISOString(),
});

interface PlannedAccount {
  number: string;
  name: string;
  ownerKind: OwnerKind;
  ownerId: string;
  kind: AccountKind;
  category: ExpenseCategory | null;
  accountFunction: string;
  art: string;
}

const CATEGORY_DA: Record<ExpenseCategory, string> = {
  personnel: 'løn',
  premises: 'lokaler',
  food: 'kost',
  transport: 'transport',
  activities: 'aktiviteter',
  administration: 'administration',
  other: 'øvrige udgifter',
};

/** The chart of accounts: the standard accounts of every owner (made by themselves), and finance's own. */
@Injectable()
export class AccountService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly units: OrgUnitService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * Makes every standard account that is missing (chart-of-accounts.ts says which), in one statement:
   * the authority's internal and external purchase accounts per function; for each own institution its
   * internal and external sale, an expense account per category and a result account; a receivable and a
   * payable per other municipality. Idempotent: an account counts as present when its owner has one of the
   * same kind, function and category (so a renamed institution does not get a second set), and runs are
   * serialised by an advisory lock (the seed, the worker and finance may run it at once).
   */
  @Transactional()
  async ensureStandardAccounts(): Promise<{ created: number }> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('ledger.ensure-standard-accounts'))`);
    const planned: PlannedAccount[] = [];
    const authority = await this.units.authority().catch(() => null);
    if (authority) {
      for (const fn of PURCHASE_FUNCTIONS) {
        for (const kind of ['internalPurchase', 'externalPurchase'] as const)
          planned.push({
            number: accountNumber(AUTHORITY_OWNER_CODE, kind, fn),
            name: `${kind === 'internalPurchase' ? 'Interne køb' : 'Køb hos andre kommuner'} ${fn}`,
            ownerKind: 'authority',
            ownerId: authority.id,
            kind,
            category: null,
            accountFunction: fn,
            art: ART[kind],
          });
      }
    }
    for (const m of await this.units.listMunicipalities()) {
      if (m.isOwn) continue;
      for (const kind of ['receivable', 'payable'] as const)
        planned.push({
          number: accountNumber(municipalityOwnerCode(m.code), kind, MUNICIPALITY_FUNCTION),
          name: `${kind === 'receivable' ? 'Tilgodehavende hos' : 'Gæld til'} ${m.name} Kommune`,
          ownerKind: 'municipality',
          ownerId: m.id,
          kind,
          category: null,
          accountFunction: MUNICIPALITY_FUNCTION,
          art: ART[kind],
        });
    }
    for (const institution of await this.ownInstitutions()) planned.push(...institutionAccounts(institution));
    if (!planned.length) return { created: 0 };

    const created: unknown[] = await this.db.query(
      `INSERT INTO ledger_account (number, name, owner_kind, owner_id, kind, expense_category, account_function, art, version)
       SELECT x.number, x.name, x.owner_kind, x.owner_id, x.kind, x.category, x.fn, x.art, 1
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[])
              AS x(number, name, owner_kind, owner_id, kind, category, fn, art)
        WHERE NOT EXISTS (SELECT 1 FROM ledger_account a
                           WHERE a.owner_id = x.owner_id AND a.kind = x.kind AND a.account_function = x.fn
                             AND a.expense_category IS NOT DISTINCT FROM x.category)
       ON CONFLICT (number) DO NOTHING
       RETURNING id`,
      [
        planned.map((p) => p.number),
        planned.map((p) => p.name),
        planned.map((p) => p.ownerKind),
        planned.map((p) => p.ownerId),
        planned.map((p) => p.kind),
        planned.map((p) => p.category),
        planned.map((p) => p.accountFunction),
        planned.map((p) => p.art),
      ],
    );
    return { created: created.length };
  }

  private async ownInstitutions(): Promise<OrgUnitView[]> {
    const all: OrgUnitView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.units.listInstitutions({ external: false, limit: 200, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  @Transactional()
  async create(principal: Principal, dto: CreateAccountDto): Promise<AccountView> {
    if ((dto.kind === 'expense') !== (dto.expenseCategory !== undefined))
      throw ruleViolated('an expense account has an expense category, and only an expense account has one', '/expenseCategory');
    const [row]: AccountRow[] = await this.db.query(
      `INSERT INTO ledger_account (number, name, owner_kind, owner_id, kind, expense_category, account_function, art, created_by, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING *`,
      [dto.number, dto.name.trim(), dto.ownerKind, dto.ownerId, dto.kind, dto.expenseCategory ?? null, dto.accountFunction, dto.art, principal.kind === 'user' ? principal.id : null],
    );
    return toAccountView(row);
  }

  async list(principal: Principal, q: ListAccountsQuery): Promise<AccountPage> {
    const owner = readableOwner(principal, q.ownerId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 1) as [string] | null;
    const rows: AccountRow[] = await this.db.query(
      `SELECT * FROM ledger_account
        WHERE ($1::uuid IS NULL OR owner_id = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR number > $3)
        ORDER BY number LIMIT $4`,
      [owner, q.kind ?? null, after?.[0] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.number]);
    return { items: page.items.map(toAccountView), nextCursor: page.nextCursor };
  }

  /** One account the caller may read, or 404. */
  async get(principal: Principal, id: string): Promise<AccountView> {
    const owner = readableOwner(principal);
    const [row]: AccountRow[] = await this.db.query('SELECT * FROM ledger_account WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)', [id, owner]);
    if (!row) throw notFound('account');
    return toAccountView(row);
  }
}

/** An own institution's standard accounts, all on the function of what it is (rule 31). */
function institutionAccounts(institution: OrgUnitView): PlannedAccount[] {
  const fn = INSTITUTION_FUNCTION[institution.institutionType!];
  const owner = institutionOwnerCode(institution.name, institution.id);
  const base = { ownerKind: 'institution' as const, ownerId: institution.id, accountFunction: fn };
  const accounts: PlannedAccount[] = [
    { ...base, kind: 'internalSale', category: null, art: ART.internalSale, number: accountNumber(owner, 'internalSale', fn), name: `${institution.name}: interne salg` },
    { ...base, kind: 'externalSale', category: null, art: ART.externalSale, number: accountNumber(owner, 'externalSale', fn), name: `${institution.name}: salg til andre kommuner` },
    { ...base, kind: 'result', category: null, art: ART.result, number: accountNumber(owner, 'result', fn), name: `${institution.name}: overført resultat` },
  ];
  for (const category of EXPENSE_CATEGORIES)
    accounts.push({
      ...base,
      kind: 'expense',
      category,
      art: EXPENSE_ART[category],
      number: accountNumber(owner, 'expense', fn, category),
      name: `${institution.name}: ${CATEGORY_DA[category]}`,
    });
  return accounts;
}
