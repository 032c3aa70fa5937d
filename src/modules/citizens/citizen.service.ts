import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService, AccessRecord } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, pageOf } from 'src/platform/http/pagination';
import 'src/modules/citizens/citizens.errors';
import { CITIZEN_READ_ROLES, CPR_REVEAL_ROLES, Purpose, SELF_REFERRAL_REGISTRARS } from 'src/modules/citizens/citizens.constants';
import { CitizenPage, CitizenView, ListCitizensQuery } from 'src/modules/citizens/citizens.dto';
import { formatCpr, maskedCpr, parseCpr } from 'src/modules/citizens/cpr';
import { CprCipher } from 'src/modules/citizens/cpr-cipher';
import { CreateAnonymousClientDto, CreateCitizenDto, UpdateCitizenDto } from 'src/modules/citizens/create-citizen.dto';
import { SearchCitizensDto } from 'src/modules/citizens/search-citizens.dto';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';

export interface CitizenRow {
  id: string;
  anonymous: boolean;
  birth_date: string | null;
  pseudonym: string | null;
  name: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  acting_municipality_id: string;
  paying_municipality_id: string;
  created_at: Date;
  version: number;
  sort_key: string;
}

/** Never the ciphertext: only a reveal reads it, on its own. */
const SELECT_CITIZEN = `
  SELECT c.id, c.anonymous, c.birth_date::text AS birth_date, c.pseudonym, c.name, c.street, c.postal_code, c.city, c.phone,
         c.email, c.acting_municipality_id, c.paying_municipality_id, c.created_at, c.version,
         lower(coalesce(c.name, c.pseudonym)) AS sort_key
    FROM citizen c`;

const PSEUDONYM_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

