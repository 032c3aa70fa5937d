import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { isDate } from 'src/platform/clock/danish-date';
import { DomainError, FieldError } from 'src/platform/errors/domain-error';
import { EntryKind } from 'src/modules/ledger/ledger.constants';

export interface NewPosting {
  accountId: string;
  /** Signed øre: debit positive, credit negative; a safe integer, never 0. */
  amountOere: number;
}

export interface NewEntry {
  entryDate: string;
  kind: EntryKind;
  description: string;
  sourceRef: string | null;
  /** Unique per entry: the same key with the same content returns the first entry; other content is 409. */
  idempotencyKey: string;
  reversesEntryId?: string | null;
  postings: NewPosting[];
}

export interface PostedEntry {
  id: string;
  idempotencyKey: string;
  /** True when the key was seen before with the same content (nothing new was written). */
  replayed: boolean;
}

/** The first day of the month a date lies in. */
export const periodOf = (date: string) => `${date.slice(0, 7)}-01`;

/** The request hash of an entry: its content, in a fixed order, so a replay with the same content matches. */
export function entryHash(e: NewEntry): string {
  const canonical = JSON.stringify([e.entryDate, e.kind, e.description, e.sourceRef, e.reversesEntryId ?? null, e.postings.map((p) => [p.accountId, p.amountOere])]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Field errors of one entry's shape (the database checks the same, as a backstop). */
export function checkEntry(e: NewEntry, pointer = ''): FieldError[] {
  const errors: FieldError[] = [];
  if (!isDate(e.entryDate)) errors.push({ pointer: `${pointer}/entryDate`, reason: 'not a calendar date' });
  if (e.postings.length < 2) errors.push({ pointer: `${pointer}/postings`, reason: 'an entry has two or more postings' });
  let sum = 0n;
  e.postings.forEach((p, i) => {
    if (!Number.isSafeInteger(p.amountOere) || p.amountOere === 0)
      errors.push({ pointer: `${pointer}/postings/${i}/amountOere`, reason: 'a non-zero whole number of øre' });
    else sum += BigInt(p.amountOere);
  });
  if (sum !== 0n && errors.length === 0) errors.push({ pointer: `${pointer}/postings`, reason: `the postings sum to ${sum} øre, not 0` });
  return errors;
}

/**
 * The ledger's one write path. Writes any number of entries with their postings in two statements (entries,
 * then all postings through unnest arrays), after checking the periods of every owner they touch under a
 * share lock (closing a period takes the row lock: a closing and a posting never interleave). Idempotent
 * per entry key. Runs in the caller's transaction.
 */
@Injectable()
export class JournalWriter {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get db() {
    return this.txHost.tx;
  }

  async post(entries: NewEntry[], actor: string | null): Promise<PostedEntry[]> {
    if (!this.txHost.isTransactionActive()) throw new Error('ledger entries are written inside a transaction');
    const errors = entries.flatMap((e, i) => checkEntry(e, entries.length > 1 ? `/entries/${i}` : ''));
    if (errors.length) throw new DomainError('ruleViolated', `the entry does not balance or is malformed: ${errors.map((e) => e.reason).join('; ')}`, errors);
    const hashes = entries.map(entryHash);

    // Replays: the same key with the same content is the entry already written.
    const keys = entries.map((e) => e.idempotencyKey);
    const seen: { id: string; idempotency_key: string; request_hash: string }[] = await this.db.query(
      'SELECT id, idempotency_key, request_hash FROM journal_entry WHERE idempotency_key = ANY($1::text[])',
      [keys],
    );
    const byKey = new Map(seen.map((r) => [r.idempotency_key, r]));
    const fresh = entries.map((e, i) => ({ e, hash: hashes[i] })).filter(({ e, hash }) => {
      const prior = byKey.get(e.idempotencyKey);
      if (prior && prior.request_hash !== hash) throw new DomainError('idempotencyKeyReused', `the idempotency key ${e.idempotencyKey} was used for another entry`);
      return !prior;
    });

    if (fresh.length) {
      const accountIds = [...new Set(fresh.flatMap(({ e }) => e.postings.map((p) => p.accountId)))];
      const accounts: { id: string; owner_id: string; active: boolean }[] = await this.db.query('SELECT id, owner_id, active FROM ledger_account WHERE id = ANY($1::uuid[])', [accountIds]);
      const unknown = accountIds.filter((id) => !accounts.some((a) => a.id === id));
      if (unknown.length) throw new DomainError('ruleViolated', `unknown account ${unknown.join(', ')}`, [{ pointer: '/postings', reason: `unknown account ${unknown[0]}` }]);
      await this.lockPeriods(fresh.map(({ e }) => e), accounts);

      const ids: { id: string; idempotency_key: string }[] = await this.db.query(
        `INSERT INTO journal_entry (entry_date, period, kind, description, source_ref, idempotency_key, request_hash, reverses_entry_id, created_by)
         SELECT d, date_trunc('month', d)::date, k, de, s, ik, h, r, $8
           FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[]) AS x(d, k, de, s, ik, h, r)
         RETURNING id, idempotency_key`,
        [
          fresh.map(({ e }) => e.entryDate),
          fresh.map(({ e }) => e.kind),
          fresh.map(({ e }) => e.description),
          fresh.map(({ e }) => e.sourceRef),
          fresh.map(({ e }) => e.idempotencyKey),
          fresh.map(({ hash }) => hash),
          fresh.map(({ e }) => e.reversesEntryId ?? null),
          actor,
        ],
      );
      const idOf = new Map(ids.map((r) => [r.idempotency_key, r.id]));
      const entryIds = fresh.map(({ e }) => idOf.get(e.idempotencyKey)!);
      const flat = fresh.flatMap(({ e }, i) => e.postings.map((p) => ({ entryId: entryIds[i], ...p, date: e.entryDate })));
      await this.db.query(
        `INSERT INTO posting (entry_id, account_id, amount_oere, entry_date, period)
         SELECT e, a, v, d, date_trunc('month', d)::date FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::date[]) AS x(e, a, v, d)`,
        [flat.map((f) => f.entryId), flat.map((f) => f.accountId), flat.map((f) => String(f.amountOere)), flat.map((f) => f.date)],
      );
      fresh.forEach(({ e }, i) => byKey.set(e.idempotencyKey, { id: entryIds[i], idempotency_key: e.idempotencyKey, request_hash: '' }));
    }
    const freshKeys = new Set(fresh.map(({ e }) => e.idempotencyKey));
    return entries.map((e) => ({ id: byKey.get(e.idempotencyKey)!.id, idempotencyKey: e.idempotencyKey, replayed: !freshKeys.has(e.idempotencyKey) }));
  }

  /**
   * Makes sure each (owner, month) touched and the area's month have a period row, then share-locks them and
   * refuses a closed one (409 periodClosed). Closing takes FOR UPDATE on the same row.
   */
  private async lockPeriods(entries: NewEntry[], accounts: { id: string; owner_id: string }[]): Promise<void> {
    const ownerOf = new Map(accounts.map((a) => [a.id, a.owner_id]));
    const [{ id: area }]: { id: string }[] = await this.db.query('SELECT id FROM municipality WHERE is_own');
    const pairs = new Set<string>();
    for (const e of entries) {
      const month = periodOf(e.entryDate);
      pairs.add(`${area}|${month}`);
      for (const p of e.postings) pairs.add(`${ownerOf.get(p.accountId)}|${month}`);
    }
    const owners = [...pairs].map((p) => p.split('|')[0]);
    const months = [...pairs].map((p) => p.split('|')[1]);
    await this.db.query(
      `INSERT INTO ledger_period (owner_id, month, status) SELECT o, m, 'open' FROM unnest($1::uuid[], $2::date[]) AS x(o, m)
       ON CONFLICT (owner_id, month) DO NOTHING`,
      [owners, months],
    );
    const closed: { owner_id: string; month: string }[] = await this.db.query(
      `SELECT lp.owner_id, lp.month::text AS month, lp.status FROM ledger_period lp
         JOIN unnest($1::uuid[], $2::date[]) AS x(o, m) ON lp.owner_id = x.o AND lp.month = x.m
        ORDER BY lp.owner_id, lp.month FOR SHARE OF lp`,
      [owners, months],
    ).then((rows: { owner_id: string; month: string; status: string }[]) => rows.filter((r) => r.status === 'closed'));
    if (closed.length)
      throw new DomainError('periodClosed', `the period ${closed[0].month.slice(0, 7)} is closed${closed[0].owner_id === area ? ' for the whole area' : ' for an account the entry touches'}`, [
        { pointer: '/entryDate', reason: 'period_closed' },
      ]);
  }
}

