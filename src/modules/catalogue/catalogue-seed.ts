import { Injectable, Logger } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { RateService } from 'src/modules/catalogue/rate.service';
import { VersionFieldsDto } from 'src/modules/catalogue/version-fields.dto';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';

type Fields = Omit<VersionFieldsDto, 'validFrom'>;

const ALL_AREAS = ['disability', 'psychiatry', 'sociallyVulnerable'];
const FFB = {
  preventive: '21dca9cf-c238-465b-9f12-15351f51b038', // Forebyggende hjælp og støtte (§§ 82 a-d)
  socioPedagogical: '1f0ff82b-3243-422f-9651-1d00fd2dcd61', // Socialpædagogisk støtte (§ 85)
  activity: 'a2256d86-1cf8-4da5-be49-1f49f4335ecb', // Aktivitet og samvær (§ 104)
  sheltered: 'd8505298-6ea5-4ca8-923d-6e4451cc9a48', // Beskyttet beskæftigelse (§ 103)
  stay: 'a1eaa022-9e5c-493c-83d3-7cc40b9df9e9', // Ophold (§§ 107-110, ABL)
};

const base = {
  scopeMin: null,
  scopeMax: null,
  maxDurationMonths: null,
  startDeadlineDays: null,
  panelApprovalRequired: false,
  leastInterventionRule: false,
  appealable: true,
  selfReferral: false,
  anonymousAllowed: false,
  belowStatePensionAgeOnly: false,
  shortNoticeCancellationChargeable: false,
  actionPlan: 'offer' as const,
  accountGroup: null,
  ffbServiceCode: null,
  ffbServiceName: null,
  localServiceCode: null,
};

