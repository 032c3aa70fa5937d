import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import argon2 from 'argon2';
import { Principal } from 'src/platform/auth/principal';
import { assertInstitutionScope } from 'src/platform/auth/scope';
import { DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, Page, pageOf } from 'src/platform/http/pagination';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import 'src/modules/organisation/organisation.errors';
import { CreateUserDto } from 'src/modules/organisation/create-user.dto';
import { ListUsersQuery, MeView, UserView } from 'src/modules/organisation/organisation.dto';
import { INSTITUTION_ROLES, Role } from 'src/modules/organisation/organisation.constants';
import { rowsOf } from 'src/platform/database/rows';
import { UpdateUserDto } from 'src/modules/organisation/update-user.dto';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  org_unit_id: string;
  org_unit_name: string;
  org_unit_kind: string;
  external_subject: string | null;
  active: boolean;
  locked_at: Date | null;
  created_at: Date;
  version: number;
}

export const SELECT_USER = `
  SELECT u.id, u.username, u.display_name, u.email, u.role, u.org_unit_id, o.name AS org_unit_name,
         o.kind AS org_unit_kind, u.external_subject, u.active, u.locked_at, u.created_at, u.version
    FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id`;

function toView(r: UserRow): UserView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    email: r.email,
    role: r.role,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    externalSubject: r.external_subject,
    active: r.active,
    locked: r.locked_at !== null,
    lockedAt: r.locked_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

