import { Injectable } from '@nestjs/common';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import { JournalWriter, NewEntry } from 'src/modules/ledger/journal-writer';
import { EntryKind } from 'src/modules/ledger/ledger.constants';
import { EntryPage, EntryView, ListEntriesQuery, PostEntryDto, ReverseEntryDto } from 'src/modules/ledger/ledger.dto';
import { oere, readableOwner } from 'src/modules/ledger/ledger-access';

const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,200}$/;

interface EntryRow {
  id: string;
  entry_date: string;
  period: string;
  kind: EntryKind;
  description: string;
  source_ref: string | null;
  idempotency_key: string;
  reverses_entry_id: string | null;
  reversed_by: string | null;
  created_by: string | null;
  created_at: Date;
}
interface PostingRow {
  id: string;
  entry_id: string;
  account_id: string;
  number: string;
  owner_id: string;
  amount_oere: string;
}

const SELECT_ENTRY = `
  SELECT e.id, e.entry_date::text AS entry_date, e.period::text AS period, e.kind, e.description, e.source_ref,
         e.idempotency_key, e.reverses_entry_id, r.id AS reversed_by, e.created_by, e.created_at
    FROM journal_entry e LEFT JOIN journal_entry r ON r.reverses_entry_id = e.id`;

/** The result of a POST: the entry, and whether it was written now (201) or is the original of a replay (200). */
export interface Posted {
  entry: EntryView;
  replayed: boolean;
}

export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key)
    throw new DomainError('idempotencyKeyMissing', 'this request needs an Idempotency-Key header', [{ pointer: '#header/Idempotency-Key', reason: 'required' }]);
  if (!KEY_FORMAT.test(key))
    throw new DomainError('badRequest', 'Idempotency-Key must be 8-200 characters of letters, digits, . _ : -', [
      { pointer: '#header/Idempotency-Key', reason: 'invalid format' },
    ]);
  return key;
}

/**
 * Journal entries over HTTP. The Idempotency-Key header is the entry's own idempotency key, so the ledger's
 * guarantee (one entry per key; the same content returns it, other content is 409) is the API's too, across
 * API processes and whoever sends it. Same-key requests are serialised by a transaction-scoped advisory lock
 * on the key: the second waits for the first to commit and then finds its entry.
 */
