import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';
import { notFound } from 'src/platform/errors/domain-error';
import { OwnerKind } from 'src/modules/ledger/ledger.constants';
import { kroner, kronerCell, ledgerCsv } from 'src/modules/ledger/export-format';
import { ExportQuery, PostingExport, PostingExportRow, TrialBalanceExport, TrialBalanceRow } from 'src/modules/ledger/export.dto';
import { EXPORT_POSTINGS } from 'src/modules/ledger/sql/export-postings.sql';
import { EXPORT_TRIAL_BALANCE } from 'src/modules/ledger/sql/export-trial-balance.sql';

/** The API-key scope of an ERP that pulls the exports (reads only). */
export const LEDGER_EXPORT_SCOPE = 'ledger:read';

const money = (v: string) => bigintTransformer.from(v) as number;

function sum(values: number[]): number {
  return money(String(values.reduce((s, v) => s + BigInt(v), 0n)));
}

interface PostingRow {
  posting_id: string;
  entry_id: string;
  entry_date: string;
  period: string;
  kind: string;
  description: string;
  source_ref: string | null;
  account_id: string;
  account_number: string;
  account_name: string;
  account_function: string;
  art: string;
  owner_kind: OwnerKind;
  owner_id: string;
  owner_name: string;
  amount_oere: string;
}

interface BalanceRow {
  account_id: string;
  account_number: string;
  account_name: string;
  kind: string;
  account_function: string;
  art: string;
  owner_kind: OwnerKind;
  owner_id: string;
  owner_name: string;
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}

/**
 * Exports of the journal for the municipality's ERP: the month's postings and its trial balance (saldobalance),
 * each with the chart-of-accounts function, art and owner, as JSON or CSV (see export-format.ts for the CSV
 * dialect). Finance exports everything; an institution manager their own institution's accounts only.
 */
@Injectable()
export class ExportService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The owner to filter on: any for finance (and the ERP's key); an institution manager's own institution. */
  private scope(principal: Principal, ownerId: string | undefined): string | null {
    if (principal.role === 'finance') return ownerId ?? null;
    if (!principal.institutionId || (ownerId && ownerId !== principal.institutionId)) throw notFound('the owner');
    return principal.institutionId;
  }

  @Transactional()
  async postings(principal: Principal, q: ExportQuery): Promise<PostingExport> {
    const ownerId = this.scope(principal, q.ownerId);
    const rows: PostingRow[] = await this.txHost.tx.query(EXPORT_POSTINGS, [`${q.period}-01`, ownerId]);
    const items: PostingExportRow[] = rows.map((r) => ({
      postingId: r.posting_id,
      entryId: r.entry_id,
      entryDate: r.entry_date,
      period: r.period,
      entryKind: r.kind,
      description: r.description,
      sourceRef: r.source_ref,
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      accountFunction: r.account_function,
      art: r.art,
      ownerKind: r.owner_kind,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      amountOere: money(r.amount_oere),
      amountKroner: kroner(r.amount_oere),
    }));
    return { period: q.period, ownerId, count: items.length, totalOere: sum(items.map((i) => i.amountOere)), items };
  }

  @Transactional()
  async trialBalance(principal: Principal, q: ExportQuery): Promise<TrialBalanceExport> {
    const ownerId = this.scope(principal, q.ownerId);
    const rows: BalanceRow[] = await this.txHost.tx.query(EXPORT_TRIAL_BALANCE, [`${q.period}-01`, ownerId]);
    const items: TrialBalanceRow[] = rows.map((r) => ({
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      accountKind: r.kind,
      accountFunction: r.account_function,
      art: r.art,
      ownerKind: r.owner_kind,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      openingOere: money(r.opening),
      debitOere: money(r.debit),
      creditOere: money(r.credit),
      closingOere: money(r.closing),
    }));
    const totals = {
      openingOere: sum(items.map((i) => i.openingOere)),
      debitOere: sum(items.map((i) => i.debitOere)),
      creditOere: sum(items.map((i) => i.creditOere)),
      closingOere: sum(items.map((i) => i.closingOere)),
    };
    return { period: q.period, ownerId, items, totals };
  }

  /** One line per posting; amounts in øre and in kroner. */
  postingsCsv(e: PostingExport): Readable {
    const records = e.items.map((i) => ({
      posting_id: i.postingId,
      entry_id: i.entryId,
      entry_date: i.entryDate,
      period: i.period,
      entry_kind: i.entryKind,
      description: i.description,
      source_ref: i.sourceRef ?? '',
      account_number: i.accountNumber,
      account_name: i.accountName,
      account_function: i.accountFunction,
      art: i.art,
      owner_kind: i.ownerKind,
      owner_id: i.ownerId,
      owner_name: i.ownerName,
      amount_oere: i.amountOere,
      amount_kroner: kronerCell(i.amountOere),
    }));
    return ledgerCsv(records, POSTING_COLUMNS);
  }

  /** One line per account (no total line: the file is data for an import; the JSON carries the totals). */
  trialBalanceCsv(e: TrialBalanceExport): Readable {
    const records = e.items.map((i) => ({
      account_number: i.accountNumber,
      account_name: i.accountName,
      account_kind: i.accountKind,
      account_function: i.accountFunction,
      art: i.art,
      owner_kind: i.ownerKind,
      owner_id: i.ownerId,
      owner_name: i.ownerName,
      opening_oere: i.openingOere,
      debit_oere: i.debitOere,
      credit_oere: i.creditOere,
      closing_oere: i.closingOere,
      opening_kroner: kronerCell(i.openingOere),
      debit_kroner: kronerCell(i.debitOere),
      credit_kroner: kronerCell(i.creditOere),
      closing_kroner: kronerCell(i.closingOere),
    }));
    return ledgerCsv(records, TRIAL_BALANCE_COLUMNS);
  }
}

export const POSTING_COLUMNS = [
  'posting_id',
  'entry_id',
  'entry_date',
  'period',
  'entry_kind',
  'description',
  'source_ref',
  'account_number',
  'account_name',
  'account_function',
  'art',
  'owner_kind',
  'owner_id',
  'owner_name',
  'amount_oere',
  'amount_kroner',
] as const;

export const TRIAL_BALANCE_COLUMNS = [
  'account_number',
  'account_name',
  'account_kind',
  'account_function',
  'art',
  'owner_kind',
  'owner_id',
  'owner_name',
  'opening_oere',
  'debit_oere',
  'credit_oere',
  'closing_oere',
  'opening_kroner',
  'debit_kroner',
  'credit_kroner',
  'closing_kroner',
] as const;