function newPseudonym(): string {
  return `ANON-${[...randomBytes(8)].map((b) => PSEUDONYM_ALPHABET[b % 32]).join('')}`;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/**
 * Borgere. Every read, search and change writes the access log in the same transaction; the CPR number is
 * encrypted at rest, found by its keyed hash and shown masked unless an allowed role asks to see it.
 */
@Injectable()
export class CitizenService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly cipher: CprCipher,
    private readonly accessLog: AccessLogService,
    private readonly units: OrgUnitService,
    private readonly standards: QualityStandardService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  private institutionVisibility: (citizenId: string, institutionId: string) => Promise<boolean> = () => Promise.resolve(false);

  /**
   * The visitation context, which owns orders, tells which citizens an institution may see (an order there,
   * active or recently ended). Until it registers, no citizen is visible to an institution.
   */
  setInstitutionVisibility(check: (citizenId: string, institutionId: string) => Promise<boolean>): void {
    this.institutionVisibility = check;
  }

  /** Institution staff read a citizen only while the citizen has an order at their institution (and a set time after). */
  visibleToInstitution(citizenId: string, institutionId: string): Promise<boolean> {
    return this.institutionVisibility(citizenId, institutionId);
  }

  /** The citizen, or 404 when it does not exist or is outside the caller's scope (the two look the same). */
  async requireVisible(principal: Principal, id: string): Promise<CitizenRow> {
    if (!CITIZEN_READ_ROLES.includes(principal.role)) throw notFound('citizen');
    if (principal.institutionId && !(await this.visibleToInstitution(id, principal.institutionId))) throw notFound('citizen');
    const [row]: CitizenRow[] = await this.db.query(`${SELECT_CITIZEN} WHERE c.id = $1`, [id]);
    if (!row) throw notFound('citizen');
    return row;
  }

  /** Locks the citizen's row: inquiries of one citizen are handled one at a time (open or join a case). */
  async lock(principal: Principal, id: string): Promise<CitizenRow> {
    const row = await this.requireVisible(principal, id);
    await this.db.query('SELECT 1 FROM citizen WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, dto: CreateCitizenDto): Promise<CitizenView> {
    const id = await this.insertCitizen(principal, purpose, dto);
    return this.view(await this.requireVisible(principal, id), null);
  }

  /** An anonymous client for a service whose standard in force allows it (SEL § 101 a, SUL § 141, § 99). */
  @Transactional()
  async createAnonymous(principal: Principal, purpose: Purpose, dto: CreateAnonymousClientDto): Promise<CitizenView> {
    const id = await this.insertAnonymous(principal, purpose, dto);
    return this.view(await this.requireVisible(principal, id), null);
  }

  /**
   * A selvmøder (§ 109/§ 110) walks in: the boform's leader registers the citizen while admitting them, which is
   * the one way an institution manager creates a citizen (the citizens API stays the authority's). A CPR number
   * already known returns that citizen (the same person, not a new record); an anonymous client only where the
   * standard allows it. Returns the id only: the caller's admission is what makes the citizen visible to the
   * institution. The caller runs this in the admission's transaction.
   */
  async registerAtSelfReferral(
    principal: Principal,
    purpose: Purpose,
    input: { kind: 'cpr'; dto: CreateCitizenDto } | { kind: 'anonymous'; dto: CreateAnonymousClientDto },
  ): Promise<{ id: string; created: boolean }> {
    if (!SELF_REFERRAL_REGISTRARS.includes(principal.role)) throw new DomainError('forbidden', 'only the boform\'s leader (or the authority) registers a selvmøder');
    if (input.kind === 'anonymous') return { id: await this.insertAnonymous(principal, purpose, input.dto), created: true };
    const cpr = parseCpr(input.dto.cpr);
    if (cpr) {
      const [known]: { id: string }[] = await this.db.query('SELECT id FROM citizen WHERE cpr_hash = $1', [this.cipher.hash(cpr.digits)]);
      if (known) {
        await this.accessLog.record(principal, { action: 'read', objectType: 'citizen', objectId: known.id, citizenId: known.id, purpose });
        return { id: known.id, created: false };
      }
    }
    return { id: await this.insertCitizen(principal, purpose, input.dto), created: true };
  }

  private async insertCitizen(principal: Principal, purpose: Purpose, dto: CreateCitizenDto): Promise<string> {
    const cpr = parseCpr(dto.cpr);
    if (!cpr) throw new DomainError('validationFailed', 'cpr is not a CPR number', [{ pointer: '/cpr', reason: 'not a CPR number' }]);
    if (cpr.birthDate > this.today())
      throw new DomainError('validationFailed', 'cpr: the birth date lies in the future', [{ pointer: '/cpr', reason: 'birth date in the future' }]);
    const { acting, paying } = await this.municipalities(dto.actingMunicipalityId, dto.payingMunicipalityId);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO citizen (anonymous, cpr_encrypted, cpr_hash, birth_date, name, street, postal_code, city, phone, email,
                            acting_municipality_id, paying_municipality_id, created_by, version)
       VALUES (false, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) RETURNING id`,
      [
        this.cipher.encrypt(cpr.digits),
        this.cipher.hash(cpr.digits),
        cpr.birthDate,
        dto.name.trim(),
        dto.address?.street?.trim() ?? null,
        dto.address?.postalCode ?? null,
        dto.address?.city?.trim() ?? null,
        dto.phone ?? null,
        dto.email ?? null,
        acting,
        paying,
        principal.kind === 'user' ? principal.id : null,
      ],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'citizen', objectId: id, citizenId: id, purpose });
    return id;
  }


  private async insertAnonymous(principal: Principal, purpose: Purpose, dto: CreateAnonymousClientDto): Promise<string> {
    const standard = await this.standards.inForce(dto.serviceCode, this.today()).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated(`no version of ${dto.serviceCode} is in force`, '/serviceCode');
      throw err;
    });
    if (!standard.anonymousAllowed) throw ruleViolated(`${dto.serviceCode} is not given to anonymous clients`, '/serviceCode');
    const { acting, paying } = await this.municipalities(dto.actingMunicipalityId, dto.payingMunicipalityId);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO citizen (anonymous, pseudonym, name, acting_municipality_id, paying_municipality_id, created_by, version)
       VALUES (true, $1, $2, $3, $4, $5, 1) RETURNING id`,
      [newPseudonym(), dto.alias?.trim() ?? null, acting, paying, principal.kind === 'user' ? principal.id : null],
    );
    await this.accessLog.record(principal, { action: 'create', objectType: 'citizen', objectId: id, citizenId: id, purpose });
    return id;
  }

  /** One citizen; with `reveal` the CPR number in clear, for the roles that may see it (logged as a reveal). */
  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string, reveal: boolean): Promise<CitizenView> {
    const row = await this.requireVisible(principal, id);
    if (reveal && !CPR_REVEAL_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'your role may not see CPR numbers in clear');
    const records: AccessRecord[] = [{ action: 'read', objectType: 'citizen', objectId: id, citizenId: id, purpose }];
    let clear: string | null = null;
    if (reveal && !row.anonymous) {
      const [{ cpr_encrypted }]: { cpr_encrypted: Buffer }[] = await this.db.query('SELECT cpr_encrypted FROM citizen WHERE id = $1', [id]);
      clear = formatCpr(this.cipher.decrypt(cpr_encrypted));
      records.push({ action: 'reveal', objectType: 'citizen', objectId: id, citizenId: id, purpose });
    }
    await this.accessLog.record(principal, ...records);
    return this.view(row, clear);
  }

  /** Citizens by name (anonymous clients by alias or pseudonym); every one listed is logged as read. */
  @Transactional()
  async list(principal: Principal, purpose: Purpose, q: ListCitizensQuery): Promise<CitizenPage> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: CitizenRow[] = await this.db.query(
      `${SELECT_CITIZEN}
        WHERE ($1::uuid IS NULL OR c.acting_municipality_id = $1) AND ($2::boolean IS NULL OR c.anonymous = $2)
          AND ($3::text IS NULL OR (lower(coalesce(c.name, c.pseudonym)), c.id) > ($3, $4::uuid))
        ORDER BY lower(coalesce(c.name, c.pseudonym)), c.id LIMIT $5`,
      [q.actingMunicipalityId ?? null, q.anonymous ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return this.logged(principal, purpose, rows, limit, []);
  }

  /**
   * By exact CPR number (its keyed hash) or part of the name. The search is logged with its criteria, the
   * CPR number replaced by its keyed hash; every citizen found is logged as read.
   */
  @Transactional()
  async search(principal: Principal, headerPurpose: Purpose, dto: SearchCitizensDto): Promise<CitizenPage> {
    if ((dto.cpr === undefined) === (dto.name === undefined))
      throw new DomainError('validationFailed', 'give exactly one of cpr and name', [{ pointer: dto.cpr === undefined ? '/name' : '/cpr', reason: 'give exactly one of cpr and name' }]);
    const purpose = dto.purpose ?? headerPurpose;
    const limit = dto.limit ?? 50;
    const after = decodeCursor(dto.cursor, 2) as [string, string] | null;
    let criteria: Record<string, unknown>;
    let rows: CitizenRow[];
    if (dto.cpr !== undefined) {
      const cprHash = this.cipher.hash(parseCpr(dto.cpr)!.digits);
      criteria = { cprHash };
      rows = await this.db.query(`${SELECT_CITIZEN} WHERE c.cpr_hash = $1`, [cprHash]);
    } else {
      const name = dto.name!.trim();
      criteria = { name };
      rows = await this.db.query(
        `${SELECT_CITIZEN}
          WHERE lower(coalesce(c.name, c.pseudonym)) LIKE '%' || lower($1) || '%'
            AND ($2::text IS NULL OR (lower(coalesce(c.name, c.pseudonym)), c.id) > ($2, $3::uuid))
          ORDER BY lower(coalesce(c.name, c.pseudonym)), c.id LIMIT $4`,
        [escapeLike(name), after?.[0] ?? null, after?.[1] ?? null, limit + 1],
      );
    }
    return this.logged(principal, purpose, rows, limit, [{ action: 'search', objectType: 'citizen', criteria, purpose }]);
  }

  @Transactional()
  async update(principal: Principal, purpose: Purpose, id: string, version: number, dto: UpdateCitizenDto): Promise<CitizenView> {
    const current = await this.requireVisible(principal, id);
    if (current.anonymous && (dto.address || dto.phone || dto.email))
      throw ruleViolated('an anonymous client has no address or contact details', dto.address ? '/address' : dto.phone ? '/phone' : '/email');
    if (dto.actingMunicipalityId) await this.municipality(dto.actingMunicipalityId, '/actingMunicipalityId');
    if (dto.payingMunicipalityId) await this.municipality(dto.payingMunicipalityId, '/payingMunicipalityId');
    const [row] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE citizen SET
           name = coalesce($3, name),
           street = CASE WHEN $4::boolean THEN $5 ELSE street END,
           postal_code = CASE WHEN $4::boolean THEN $6 ELSE postal_code END,
           city = CASE WHEN $4::boolean THEN $7 ELSE city END,
           phone = coalesce($8, phone), email = coalesce($9, email),
           acting_municipality_id = coalesce($10, acting_municipality_id),
           paying_municipality_id = coalesce($11, paying_municipality_id),
           version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2 RETURNING id`,
        [
          id,
          version,
          dto.name?.trim() ?? null,
          dto.address !== undefined,
          dto.address?.street?.trim() ?? null,
          dto.address?.postalCode ?? null,
          dto.address?.city?.trim() ?? null,
          dto.phone ?? null,
          dto.email ?? null,
          dto.actingMunicipalityId ?? null,
          dto.payingMunicipalityId ?? null,
        ],
      ),
    );
    if (!row)
      throw new DomainError('versionMismatch', `the citizen was changed by someone else (now version ${current.version}); reload and retry`, [
        { pointer: '#header/If-Match', reason: 'stale version' },
      ]);
    await this.accessLog.record(principal, { action: 'update', objectType: 'citizen', objectId: id, citizenId: id, purpose });
    return this.view(await this.requireVisible(principal, id), null);
  }

  private async logged(principal: Principal, purpose: Purpose, rows: CitizenRow[], limit: number, first: AccessRecord[]): Promise<CitizenPage> {
    const page = pageOf(rows, limit, (r) => [r.sort_key, r.id]);
    await this.accessLog.record(principal, ...first, ...page.items.map((r): AccessRecord => ({ action: 'read', objectType: 'citizen', objectId: r.id, citizenId: r.id, purpose })));
    return { items: page.items.map((r) => this.view(r, null)), nextCursor: page.nextCursor };
  }

  private async municipalities(actingId: string | undefined, payingId: string | undefined): Promise<{ acting: string; paying: string }> {
    const acting = actingId ? await this.municipality(actingId, '/actingMunicipalityId') : (await this.units.ownMunicipality()).id;
    const paying = payingId ? await this.municipality(payingId, '/payingMunicipalityId') : acting;
    return { acting, paying };
  }

  private async municipality(id: string, pointer: string): Promise<string> {
    try {
      return (await this.units.getMunicipality(id)).id;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'notFound') throw ruleViolated('the municipality does not exist', pointer);
      throw err;
    }
  }

  private today(): string {
    return danishDate(this.clock.now());
  }

  private view(r: CitizenRow, clearCpr: string | null): CitizenView {
    return {
      id: r.id,
      anonymous: r.anonymous,
      cpr: r.anonymous ? null : (clearCpr ?? maskedCpr(r.birth_date!)),
      cprRevealed: clearCpr !== null,
      pseudonym: r.pseudonym,
      name: r.name,
      address: { street: r.street, postalCode: r.postal_code, city: r.city },
      phone: r.phone,
      email: r.email,
      actingMunicipalityId: r.acting_municipality_id,
      payingMunicipalityId: r.paying_municipality_id,
      createdAt: r.created_at.toISOString(),
      version: r.version,
    };
  }
}
