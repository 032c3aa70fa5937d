import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { notFound } from 'src/platform/errors/domain-error';
import { AccountKind } from 'src/modules/ledger/ledger.constants';
import { BalanceView, OwnerBalancesView, TrialBalanceView } from 'src/modules/ledger/ledger.dto';
import { oere, readableOwner } from 'src/modules/ledger/ledger-access';
import { BALANCES_SQL, BalanceRow } from 'src/modules/ledger/sql/balances.sql';
import { TRIAL_BALANCE_SQL, TrialBalanceRow } from 'src/modules/ledger/sql/trial-balance.sql';

const toBalance = (r: BalanceRow, at: string | null): BalanceView => ({
  accountId: r.id,
  accountNumber: r.number,
  name: r.name,
  kind: r.kind as AccountKind,
  ownerId: r.owner_id,
  accountFunction: r.account_function,
  art: r.art,
  at,
  balanceOere: oere(r.balance),
  debitOere: oere(r.debit),
  creditOere: oere(r.credit),
  postingCount: r.posting_count,
});

/** Balances at a point in time and the trial balance, from postings (sql/*.sql.ts). */
@Injectable()
export class BalanceService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get db() {
    return this.txHost.tx;
  }

  async accountBalance(principal: Principal, accountId: string, at: string | null): Promise<BalanceView> {
    const owner = readableOwner(principal);
    const [row]: BalanceRow[] = await this.db.query(BALANCES_SQL, [[accountId], owner, at]);
    if (!row) throw notFound('account');
    return toBalance(row, at);
  }

  async ownerBalances(principal: Principal, ownerId: string, at: string | null): Promise<OwnerBalancesView> {
    const owner = readableOwner(principal, ownerId)!;
    const rows: BalanceRow[] = await this.db.query(BALANCES_SQL, [null, owner, at]);
    if (!rows.length) throw notFound('ledger owner');
    const accounts = rows.map((r) => toBalance(r, at));
    return { ownerId: owner, at, accounts, totalOere: oere(rows.reduce((s, r) => s + BigInt(r.balance), 0n).toString()) };
  }

  async trialBalance(principal: Principal, period: string, ownerId: string | null): Promise<TrialBalanceView> {
    const owner = readableOwner(principal, ownerId);
    const rows: TrialBalanceRow[] = await this.db.query(TRIAL_BALANCE_SQL, [`${period}-01`, owner]);
    const total = (pick: (r: TrialBalanceRow) => string) => oere(rows.reduce((s, r) => s + BigInt(pick(r)), 0n).toString());
    return {
      period,
      ownerId: owner,
      lines: rows.map((r) => ({
        accountId: r.id,
        accountNumber: r.number,
        name: r.name,
        kind: r.kind as AccountKind,
        ownerId: r.owner_id,
        accountFunction: r.account_function,
        art: r.art,
        openingOere: oere(r.opening),
        debitOere: oere(r.debit),
        creditOere: oere(r.credit),
        closingOere: oere(r.closing),
      })),
      totals: { openingOere: total((r) => r.opening), debitOere: total((r) => r.debit), creditOere: total((r) => r.credit), closingOere: total((r) => r.closing) },
    };
  }
}