/** DOMAIN.md §2: the services of the adult social area, as the municipality's catalogue. */
export const SEED_STANDARDS: { code: string; title: string; fields: Fields }[] = [
  {
    code: 'SEL-82b',
    title: 'Individuel tidsbegrænset socialpædagogisk støtte (tidlig indsats)',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '82 b', subsection: 1 },
      targetGroup: 'Voksne med begyndende psykiske eller sociale vanskeligheder, som kan forebygges med en kort, målrettet indsats.',
      purpose: 'At forebygge, at vanskelighederne vokser, så borgeren kan klare sig uden varig støtte.',
      content: 'Individuelle samtaler og praktisk støtte med konkrete mål, fx struktur i hverdagen, kontakt til myndigheder og netværk.',
      scopeUnit: 'hoursPerWeek',
      scopeMin: 0.5,
      scopeMax: 5,
      maxDurationMonths: 6,
      followUpIntervalMonths: 3,
      caseworkDeadlineDays: 14,
      settlementBasis: 'granted',
      areaTypes: ALL_AREAS,
      institutionTypes: ['housingSupport'],
      appealable: false,
      accountFunction: '5.38.38',
      ffbServiceCode: FFB.preventive,
      ffbServiceName: 'Forebyggende hjælp og støtte',
      ffbTargetGroups: ['Psykiske vanskeligheder', 'Social isolation'],
    },
  },
  {
    code: 'SEL-85',
    title: 'Socialpædagogisk støtte (bostøtte), herunder fleksibel natstøtte',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '85', subsection: 1 },
      targetGroup: 'Voksne med betydelig nedsat fysisk eller psykisk funktionsevne eller særlige sociale problemer, som bor i egen bolig.',
      purpose: 'At borgeren udvikler eller fastholder sine færdigheder og kan leve så selvstændigt som muligt i eget hjem.',
      content: 'Hjælp, omsorg, støtte og optræning i praktiske opgaver, økonomi, sundhed, sociale relationer og samfundsdeltagelse. Fleksibel natstøtte efter behov.',
      scopeUnit: 'hoursPerWeek',
      scopeMin: 0.5,
      scopeMax: 20,
      followUpIntervalMonths: 6,
      caseworkDeadlineDays: 56,
      settlementBasis: 'granted',
      areaTypes: ALL_AREAS,
      institutionTypes: ['housingSupport', 'housingLikeDwelling'],
      shortNoticeCancellationChargeable: true,
      accountFunction: '5.38.38',
      accountGroup: '004',
      ffbServiceCode: FFB.socioPedagogical,
      ffbServiceName: 'Socialpædagogisk støtte',
      ffbTargetGroups: ['Udviklingshæmning', 'Psykiske vanskeligheder', 'Autismespektrum'],
    },
  },
  {
    code: 'SEL-85a',
    title: 'Bostøtte efter Housing First-metoder (CTI, ICM, ACT)',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '85 a', subsection: 1 },
      targetGroup: 'Voksne i hjemløshed eller i risiko for hjemløshed med særlige sociale problemer.',
      purpose: 'At borgeren får og fastholder en bolig og et liv uden hjemløshed.',
      content: 'Intensiv, tidsafgrænset eller længerevarende bostøtte efter de specialiserede metoder CTI, ICM eller ACT.',
      scopeUnit: 'course',
      followUpIntervalMonths: 3,
      caseworkDeadlineDays: 28,
      settlementBasis: 'perCourse',
      areaTypes: ['sociallyVulnerable'],
      institutionTypes: ['housingSupport'],
      accountFunction: '5.38.38',
      accountGroup: '003',
      localServiceCode: 'LOK-85A',
      ffbTargetGroups: ['Hjemløshed'],
    },
  },
  {
    code: 'SEL-84',
    title: 'Aflastning',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '84', subsection: 2 },
      targetGroup: 'Voksne med nedsat funktionsevne, hvis nære pårørende passer dem, og som har brug for et midlertidigt ophold.',
      purpose: 'At aflaste de pårørende, så borgeren kan blive boende i eget hjem.',
      content: 'Midlertidigt døgnophold med pleje, omsorg og pædagogisk støtte.',
      scopeUnit: 'days',
      scopeMin: 1,
      scopeMax: 60,
      followUpIntervalMonths: 12,
      caseworkDeadlineDays: 42,
      settlementBasis: 'perDay',
      areaTypes: ['disability'],
      institutionTypes: ['respiteCare'],
      accountFunction: '5.38.52',
      localServiceCode: 'LOK-84',
      ffbTargetGroups: ['Udviklingshæmning', 'Multipel funktionsnedsættelse'],
    },
  },
  {
    code: 'SEL-99',
    title: 'Støtte- og kontaktperson',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '99' },
      targetGroup: 'Voksne med sindslidelse, stof- eller alkoholmisbrug eller særlige sociale problemer, som ikke kan opholde sig i egen bolig.',
      purpose: 'At skabe kontakt og bygge bro til det øvrige hjælpesystem.',
      content: 'Opsøgende arbejde på gaden og i boformer; støtte til kontakt med myndigheder, behandling og netværk. Kræver ingen afgørelse.',
      scopeUnit: 'outreach',
      caseworkDeadlineDays: 7,
      settlementBasis: 'perCourse',
      areaTypes: ['sociallyVulnerable', 'psychiatry'],
      institutionTypes: ['contactPerson'],
      appealable: false,
      selfReferral: true,
      anonymousAllowed: true,
      actionPlan: 'none',
      accountFunction: '5.38.53',
      localServiceCode: 'LOK-99',
      ffbTargetGroups: ['Hjemløshed', 'Stofmisbrug'],
    },
  },
  {
    code: 'SEL-103',
    title: 'Beskyttet beskæftigelse',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '103', subsection: 1 },
      targetGroup: 'Voksne under folkepensionsalderen med betydelig nedsat funktionsevne eller særlige sociale problemer, som ikke kan få eller fastholde arbejde på normale vilkår.',
      purpose: 'At give meningsfuld beskæftigelse og udvikle arbejdsmæssige færdigheder.',
      content: 'Arbejde i værksted, service eller produktion med løn efter bekendtgørelsen.',
      scopeUnit: 'daysPerWeek',
      scopeMin: 1,
      scopeMax: 5,
      followUpIntervalMonths: 6,
      caseworkDeadlineDays: 42,
      settlementBasis: 'granted',
      areaTypes: ['disability', 'psychiatry'],
      institutionTypes: ['shelteredEmployment'],
      belowStatePensionAgeOnly: true,
      accountFunction: '5.38.58',
      ffbServiceCode: FFB.sheltered,
      ffbServiceName: 'Beskyttet beskæftigelse',
      ffbTargetGroups: ['Udviklingshæmning', 'Psykiske vanskeligheder'],
    },
  },
  {
    code: 'SEL-104',
    title: 'Aktivitets- og samværstilbud',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '104' },
      targetGroup: 'Voksne med betydelig nedsat funktionsevne eller særlige sociale problemer.',
      purpose: 'At opretholde eller forbedre personlige færdigheder og livsvilkår gennem aktivitet og fællesskab.',
      content: 'Dagtilbud med aktiviteter, samvær og fællesskab; kontaktsteder og væresteder er åbne uden visitation.',
      scopeUnit: 'daysPerWeek',
      scopeMin: 1,
      scopeMax: 5,
      followUpIntervalMonths: 12,
      caseworkDeadlineDays: 42,
      settlementBasis: 'granted',
      areaTypes: ALL_AREAS,
      institutionTypes: ['activityCentre'],
      accountFunction: '5.38.59',
      ffbServiceCode: FFB.activity,
      ffbServiceName: 'Aktivitet og samvær',
      ffbTargetGroups: ['Udviklingshæmning', 'Psykiske vanskeligheder', 'Social isolation'],
    },
  },
  {
    code: 'SEL-107',
    title: 'Midlertidigt botilbud',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '107', subsection: 2 },
      targetGroup: 'Voksne med betydelig nedsat funktionsevne eller nedsat psykisk funktionsevne eller særlige sociale problemer, som har behov for omfattende hjælp eller behandling i en periode.',
      purpose: 'At borgeren gennem et midlertidigt ophold udvikler sig mod at kunne bo i egen bolig.',
      content: 'Døgnophold med pleje, omsorg, pædagogisk støtte og behandling.',
      scopeUnit: 'place',
      followUpIntervalMonths: 6,
      caseworkDeadlineDays: 56,
      settlementBasis: 'perDay',
      areaTypes: ALL_AREAS,
      institutionTypes: ['temporaryHousing'],
      panelApprovalRequired: true,
      leastInterventionRule: true,
      accountFunction: '5.38.52',
      ffbServiceCode: FFB.stay,
      ffbServiceName: 'Midlertidigt ophold',
      ffbTargetGroups: ['Psykiske vanskeligheder', 'Udviklingshæmning'],
    },
  },
  {
    code: 'SEL-108',
    title: 'Længerevarende botilbud',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '108', subsection: 1 },
      targetGroup: 'Voksne med betydelig og varigt nedsat funktionsevne, som har behov for omfattende hjælp til almindelige daglige funktioner, og hvis behov ikke kan dækkes på anden måde.',
      purpose: 'At give en tryg bolig med den hjælp, borgeren har brug for, og fastholde eller udvikle funktionsevnen.',
      content: 'Bolig med døgndækning, pleje, omsorg og socialpædagogisk støtte.',
      scopeUnit: 'place',
      followUpIntervalMonths: 12,
      caseworkDeadlineDays: 84,
      settlementBasis: 'perDay',
      areaTypes: ['disability', 'psychiatry'],
      institutionTypes: ['longTermHousing'],
      panelApprovalRequired: true,
      leastInterventionRule: true,
      accountFunction: '5.38.50',
      ffbServiceCode: FFB.stay,
      ffbServiceName: 'Længerevarende ophold',
      ffbTargetGroups: ['Udviklingshæmning', 'Hjerneskade', 'Psykiske vanskeligheder'],
    },
  },
  {
    code: 'ABL-105',
    title: 'Botilbudslignende bolig med socialpædagogisk støtte',
    fields: {
      ...base,
      legalBasis: { law: 'ABL', paragraph: '105', subsection: 2 },
      targetGroup: 'Voksne med betydelig nedsat funktionsevne, som kan bo i egen lejebolig med støtte efter serviceloven § 85.',
      purpose: 'At borgeren bor i egen bolig med den støtte, der skal til.',
      content: 'Anvisning af almen bolig med kommunal anvisningsret; støtten bevilges efter § 85. Tomme boliger koster kommunen husleje (tomgangsleje).',
      scopeUnit: 'dwelling',
      followUpIntervalMonths: 12,
      caseworkDeadlineDays: 56,
      settlementBasis: 'perDay',
      areaTypes: ['disability', 'psychiatry'],
      institutionTypes: ['housingLikeDwelling'],
      panelApprovalRequired: true,
      accountFunction: '5.38.51',
      localServiceCode: 'LOK-ABL105',
      ffbTargetGroups: ['Udviklingshæmning', 'Psykiske vanskeligheder'],
    },
  },
  {
    code: 'SEL-109',
    title: 'Krisecenter',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '109', subsection: 1 },
      targetGroup: 'Personer, som har været udsat for vold, trusler om vold eller tilsvarende krise i nære relationer, eventuelt med deres børn.',
      purpose: 'At give beskyttelse, omsorg og støtte, så personen kan etablere et liv uden vold.',
      content: 'Midlertidigt døgnophold med beskyttelse, omsorg, rådgivning og tilbud om psykologbehandling. Lederen optager.',
      scopeUnit: 'place',
      caseworkDeadlineDays: 7,
      settlementBasis: 'perDay',
      areaTypes: ['sociallyVulnerable'],
      institutionTypes: ['womensShelter'],
      selfReferral: true,
      accountFunction: '5.38.42',
      ffbServiceCode: FFB.stay,
      ffbServiceName: 'Midlertidigt ophold',
      ffbTargetGroups: ['Overgreb'],
    },
  },
  {
    code: 'SEL-110',
    title: 'Forsorgshjem og herberg',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '110', subsection: 1 },
      targetGroup: 'Personer med særlige sociale problemer, som ikke har eller ikke kan opholde sig i egen bolig, og som har akut behov for et botilbud.',
      purpose: 'At give tag over hovedet, omsorg og støtte, og hjælpe borgeren videre til egen bolig.',
      content: 'Midlertidigt ophold med omsorg, støtte og aktivering. Lederen optager; handlekommunen underrettes inden 3 hverdage, og der udarbejdes handleplan efter § 142.',
      scopeUnit: 'place',
      caseworkDeadlineDays: 7,
      followUpIntervalMonths: 3,
      settlementBasis: 'perDay',
      areaTypes: ['sociallyVulnerable'],
      institutionTypes: ['homelessShelter'],
      selfReferral: true,
      actionPlan: 'mandatory',
      accountFunction: '5.38.42',
      ffbServiceCode: FFB.stay,
      ffbServiceName: 'Midlertidigt ophold',
      ffbTargetGroups: ['Hjemløshed'],
    },
  },
  {
    code: 'SEL-101',
    title: 'Social stofmisbrugsbehandling',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '101', subsection: 1 },
      targetGroup: 'Personer med et behandlingskrævende stofmisbrug.',
      purpose: 'At borgeren bliver stoffri eller reducerer sit misbrug og får bedre livskvalitet.',
      content: 'Ambulant, dag- eller døgnbehandling med samtaler, gruppeforløb og social støtte. Behandlingen skal iværksættes senest 14 dage efter henvendelsen.',
      scopeUnit: 'course',
      followUpIntervalMonths: 3,
      caseworkDeadlineDays: 14,
      startDeadlineDays: 14,
      settlementBasis: 'perCourse',
      areaTypes: ['sociallyVulnerable'],
      institutionTypes: ['substanceAbuseTreatment'],
      accountFunction: '5.38.45',
      localServiceCode: 'LOK-101',
      ffbTargetGroups: ['Stofmisbrug'],
    },
  },
  {
    code: 'SEL-101a',
    title: 'Anonym ambulant stofmisbrugsbehandling',
    fields: {
      ...base,
      legalBasis: { law: 'SEL', paragraph: '101 a', subsection: 1 },
      targetGroup: 'Personer med stofmisbrug uden andre sociale problemer, som ønsker at være anonyme.',
      purpose: 'At give let adgang til behandling uden registrering af CPR-nummer.',
      content: 'Anonym ambulant behandling efter en afklarende samtale. Der udarbejdes ikke handleplan.',
      scopeUnit: 'course',
      followUpIntervalMonths: 3,
      caseworkDeadlineDays: 14,
      settlementBasis: 'perCourse',
      areaTypes: ['sociallyVulnerable'],
      institutionTypes: ['substanceAbuseTreatment'],
      appealable: false,
      anonymousAllowed: true,
      actionPlan: 'none',
      accountFunction: '5.38.45',
      localServiceCode: 'LOK-101A',
      ffbTargetGroups: ['Stofmisbrug'],
    },
  },
  {
    code: 'SUL-141',
    title: 'Alkoholbehandling',
    fields: {
      ...base,
      legalBasis: { law: 'SUL', paragraph: '141', subsection: 1 },
      targetGroup: 'Personer med alkoholmisbrug; behandlingen kan være anonym.',
      purpose: 'At borgeren ophører med eller reducerer sit alkoholforbrug.',
      content: 'Vederlagsfri ambulant alkoholbehandling. Behandlingen skal iværksættes senest 14 dage efter henvendelsen.',
      scopeUnit: 'course',
      followUpIntervalMonths: 3,
      caseworkDeadlineDays: 14,
      startDeadlineDays: 14,
      settlementBasis: 'perCourse',
      areaTypes: ['sociallyVulnerable'],
      institutionTypes: ['substanceAbuseTreatment'],
      anonymousAllowed: true,
      accountFunction: '5.38.44',
      localServiceCode: 'LOK-SUL141',
      ffbTargetGroups: ['Alkoholmisbrug'],
    },
  },
];