@Injectable()
export class JournalService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly writer: JournalWriter,
    private readonly clock: Clock,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  private lockKey(key: string) {
    return this.db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [`journal-entry:${key}`]);
  }

  post(principal: Principal, key: string, dto: PostEntryDto): Promise<Posted> {
    return this.txHost.withTransaction(Propagation.Required, async () => {
      await this.lockKey(key);
      const entry: NewEntry = {
        entryDate: dto.entryDate,
        kind: dto.kind,
        description: dto.description,
        sourceRef: dto.sourceRef ?? null,
        idempotencyKey: key,
        postings: dto.postings.map((p) => ({ accountId: p.accountId, amountOere: p.amountOere })),
      };
      const [posted] = await this.writer.post([entry], actorOf(principal));
      return { entry: await this.load(posted.id), replayed: posted.replayed };
    });
  }

  /**
   * A reversing entry: every posting of the original negated, on entryDate (default today), kind reversal.
   * An entry is reversed once (409); a reversal is not reversed (422: post the entry again instead).
   */
  reverse(principal: Principal, id: string, key: string, dto: ReverseEntryDto): Promise<Posted> {
    return this.txHost.withTransaction(Propagation.Required, async () => {
      await this.lockKey(key);
      const [prior]: { id: string; reverses_entry_id: string | null; entry_date: string; description: string }[] = await this.db.query(
        'SELECT id, reverses_entry_id, entry_date::text AS entry_date, description FROM journal_entry WHERE idempotency_key = $1',
        [key],
      );
      if (prior) {
        // A retry: the same key for the reversal of the same entry (with no other date or text) is that reversal.
        if (prior.reverses_entry_id !== id || (dto.entryDate && dto.entryDate !== prior.entry_date) || (dto.description && dto.description !== prior.description))
          throw new DomainError('idempotencyKeyReused', `the idempotency key ${key} was used for another entry`, [
            { pointer: '#header/Idempotency-Key', reason: 'already used for another request' },
          ]);
        return { entry: await this.load(prior.id), replayed: true };
      }
      // Entries cannot be row-locked by the app role (FOR UPDATE needs the UPDATE privilege it lacks): reversals
      // of one entry are serialised by an advisory lock on it, and uq_journal_entry_reverses is the backstop.
      await this.db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [`journal-reversal:${id}`]);
      const original = await this.get(principal, id);
      if (original.kind === 'reversal') throw ruleViolated('a reversal is not reversed: post the entry again instead', '/');
      if (original.reversedByEntryId) throw conflict(`the entry is reversed already (by ${original.reversedByEntryId})`);
      const entry: NewEntry = {
        entryDate: dto.entryDate ?? danishDate(this.clock.now()),
        kind: 'reversal',
        description: dto.description ?? `Tilbageførsel: ${original.description}`.slice(0, 500),
        sourceRef: original.sourceRef,
        idempotencyKey: key,
        reversesEntryId: original.id,
        postings: original.postings.map((p) => ({ accountId: p.accountId, amountOere: -p.amountOere })),
      };
      const [posted] = await this.writer.post([entry], actorOf(principal));
      return { entry: await this.load(posted.id), replayed: posted.replayed };
    });
  }

  /** An entry with its postings; an institution manager sees only entries touching their institution (else 404). */
  async get(principal: Principal, id: string): Promise<EntryView> {
    const owner = readableOwner(principal);
    const [row]: EntryRow[] = await this.db.query(
      `${SELECT_ENTRY} WHERE e.id = $1
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM posting p JOIN ledger_account a ON a.id = p.account_id WHERE p.entry_id = e.id AND a.owner_id = $2))`,
      [id, owner],
    );
    if (!row) throw notFound('journal entry');
    return (await this.withPostings([row]))[0];
  }

  private async load(id: string): Promise<EntryView> {
    const [row]: EntryRow[] = await this.db.query(`${SELECT_ENTRY} WHERE e.id = $1`, [id]);
    return (await this.withPostings([row]))[0];
  }

  /** Newest first (entry date, then id), filtered by account, owner and month; postings in one more query. */
  async list(principal: Principal, q: ListEntriesQuery): Promise<EntryPage> {
    const owner = readableOwner(principal, q.ownerId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: EntryRow[] = await this.db.query(
      `${SELECT_ENTRY}
        WHERE ($1::date IS NULL OR e.period = $1)
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM posting p WHERE p.entry_id = e.id AND p.account_id = $2))
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM posting p JOIN ledger_account a ON a.id = p.account_id WHERE p.entry_id = e.id AND a.owner_id = $3))
          AND ($4::date IS NULL OR (e.entry_date, e.id) < ($4::date, $5::uuid))
        ORDER BY e.entry_date DESC, e.id DESC LIMIT $6`,
      [q.period ? `${q.period}-01` : null, q.accountId ?? null, owner, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.entry_date, r.id]);
    return { items: await this.withPostings(page.items), nextCursor: page.nextCursor };
  }

  private async withPostings(rows: EntryRow[]): Promise<EntryView[]> {
    if (!rows.length) return [];
    const postings: PostingRow[] = await this.db.query(
      `SELECT p.id::text AS id, p.entry_id, p.account_id, a.number, a.owner_id, p.amount_oere::text AS amount_oere
         FROM posting p JOIN ledger_account a ON a.id = p.account_id
        WHERE p.entry_id = ANY($1::uuid[]) ORDER BY p.id`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      entryDate: r.entry_date,
      period: r.period.slice(0, 7),
      kind: r.kind,
      description: r.description,
      sourceRef: r.source_ref,
      idempotencyKey: r.idempotency_key,
      reversesEntryId: r.reverses_entry_id,
      reversedByEntryId: r.reversed_by,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
      postings: postings
        .filter((p) => p.entry_id === r.id)
        .map((p) => ({ id: oere(p.id), accountId: p.account_id, accountNumber: p.number, ownerId: p.owner_id, amountOere: oere(p.amount_oere) })),
    }));
  }
}

/** created_by is a user id; an API key's postings are attributed to no user (the key's name is in the logs). */
const actorOf = (principal: Principal) => (principal.kind === 'user' ? principal.id : null);
