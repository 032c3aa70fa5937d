import type { InstitutionType } from 'src/modules/organisation/organisation.constants';
import type { AccountKind, ExpenseCategory } from 'src/modules/ledger/ledger.constants';

/**
 * The standard chart of accounts (kontoplan) the ledger sets up by itself. Sources: law.md §5 (kommunal
 * kontoplan, hovedfunktion 5.38) and rules 30-31. Where law.md marks a choice as unverified, the choice is
 * written here once, so that changing it is one edit.
 */

/**
 * The functions of hovedfunktion 5.38 that the catalogue's quality standards book on (law.md §5.1). The
 * authority buys on each of them: one internal-purchase and one external-purchase account per function. A
 * constant rather than a read of the catalogue: the authority's accounts must exist before a standard that
 * uses them is approved, and the catalogue's `accountFunction` values are all in this list (catalogue-seed).
 */
export const PURCHASE_FUNCTIONS = ['5.38.38', '5.38.42', '5.38.44', '5.38.45', '5.38.50', '5.38.51', '5.38.52', '5.38.53', '5.38.58', '5.38.59'] as const;

/**
 * An institution's function follows what it is (rule 31: the legal basis decides the function; § 83 help
 * inside a boform is booked on the boform's function, so one function per institution suffices).
 */
export const INSTITUTION_FUNCTION: Record<InstitutionType, string> = {
  housingSupport: '5.38.38', // § 85
  temporaryHousing: '5.38.52', // § 107
  longTermHousing: '5.38.50', // § 108
  housingLikeDwelling: '5.38.51', // ABL § 105 + § 85
  womensShelter: '5.38.42', // § 109
  homelessShelter: '5.38.42', // § 110
  substanceAbuseTreatment: '5.38.45', // §§ 101, 101 a
  activityCentre: '5.38.59', // § 104
  shelteredEmployment: '5.38.58', // § 103
  respiteCare: '5.38.52', // § 84 aflastning in a midlertidigt botilbud (as the catalogue books it)
  contactPerson: '5.38.53', // §§ 97-99
};

/**
 * Receivables from and payables to other municipalities are not tied to one function of 5.38: they carry
 * "5.38.00" (the main function as a whole); the ERP maps them to its status accounts.
 */
export const MUNICIPALITY_FUNCTION = '5.38.00';

/**
 * Arts (law.md §5.2, rule 30). Internal purchase and sale are the art 9 pair that nets to zero in the
 * municipality's accounts: the purchaser books 9.4 (overførte tjenesteydelser), the provider 9.7 (interne
 * indtægter; law.md: "memory, unverified" — the one place to change it). Other municipalities: sales 7.7
 * (betalinger fra kommuner), purchases 4.7 (betalinger til kommuner). The result account carried to t+2 is a
 * status account without a drift art: art "0".
 */
export const ART: Record<Exclude<AccountKind, 'expense' | 'budget'>, string> = {
  internalPurchase: '9.4',
  internalSale: '9.7',
  externalPurchase: '4.7',
  externalSale: '7.7',
  receivable: '7.7',
  payable: '4.7',
  result: '0',
};

/**
 * Expense categories to hovedarter (law.md §5.2: 1 lønninger, 2 varekøb, 4 tjenesteydelser, 4.9 øvrige).
 * Premises (rent, cleaning, utilities), transport and administration are bought services (4); food and
 * activity materials are goods (2).
 */
export const EXPENSE_ART: Record<ExpenseCategory, string> = {
  personnel: '1',
  premises: '4',
  food: '2',
  transport: '4',
  activities: '2',
  administration: '4',
  other: '4.9',
};

/** Short codes in account numbers. */
export const KIND_CODE: Record<AccountKind, string> = {
  internalPurchase: 'IKOEB',
  internalSale: 'ISALG',
  externalPurchase: 'EKOEB',
  externalSale: 'ESALG',
  expense: 'UDG',
  receivable: 'TILG',
  payable: 'GAELD',
  budget: 'BUDG',
  result: 'RES',
};

const CATEGORY_CODE: Record<ExpenseCategory, string> = {
  personnel: 'LOEN',
  premises: 'LOKALER',
  food: 'KOST',
  transport: 'TRANSPORT',
  activities: 'AKTIV',
  administration: 'ADM',
  other: 'OEVRIG',
};

/** A readable, stable part of a name for account numbers: ASCII capitals, Danish letters spelled out. */
export function slug(name: string, max = 12): string {
  return name
    .toUpperCase()
    .replace(/Æ/g, 'AE')
    .replace(/Ø/g, 'OE')
    .replace(/Å/g, 'AA')
    .normalize('NFKD')
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, max);
}

/**
 * Kontonummer: owner, kind, function (and category). Institutions are named by a slug of their name and the
 * first four hex digits of their id (names repeat across areas); the authority is "MYN"; another
 * municipality is "K" and its three-digit code.
 */
export function accountNumber(owner: string, kind: AccountKind, accountFunction: string, category: ExpenseCategory | null = null): string {
  return [owner, KIND_CODE[kind], accountFunction, category ? CATEGORY_CODE[category] : null].filter(Boolean).join('-');
}

export const institutionOwnerCode = (name: string, id: string) => `T-${slug(name)}-${id.slice(0, 4).toUpperCase()}`;
export const AUTHORITY_OWNER_CODE = 'MYN';
export const municipalityOwnerCode = (code: string) => `K${code}`;
