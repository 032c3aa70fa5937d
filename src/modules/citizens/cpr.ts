/**
 * CPR numbers (personnummer): DDMMYY-SSSS. The date must exist; the century follows from the 7th digit
 * (CPR-kontoret's rule). No modulus-11 check: numbers issued since 2007 need not pass it.
 */
export interface Cpr {
  /** The ten digits, without the dash. */
  digits: string;
  /** The birth date, YYYY-MM-DD. */
  birthDate: string;
}

const FORMAT = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

/** The century of a two-digit year, from the first digit of the serial number. */
export function centuryOf(serialFirst: number, yy: number): number {
  if (serialFirst <= 3) return 1900;
  if (serialFirst === 4 || serialFirst === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800; // 5-8
}

/** The CPR number with its birth date, or null when it is not ten digits forming a real date. */
export function parseCpr(input: string): Cpr | null {
  const m = FORMAT.exec(input.trim());
  if (!m) return null;
  const [, dd, mm, yy, s1, rest] = m;
  const year = centuryOf(Number(s1), Number(yy)) + Number(yy);
  const birthDate = `${year}-${mm}-${dd}`;
  const d = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birthDate) return null;
  return { digits: `${dd}${mm}${yy}${s1}${rest}`, birthDate };
}

/** DDMMYY-xxxx: what every response shows unless the caller may and asks to see the number. */
export function maskedCpr(birthDate: string): string {
  const [y, m, d] = birthDate.split('-');
  return `${d}${m}${y.slice(2)}-xxxx`;
}

/** DDMMYY-SSSS. */
export const formatCpr = (digits: string) => `${digits.slice(0, 6)}-${digits.slice(6)}`;