/**
 * User accounts. Administrators manage everyone; an institution manager manages the providerStaff of their
 * own institution and sees only its users.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: OutboxService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  async list(principal: Principal, q: ListUsersQuery): Promise<Page<UserView>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const orgUnitId = principal.institutionId ?? q.orgUnitId ?? null;
    if (principal.institutionId && q.orgUnitId && q.orgUnitId !== principal.institutionId) return { items: [], nextCursor: null };
    const rows: UserRow[] = await this.db.query(
      `${SELECT_USER}
        WHERE ($1::uuid IS NULL OR u.org_unit_id = $1) AND ($2::text IS NULL OR u.role = $2)
          AND ($3::boolean IS NULL OR (u.locked_at IS NOT NULL) = $3)
          AND ($4::text IS NULL OR u.username ILIKE '%' || $4 || '%' OR u.display_name ILIKE '%' || $4 || '%')
          AND ($5::text IS NULL OR (lower(u.username), u.id) > ($5, $6::uuid))
        ORDER BY lower(u.username), u.id LIMIT $7`,
      [orgUnitId, q.role ?? null, q.locked ?? null, q.q?.replace(/[%_\\]/g, (c) => `\\${c}`) ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (r) => [r.username.toLowerCase(), r.id]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<UserView> {
    const [row]: UserRow[] = await this.db.query(`${SELECT_USER} WHERE u.id = $1`, [id]);
    if (!row) throw notFound('user');
    assertInstitutionScope(principal, row.org_unit_id, 'user');
    return toView(row);
  }

  async me(principal: Principal): Promise<MeView> {
    const view = await this.get(principal, principal.id);
    return { ...view, institutionId: principal.institutionId };
  }

  /** Creates a user; `principal` null is the system itself (the demo seed). */
  @Transactional()
  async create(principal: Principal | null, dto: CreateUserDto): Promise<UserView> {
    if (principal) this.checkManagerMayAssign(principal, dto.role, dto.orgUnitId);
    if (!dto.password && !dto.externalSubject)
      throw ruleViolated('give a password (built-in log-in) or an externalSubject (identity broker)', '/password');
    await this.checkRoleFitsUnit(dto.role, dto.orgUnitId);
    const passwordHash = dto.password ? await hashPassword(dto.password) : null;
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO app_user (username, display_name, email, role, org_unit_id, password_hash, external_subject, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id`,
      [dto.username, dto.displayName.trim(), dto.email ?? null, dto.role, dto.orgUnitId, passwordHash, dto.externalSubject ?? null],
    );
    await this.outbox.publish('UserCreated', {
      userId: id,
      username: dto.username,
      role: dto.role,
      orgUnitId: dto.orgUnitId,
      createdBy: principal?.kind === 'user' ? principal.id : null,
    });
    const [row]: UserRow[] = await this.db.query(`${SELECT_USER} WHERE u.id = $1`, [id]);
    return toView(row);
  }

  @Transactional()
  async update(principal: Principal, id: string, version: number, dto: UpdateUserDto): Promise<UserView> {
    const current = await this.get(principal, id);
    const role = dto.role ?? current.role;
    const orgUnitId = dto.orgUnitId ?? current.orgUnitId;
    this.checkManagerMayAssign(principal, role, orgUnitId);
    if (principal.id === id && dto.active === false) throw ruleViolated('you cannot deactivate your own account', '/active');
    if (principal.id === id && dto.role && dto.role !== current.role) throw ruleViolated('you cannot change your own role', '/role');
    if (dto.role || dto.orgUnitId) await this.checkRoleFitsUnit(role, orgUnitId);
    const [row] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE app_user SET display_name = coalesce($3, display_name), email = coalesce($4, email), role = $5,
                org_unit_id = $6, active = coalesce($7, active), external_subject = coalesce($8, external_subject),
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, version, dto.displayName?.trim() ?? null, dto.email ?? null, role, orgUnitId, dto.active ?? null, dto.externalSubject ?? null],
      ),
    );
    if (!row) throw this.stale();
    return this.get(principal, id);
  }

  /** Lifts a lock from repeated failed log-ins and records the cause; earlier failures no longer count. */
  @Transactional()
  async unlock(principal: Principal, id: string, reason: string): Promise<UserView> {
    const user = await this.get(principal, id);
    await this.db.query(
      'INSERT INTO account_unlock (user_id, unlocked_by, reason, locked_at) VALUES ($1, $2, $3, $4)',
      [id, principal.kind === 'user' ? principal.id : null, reason.trim(), user.lockedAt],
    );
    await this.db.query(
      `UPDATE app_user SET locked_at = NULL, failures_reset_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
    return this.get(principal, id);
  }

  @Transactional()
  async setPassword(principal: Principal, id: string, password: string): Promise<void> {
    const user = await this.get(principal, id);
    if (principal.role !== 'admin' && user.role !== 'providerStaff') throw notFound('user');
    await this.db.query(`UPDATE app_user SET password_hash = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
      id,
      await hashPassword(password),
    ]);
  }

  @Transactional()
  async changeOwnPassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const [row]: { password_hash: string | null }[] = await this.db.query('SELECT password_hash FROM app_user WHERE id = $1', [principal.id]);
    if (!row?.password_hash) throw ruleViolated('this account logs in through the identity broker', '/currentPassword');
    if (!(await argon2.verify(row.password_hash, currentPassword)))
      throw new DomainError('ruleViolated', 'the current password is wrong', [{ pointer: '/currentPassword', reason: 'wrong password' }]);
    await this.db.query(`UPDATE app_user SET password_hash = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
      principal.id,
      await hashPassword(newPassword),
    ]);
  }

  /** An institution manager may give only providerStaff accounts, and only in their own institution. */
  private checkManagerMayAssign(principal: Principal, role: Role, orgUnitId: string) {
    if (principal.role === 'admin') return;
    if (role !== 'providerStaff') throw new DomainError('forbidden', 'an institution manager can only manage providerStaff accounts');
    if (orgUnitId !== principal.institutionId) throw ruleViolated('staff can only be placed in your own institution', '/orgUnitId');
  }

  private async checkRoleFitsUnit(role: Role, orgUnitId: string) {
    const [unit]: { kind: string; is_own: boolean }[] = await this.db.query(
      'SELECT u.kind, m.is_own FROM org_unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.id = $1',
      [orgUnitId],
    );
    if (!unit) throw ruleViolated('the organisational unit does not exist', '/orgUnitId');
    if (!unit.is_own) throw ruleViolated("users belong to this municipality's units", '/orgUnitId');
    if (INSTITUTION_ROLES.includes(role) !== (unit.kind === 'institution'))
      throw ruleViolated(
        INSTITUTION_ROLES.includes(role) ? `a ${role} belongs to an institution` : `a ${role} does not belong to an institution`,
        '/orgUnitId',
      );
    if ((role === 'caseworker' || role === 'panelMember') && unit.kind !== 'authority')
      throw ruleViolated(`a ${role} belongs to the authority (myndighed)`, '/orgUnitId');
  }

  private stale() {
    return new DomainError('versionMismatch', 'the user was changed by someone else; reload and retry', [
      { pointer: '#header/If-Match', reason: 'stale version' },
    ]);
  }
}
