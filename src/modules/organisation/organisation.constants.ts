/** Roles (DOMAIN.md §1, §7). */
export const ROLES = [
  'caseworker',
  'panelMember',
  'providerStaff',
  'institutionManager',
  'finance',
  'admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to an institution (udfører); the others belong to the authority (myndighed). */
export const INSTITUTION_ROLES: readonly Role[] = ['providerStaff', 'institutionManager'];

export const ORG_UNIT_KINDS = ['authority', 'operatingArea', 'institution'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Driftsområder: handicap, psykiatri, udsatte. */
export const AREA_TYPES = ['disability', 'psychiatry', 'sociallyVulnerable'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

/**
 * Tilbudstyper. Place-based types have a capacity in places (pladser).
 */
export const INSTITUTION_TYPES = [
  'housingSupport', // bostøtte (SEL §85, §85 a)
  'temporaryHousing', // midlertidigt botilbud (SEL §107)
  'longTermHousing', // længerevarende botilbud (SEL §108)
  'housingLikeDwelling', // botilbudslignende bolig (ABL §105 + SEL §85)
  'womensShelter', // kvindekrisecenter (SEL §109)
  'homelessShelter', // forsorgshjem / herberg (SEL §110)
  'substanceAbuseTreatment', // rusmiddelcenter (SEL §101, SUL §141)
  'activityCentre', // aktivitets- og samværstilbud (SEL §104)
  'shelteredEmployment', // beskyttet beskæftigelse (SEL §103)
  'respiteCare', // aflastning (SEL §84)
  'contactPerson', // støtte- og kontaktperson (SEL §99)
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

export const PLACE_BASED_TYPES: readonly InstitutionType[] = [
  'temporaryHousing',
  'longTermHousing',
  'housingLikeDwelling',
  'womensShelter',
  'homelessShelter',
  'respiteCare',
];

export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