/** Rates in øre per unit, from 1 January; institution null = the standard's general rate. */
export const SEED_RATES: { standard: string; institution: string | null; priceOere: number; occupancy?: number }[] = [
  { standard: 'SEL-82b', institution: null, priceOere: 58_000 },
  { standard: 'SEL-85', institution: null, priceOere: 56_000 },
  { standard: 'SEL-85', institution: 'Bostøtten Psykiatri', priceOere: 59_500 },
  { standard: 'SEL-85a', institution: null, priceOere: 1_250_000 },
  { standard: 'SEL-84', institution: 'Aflastningen Lysningen', priceOere: 265_000, occupancy: 90 },
  { standard: 'SEL-99', institution: null, priceOere: 250_000 },
  { standard: 'SEL-103', institution: 'Beskyttet Værksted Viborg', priceOere: 52_000 },
  { standard: 'SEL-104', institution: null, priceOere: 45_000 },
  { standard: 'SEL-107', institution: 'Botilbuddet Søndersø', priceOere: 245_000, occupancy: 95 },
  { standard: 'SEL-107', institution: 'Bofællesskabet Vestervang', priceOere: 231_000, occupancy: 95 },
  { standard: 'SEL-107', institution: 'Bocenter Holstebro', priceOere: 262_000, occupancy: 95 },
  { standard: 'SEL-108', institution: 'Bofællesskabet Egeskoven', priceOere: 268_000, occupancy: 97 },
  { standard: 'SEL-108', institution: 'Botilbuddet Hald Ege', priceOere: 281_000, occupancy: 96 },
  { standard: 'SEL-108', institution: 'Botilbuddet Skovbrynet', priceOere: 295_000, occupancy: 97 },
  { standard: 'ABL-105', institution: 'Bofællesskabet Kløvermarken', priceOere: 48_000, occupancy: 98 },
  { standard: 'SEL-109', institution: 'Krisecenter Viborg', priceOere: 195_000, occupancy: 90 },
  { standard: 'SEL-110', institution: 'Forsorgscenter Viborg', priceOere: 145_000, occupancy: 92 },
  { standard: 'SEL-110', institution: 'Forsorgshjemmet Silkeborg', priceOere: 152_000, occupancy: 92 },
  { standard: 'SEL-101', institution: null, priceOere: 950_000 },
  { standard: 'SEL-101a', institution: null, priceOere: 450_000 },
  { standard: 'SUL-141', institution: null, priceOere: 700_000 },
];

