import { Injectable, Logger } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { AreaType, InstitutionType, Role } from 'src/modules/organisation/organisation.constants';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { UserService } from 'src/modules/organisation/user.service';

interface InstitutionSeed {
  name: string;
  type: InstitutionType;
  capacity?: number;
  street: string;
  postalCode: string;
  city: string;
}

/** Viborg's social area (DOMAIN.md §5), sized as the municipality describes it. */
const AREAS: { name: string; areaType: AreaType; institutions: InstitutionSeed[] }[] = [
  {
    name: 'Handicap',
    areaType: 'disability',
    institutions: [
      { name: 'Bostøtten Handicap', type: 'housingSupport', street: 'Prinsens Allé 5', postalCode: '8800', city: 'Viborg' },
      { name: 'Bofællesskabet Egeskoven', type: 'longTermHousing', capacity: 24, street: 'Egeskovvej 12', postalCode: '8800', city: 'Viborg' },
      { name: 'Botilbuddet Søndersø', type: 'temporaryHousing', capacity: 12, street: 'Søndersøvej 40', postalCode: '8800', city: 'Viborg' },
      { name: 'Bofællesskabet Kløvermarken', type: 'housingLikeDwelling', capacity: 18, street: 'Kløvermarken 3', postalCode: '8800', city: 'Viborg' },
      { name: 'Aflastningen Lysningen', type: 'respiteCare', capacity: 6, street: 'Lysningen 7', postalCode: '8830', city: 'Tjele' },
      { name: 'Beskyttet Værksted Viborg', type: 'shelteredEmployment', street: 'Industrivej 22', postalCode: '8800', city: 'Viborg' },
      { name: 'Aktivitetscentret Viborg', type: 'activityCentre', street: 'Vestervang 9', postalCode: '8800', city: 'Viborg' },
    ],
  },
  {
    name: 'Psykiatri',
    areaType: 'psychiatry',
    institutions: [
      { name: 'Bostøtten Psykiatri', type: 'housingSupport', street: 'Tingvej 8', postalCode: '8800', city: 'Viborg' },
      { name: 'Botilbuddet Hald Ege', type: 'longTermHousing', capacity: 16, street: 'Hald Ege Allé 2', postalCode: '8800', city: 'Viborg' },
      { name: 'Bofællesskabet Vestervang', type: 'temporaryHousing', capacity: 10, street: 'Vestervang 31', postalCode: '8800', city: 'Viborg' },
      { name: 'Værestedet Viborg', type: 'activityCentre', street: 'Sct. Mathias Gade 60', postalCode: '8800', city: 'Viborg' },
    ],
  },
  {
    name: 'Udsatte',
    areaType: 'sociallyVulnerable',
    institutions: [
      { name: 'Rusmiddelcenter Viborg', type: 'substanceAbuseTreatment', street: 'Toldboden 4', postalCode: '8800', city: 'Viborg' },
      { name: 'Forsorgscenter Viborg', type: 'homelessShelter', capacity: 52, street: 'Ll. Sct. Hans Gade 20', postalCode: '8800', city: 'Viborg' },
      { name: 'Krisecenter Viborg', type: 'womensShelter', capacity: 8, street: 'Adresse hemmelig', postalCode: '8800', city: 'Viborg' },
      { name: 'Housing First-teamet', type: 'housingSupport', street: 'Toldboden 4', postalCode: '8800', city: 'Viborg' },
      { name: 'Støtte- og kontaktpersonordningen', type: 'contactPerson', street: 'Toldboden 4', postalCode: '8800', city: 'Viborg' },
    ],
  },
];

