import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { conflict, DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { decodeCursor, Page, pageOf } from 'src/platform/http/pagination';
import 'src/modules/organisation/organisation.errors';
import { CreateInstitutionDto, CreateOperatingAreaDto } from 'src/modules/organisation/create-org-unit.dto';
import { CreateMunicipalityDto } from 'src/modules/organisation/create-municipality.dto';
import { ListInstitutionsQuery, MunicipalityView, OrgUnitView } from 'src/modules/organisation/organisation.dto';
import { OrgUnitKind, PLACE_BASED_TYPES } from 'src/modules/organisation/organisation.constants';
import { rowsOf } from 'src/platform/database/rows';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import { UpdateMunicipalityDto } from 'src/modules/organisation/update-municipality.dto';
import { UpdateOrgUnitDto } from 'src/modules/organisation/update-org-unit.dto';

interface OrgUnitRow {
  id: string;
  kind: OrgUnitKind;
  municipality_id: string;
  municipality_name: string;
  is_own: boolean;
  parent_id: string | null;
  name: string;
  area_type: OrgUnitView['areaType'];
  institution_type: OrgUnitView['institutionType'];
  capacity: number | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  version: number;
}

const SELECT_UNIT = `
  SELECT u.id, u.kind, u.municipality_id, m.name AS municipality_name, m.is_own, u.parent_id, u.name, u.area_type,
         u.institution_type, u.capacity, u.street, u.postal_code, u.city, u.phone, u.email, u.version
    FROM org_unit u JOIN municipality m ON m.id = u.municipality_id`;

function toView(r: OrgUnitRow): OrgUnitView {
  return {
    id: r.id,
    kind: r.kind,
    municipalityId: r.municipality_id,
    municipalityName: r.municipality_name,
    parentId: r.parent_id,
    name: r.name,
    areaType: r.area_type,
    institutionType: r.institution_type,
    capacity: r.capacity,
    external: !r.is_own,
    address: { street: r.street, postalCode: r.postal_code, city: r.city },
    phone: r.phone,
    email: r.email,
    version: r.version,
  };
}

interface MunicipalityRow {
  id: string;
  code: string;
  name: string;
  is_own: boolean;
  version: number;
}
const toMunicipality = (r: MunicipalityRow): MunicipalityView => ({ id: r.id, code: r.code, name: r.name, isOwn: r.is_own, version: r.version });

/** Municipalities, the authority, operating areas and institutions. */
@Injectable()
export class OrgUnitService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: OutboxService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  // --- municipalities -------------------------------------------------------------------------------------

  async listMunicipalities(): Promise<MunicipalityView[]> {
    const rows: MunicipalityRow[] = await this.db.query('SELECT * FROM municipality ORDER BY is_own DESC, name, id');
    return rows.map(toMunicipality);
  }

  async getMunicipality(id: string): Promise<MunicipalityView> {
    const [row]: MunicipalityRow[] = await this.db.query('SELECT * FROM municipality WHERE id = $1', [id]);
    if (!row) throw notFound('municipality');
    return toMunicipality(row);
  }

  async ownMunicipality(): Promise<MunicipalityView> {
    const [row]: MunicipalityRow[] = await this.db.query('SELECT * FROM municipality WHERE is_own');
    if (!row) throw new DomainError('notFound', 'no own municipality is configured');
    return toMunicipality(row);
  }

  @Transactional()
  async createMunicipality(dto: CreateMunicipalityDto): Promise<MunicipalityView> {
    const [row]: MunicipalityRow[] = await this.db.query(
      'INSERT INTO municipality (code, name, is_own, version) VALUES ($1, $2, $3, 1) RETURNING *',
      [dto.code, dto.name.trim(), dto.isOwn ?? false],
    );
    await this.outbox.publish('MunicipalityCreated', { municipalityId: row.id, code: row.code, isOwn: row.is_own });
    return toMunicipality(row);
  }

  @Transactional()
  async updateMunicipality(id: string, version: number, dto: UpdateMunicipalityDto): Promise<MunicipalityView> {
    const [row] = rowsOf<MunicipalityRow>(
      await this.db.query(
        `UPDATE municipality SET name = $3, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING *`,
        [id, version, dto.name.trim()],
      ),
    );
    if (!row) await this.staleOrMissing('municipality', id);
    return toMunicipality(row);
  }

  // --- org units ------------------------------------------------------------------------------------------

  async getUnit(id: string, kind?: OrgUnitKind): Promise<OrgUnitView> {
    const [row]: OrgUnitRow[] = await this.db.query(`${SELECT_UNIT} WHERE u.id = $1 AND ($2::text IS NULL OR u.kind = $2)`, [
      id,
      kind ?? null,
    ]);
    if (!row) throw notFound(kind === 'institution' ? 'institution' : kind === 'operatingArea' ? 'operating area' : 'organisational unit');
    return toView(row);
  }

  async authority(): Promise<OrgUnitView> {
    const [row]: OrgUnitRow[] = await this.db.query(`${SELECT_UNIT} WHERE u.kind = 'authority' AND m.is_own`);
    if (!row) throw new DomainError('notFound', 'no authority is configured');
    return toView(row);
  }

  async listOperatingAreas(): Promise<OrgUnitView[]> {
    const rows: OrgUnitRow[] = await this.db.query(`${SELECT_UNIT} WHERE u.kind = 'operatingArea' ORDER BY m.is_own DESC, u.name, u.id`);
    return rows.map(toView);
  }

  async listInstitutions(q: ListInstitutionsQuery): Promise<Page<OrgUnitView>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: OrgUnitRow[] = await this.db.query(
      `${SELECT_UNIT}
        WHERE u.kind = 'institution'
          AND ($1::uuid IS NULL OR u.parent_id = $1) AND ($2::text IS NULL OR u.institution_type = $2)
          AND ($3::uuid IS NULL OR u.municipality_id = $3) AND ($4::boolean IS NULL OR m.is_own = NOT $4)
          AND ($5::text IS NULL OR u.name ILIKE '%' || $5 || '%')
          AND ($6::text IS NULL OR (lower(u.name), u.id) > ($6, $7::uuid))
        ORDER BY lower(u.name), u.id LIMIT $8`,
      [
        q.operatingAreaId ?? null,
        q.institutionType ?? null,
        q.municipalityId ?? null,
        q.external ?? null,
        q.q?.replace(/[%_\\]/g, (c) => `\\${c}`) ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        limit + 1,
      ],
    );
    const page = pageOf(rows, limit, (r) => [r.name.toLowerCase(), r.id]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  @Transactional()
  async createOperatingArea(dto: CreateOperatingAreaDto): Promise<OrgUnitView> {
    const authority = await this.authority();
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO org_unit (municipality_id, kind, parent_id, name, area_type, version)
       VALUES ($1, 'operatingArea', $2, $3, $4, 1) RETURNING id`,
      [authority.municipalityId, authority.id, dto.name.trim(), dto.areaType],
    );
    return this.getUnit(id);
  }

  @Transactional()
  async createInstitution(dto: CreateInstitutionDto): Promise<OrgUnitView> {
    const municipality = dto.municipalityId ? await this.getMunicipality(dto.municipalityId).catch(() => null) : await this.ownMunicipality();
    if (!municipality) throw ruleViolated('the municipality does not exist', '/municipalityId');
    if (municipality.isOwn && !dto.operatingAreaId)
      throw ruleViolated('an own institution belongs to an operating area', '/operatingAreaId');
    if (!municipality.isOwn && dto.operatingAreaId)
      throw ruleViolated("another municipality's institution has no operating area here", '/operatingAreaId');
    if (dto.operatingAreaId) await this.requireOperatingArea(dto.operatingAreaId);
    this.checkCapacity(dto.institutionType, dto.capacity);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO org_unit (municipality_id, kind, parent_id, name, institution_type, capacity, street, postal_code, city,
                             phone, email, version)
       VALUES ($1, 'institution', $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id`,
      [
        municipality.id,
        dto.operatingAreaId ?? null,
        dto.name.trim(),
        dto.institutionType,
        dto.capacity ?? null,
        dto.address?.street ?? null,
        dto.address?.postalCode ?? null,
        dto.address?.city ?? null,
        dto.phone ?? null,
        dto.email ?? null,
      ],
    );
    await this.outbox.publish('InstitutionCreated', { institutionId: id, municipalityId: municipality.id, external: !municipality.isOwn });
    return this.getUnit(id);
  }

  @Transactional()
  async updateUnit(id: string, kind: 'operatingArea' | 'institution', version: number, dto: UpdateOrgUnitDto): Promise<OrgUnitView> {
    const current = await this.getUnit(id, kind);
    if (kind === 'operatingArea' && (dto.operatingAreaId || dto.capacity !== undefined || dto.address || dto.phone || dto.email))
      throw ruleViolated('an operating area has only a name', '/');
    if (dto.operatingAreaId) {
      if (current.external) throw ruleViolated("another municipality's institution has no operating area here", '/operatingAreaId');
      await this.requireOperatingArea(dto.operatingAreaId);
    }
    if (dto.capacity !== undefined && current.institutionType) this.checkCapacity(current.institutionType, dto.capacity);
    const [row] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE org_unit SET
           name = coalesce($3, name), parent_id = coalesce($4, parent_id), capacity = coalesce($5, capacity),
           street = CASE WHEN $6::boolean THEN $7 ELSE street END,
           postal_code = CASE WHEN $6::boolean THEN $8 ELSE postal_code END,
           city = CASE WHEN $6::boolean THEN $9 ELSE city END,
           phone = coalesce($10, phone), email = coalesce($11, email),
           version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2 RETURNING id`,
        [
          id,
          version,
          dto.name?.trim() ?? null,
          dto.operatingAreaId ?? null,
          dto.capacity ?? null,
          dto.address !== undefined,
          dto.address?.street ?? null,
          dto.address?.postalCode ?? null,
          dto.address?.city ?? null,
          dto.phone ?? null,
          dto.email ?? null,
        ],
      ),
    );
    if (!row) await this.staleOrMissing('org_unit', id);
    return this.getUnit(id);
  }

  /** Deletes a unit that has no users, API keys or units under it. */
  @Transactional()
  async deleteUnit(id: string, kind: 'operatingArea' | 'institution'): Promise<void> {
    await this.getUnit(id, kind);
    const [usage]: { users: number; children: number; keys: number }[] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM app_user WHERE org_unit_id = $1) AS users,
              (SELECT count(*)::int FROM org_unit WHERE parent_id = $1) AS children,
              (SELECT count(*)::int FROM api_key WHERE org_unit_id = $1) AS keys`,
      [id],
    );
    if (usage.users) throw conflict(`the unit has ${usage.users} user(s); move or deactivate them first`);
    if (usage.children) throw conflict(`the unit has ${usage.children} unit(s) under it; move or delete them first`);
    if (usage.keys) throw conflict(`the unit has ${usage.keys} API key(s); remove them first`);
    await this.db.query('DELETE FROM org_unit WHERE id = $1', [id]);
  }

  private async requireOperatingArea(id: string) {
    const [row]: { kind: string }[] = await this.db.query(
      `SELECT u.kind FROM org_unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.id = $1 AND m.is_own`,
      [id],
    );
    if (!row || row.kind !== 'operatingArea') throw ruleViolated('operatingAreaId is not an operating area of this municipality', '/operatingAreaId');
  }

  private checkCapacity(type: NonNullable<OrgUnitView['institutionType']>, capacity: number | undefined | null) {
    if (PLACE_BASED_TYPES.includes(type) && (capacity === undefined || capacity === null))
      throw ruleViolated(`a ${type} institution needs a capacity (places)`, '/capacity');
  }

  private async staleOrMissing(table: 'municipality' | 'org_unit', id: string): Promise<never> {
    const [row]: { version: number }[] = await this.db.query(`SELECT version FROM ${table} WHERE id = $1`, [id]);
    if (!row) throw notFound(table === 'municipality' ? 'municipality' : 'organisational unit');
    throw new DomainError('versionMismatch', `the record was changed by someone else (now version ${row.version}); reload and retry`, [
      { pointer: '#header/If-Match', reason: 'stale version' },
    ]);
  }
}
