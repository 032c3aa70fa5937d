import Holidays from 'date-holidays';
import { addDays, isDate } from 'src/platform/clock/danish-date';

/** How an afgørelse reached the citizen; decides when it counts as received (RSL § 67, ast.dk). */
export const NOTIFICATION_CHANNELS = ['digitalPost', 'letter', 'handedOver'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Klagefrist, RSL § 67: 4 weeks from receipt. */
const COMPLAINT_PERIOD_DAYS = 28;

const calendar = new Holidays('DK');
const holidaysByYear = new Map<number, ReadonlySet<string>>();

/**
 * Danish public holidays (helligdage) of a year as YYYY-MM-DD. Only type `public`: date-holidays also lists
 * observances (juleaftensdag, grundlovsdag, 1. maj) that are not holidays in law, and since 2024 it no longer
 * lists store bededag (abolished by lov nr. 288 of 2023).
 */
function publicHolidays(year: number): ReadonlySet<string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidaysByYear.set(year, days);
  }
  return days;
}

function assertDate(date: string): void {
  if (!isDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
}

/** Monday to Friday and not a Danish public holiday (hverdag in the sense of the klagefrist rules). */
export function isWorkingDay(date: string): boolean {
  assertDate(date);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(Number(date.slice(0, 4))).has(date);
}

/** The n-th working day after `date` (n = 0: `date` itself, working day or not). */
export function addWorkingDays(date: string, n: number): string {
  assertDate(date);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number >= 0: ${n}`);
  let day = date;
  for (let left = n; left > 0;) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** `date` when it is a working day, otherwise the first working day after it. */
export function nextWorkingDayOnOrAfter(date: string): string {
  assertDate(date);
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/**
 * When the citizen received an afgørelse, and the last day to complain (RSL § 67, 4 weeks from receipt).
 *
 * Receipt: Digital Post and hand-over count on the day itself; a paper letter counts as received
 * `paperReceiptWorkingDays` working days after it was sent (Ankestyrelsen: 6 hverdage, configurable as
 * DECISION_LETTER_RECEIPT_WORKING_DAYS).
 *
 * A time limit that ends on a Saturday, Sunday or public holiday runs to the next working day (Danish
 * administrative practice, as for frister in general); the citizen must get the full 4 weeks.
 */
export function complaintDeadline(
  notifiedOn: string,
  channel: NotificationChannel,
  paperReceiptWorkingDays: number,
): { receivedOn: string; deadline: string } {
  assertDate(notifiedOn);
  const receivedOn = channel === 'letter' ? addWorkingDays(notifiedOn, paperReceiptWorkingDays) : notifiedOn;
  const deadline = nextWorkingDayOnOrAfter(addDays(receivedOn, COMPLAINT_PERIOD_DAYS));
  return { receivedOn, deadline };
}
