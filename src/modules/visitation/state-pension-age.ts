import { addMonths } from 'src/platform/clock/danish-date';

/**
 * Folkepensionsalder by birth date (lov om social pension § 1 a, as amended; the 70-year step for those born
 * from 1971 was adopted in 2025). Rows: born on or before `bornTo` → age in months.
 */
const SCHEDULE: { bornTo: string; months: number }[] = [
  { bornTo: '1953-12-31', months: 65 * 12 },
  { bornTo: '1954-06-30', months: 65 * 12 + 6 },
  { bornTo: '1954-12-31', months: 66 * 12 },
  { bornTo: '1955-06-30', months: 66 * 12 + 6 },
  { bornTo: '1962-12-31', months: 67 * 12 },
  { bornTo: '1966-12-31', months: 68 * 12 },
  { bornTo: '1970-12-31', months: 69 * 12 },
  { bornTo: '9999-12-31', months: 70 * 12 },
];

/** The day a person born on `birthDate` reaches state pension age (SEL § 103 is only given below it). */
export function statePensionAgeReachedOn(birthDate: string): string {
  const { months } = SCHEDULE.find((s) => birthDate <= s.bornTo)!;
  return addMonths(birthDate, months);
}