const NEIGHBOURS: { code: string; name: string; institutions: InstitutionSeed[] }[] = [
  { code: '779', name: 'Skive Kommune', institutions: [{ name: 'Botilbuddet Skovbrynet', type: 'longTermHousing', capacity: 30, street: 'Skovbrynet 1', postalCode: '7800', city: 'Skive' }] },
  { code: '740', name: 'Silkeborg Kommune', institutions: [{ name: 'Forsorgshjemmet Silkeborg', type: 'homelessShelter', capacity: 40, street: 'Vestergade 50', postalCode: '8600', city: 'Silkeborg' }] },
  { code: '661', name: 'Holstebro Kommune', institutions: [{ name: 'Bocenter Holstebro', type: 'temporaryHousing', capacity: 20, street: 'Lægårdvej 90', postalCode: '7500', city: 'Holstebro' }] },
  { code: '730', name: 'Randers Kommune', institutions: [] },
];

/** One demo user per role; the username is the role's name. */
const DEMO_USERS: { role: Role; displayName: string; unit: 'authority' | 'Bostøtten Handicap' }[] = [
  { role: 'caseworker', displayName: 'Sara Sagsbehandler', unit: 'authority' },
  { role: 'panelMember', displayName: 'Peter Visitationsudvalg', unit: 'authority' },
  { role: 'providerStaff', displayName: 'Mette Medarbejder', unit: 'Bostøtten Handicap' },
  { role: 'institutionManager', displayName: 'Lars Tilbudsleder', unit: 'Bostøtten Handicap' },
  { role: 'finance', displayName: 'Økonomi Ørsted', unit: 'authority' },
  { role: 'admin', displayName: 'Anna Administrator', unit: 'authority' },
  { role: 'auditor', displayName: 'Dorte Databeskyttelse', unit: 'authority' },
];

export const DEMO_ROLES = DEMO_USERS.map((u) => u.role);

/** Seeds the demo organisation and users into an empty database (never in production). */
@Injectable()
export class DemoSeed {
  private readonly logger = new Logger('seed');

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly units: OrgUnitService,
    private readonly users: UserService,
    private readonly config: AppConfig,
  ) {}

  /** Returns false (and does nothing) when the database already has an organisation. */
  @Transactional()
  async run(): Promise<boolean> {
    if (this.config.NODE_ENV === 'production') throw new Error('demo data is never seeded in production');
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock(7417002)');
    const [{ n }]: { n: number }[] = await this.txHost.tx.query('SELECT count(*)::int AS n FROM municipality');
    if (n > 0) return false;
    const viborg = await this.units.createMunicipality({ code: '791', name: 'Viborg Kommune', isOwn: true });
    const [authority]: { id: string }[] = await this.txHost.tx.query(
      `INSERT INTO org_unit (municipality_id, kind, name, street, postal_code, city, version)
       VALUES ($1, 'authority', 'Socialafdelingen', 'Prinsens Allé 5', '8800', 'Viborg', 1) RETURNING id`,
      [viborg.id],
    );
    const byName = new Map<string, string>();
    for (const area of AREAS) {
      const a = await this.units.createOperatingArea({ name: area.name, areaType: area.areaType });
      for (const i of area.institutions) {
        const unit = await this.units.createInstitution({
          name: i.name,
          institutionType: i.type,
          operatingAreaId: a.id,
          capacity: i.capacity,
          address: { street: i.street, postalCode: i.postalCode, city: i.city },
        });
        byName.set(i.name, unit.id);
      }
    }
    for (const m of NEIGHBOURS) {
      const municipality = await this.units.createMunicipality({ code: m.code, name: m.name });
      for (const i of m.institutions)
        await this.units.createInstitution({
          name: i.name,
          institutionType: i.type,
          municipalityId: municipality.id,
          capacity: i.capacity,
          address: { street: i.street, postalCode: i.postalCode, city: i.city },
        });
    }
    for (const u of DEMO_USERS)
      await this.users.create(null, {
        username: u.role,
        displayName: u.displayName,
        role: u.role,
        orgUnitId: u.unit === 'authority' ? authority.id : byName.get(u.unit)!,
        password: this.config.DEMO_PASSWORD,
      });
    this.logger.log('seeded the demo organisation (Viborg Kommune) and one user per role');
    return true;
  }
}