/**
 * Seeds the catalogue into a database without one: every standard of DOMAIN.md §2 approved by the committee
 * in December and in force from 1 January of the current year, with rates. Institutions must exist.
 */
@Injectable()
export class CatalogueSeed {
  private readonly logger = new Logger('seed');

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly standards: QualityStandardService,
    private readonly rates: RateService,
    private readonly units: OrgUnitService,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async run(): Promise<boolean> {
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock(7417003)');
    const [{ n }]: { n: number }[] = await this.txHost.tx.query('SELECT count(*)::int AS n FROM quality_standard');
    if (n > 0) return false;
    const year = Number(danishDate(this.clock.now()).slice(0, 4));
    const validFrom = `${year}-01-01`;
    const approval = { committee: 'Social- og Sundhedsudvalget', approvedOn: `${year - 1}-12-01`, validFrom };
    let item = 1;
    for (const s of SEED_STANDARDS) {
      await this.standards.create(null, { code: s.code, title: s.title, draft: s.fields });
      await this.standards.approve(null, s.code, 1, { ...approval, reference: `SSU ${year - 1}-12-01, pkt. ${item++}` });
    }
    for (const r of SEED_RATES) {
      const institutionId = r.institution ? await this.institutionId(r.institution) : undefined;
      await this.rates.create(null, { standard: r.standard, institutionId, validFrom, priceOere: r.priceOere, plannedOccupancyPct: r.occupancy });
    }
    this.logger.log(`seeded the catalogue: ${SEED_STANDARDS.length} quality standards and ${SEED_RATES.length} rates in force from ${validFrom}`);
    return true;
  }

  private async institutionId(name: string): Promise<string> {
    const page = await this.units.listInstitutions({ q: name, limit: 10 });
    const match = page.items.find((i) => i.name === name);
    if (!match) throw new Error(`seed: institution ${name} is missing`);
    return match.id;
  }
}
