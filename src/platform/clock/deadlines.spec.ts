import fc from 'fast-check';
import { addDays } from 'src/platform/clock/danish-date';
import {
  addWorkingDays,
  complaintDeadline,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  NOTIFICATION_CHANNELS,
} from 'src/platform/clock/deadlines';

// Expected values below are counted by hand on a calendar (2027: 1 Jan is a Friday; Easter Sunday 28 March).
describe('isWorkingDay', () => {
  it.each([
    ['2027-03-24', true, 'Wednesday before Easter'],
    ['2027-03-25', false, 'skærtorsdag'],
    ['2027-03-26', false, 'langfredag'],
    ['2027-03-27', false, 'Saturday'],
    ['2027-03-28', false, 'påskedag (Sunday)'],
    ['2027-03-29', false, '2. påskedag'],
    ['2027-03-30', true, 'Tuesday after Easter'],
    ['2027-05-06', false, 'Kristi himmelfartsdag'],
    ['2027-05-07', true, 'Friday after Ascension'],
    ['2027-05-17', false, '2. pinsedag'],
    ['2027-01-01', false, 'nytårsdag'],
    ['2026-12-24', true, 'juleaftensdag is an observance, not a public holiday'],
    ['2026-12-25', false, 'juledag'],
    ['2026-12-31', true, 'nytårsaftensdag'],
    ['2026-06-05', true, 'grundlovsdag is not a public holiday'],
    ['2026-05-01', true, '1. maj is not a public holiday'],
    ['2023-05-05', false, 'store bededag 2023, its last year'],
    ['2024-04-26', true, 'store bededag abolished from 2024'],
    ['2027-04-23', true, 'store bededag abolished (2027)'],
  ])('%s is %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2027-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('27-03-2027')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('returns the date itself for n = 0, even on a holiday', () => {
    expect(addWorkingDays('2027-03-27', 0)).toBe('2027-03-27');
  });

  it('skips the Easter holidays and the weekend', () => {
    expect(addWorkingDays('2027-03-24', 1)).toBe('2027-03-30');
    expect(addWorkingDays('2027-03-19', 6)).toBe('2027-04-01');
  });

  it('skips Christmas, New Year and Whit Monday', () => {
    expect(addWorkingDays('2026-12-23', 1)).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(addWorkingDays('2027-05-14', 1)).toBe('2027-05-18');
  });

  it('refuses negative and fractional counts', () => {
    expect(() => addWorkingDays('2027-03-24', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2027-03-24', 1.5)).toThrow(RangeError);
  });

  it('lands on a working day after the start with exactly n working days in between (property)', () => {
    const start = Date.UTC(2020, 0, 1);
    const dates = fc
      .integer({ min: 0, max: 16 * 366 })
      .map((d) => addDays(new Date(start).toISOString().slice(0, 10), d));
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (date, n) => {
        const result = addWorkingDays(date, n);
        expect(isWorkingDay(result)).toBe(true);
        expect(result > date).toBe(true);
        let count = 0;
        for (let day = addDays(date, 1); day <= result; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
        expect(count).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});

describe('nextWorkingDayOnOrAfter', () => {
  it('keeps a working day and moves past weekends and holidays', () => {
    expect(nextWorkingDayOnOrAfter('2027-03-24')).toBe('2027-03-24');
    expect(nextWorkingDayOnOrAfter('2027-03-25')).toBe('2027-03-30');
    expect(nextWorkingDayOnOrAfter('2026-12-25')).toBe('2026-12-28');
  });
});

describe('complaintDeadline', () => {
  it('knows the three channels', () => {
    expect(NOTIFICATION_CHANNELS).toEqual(['digitalPost', 'letter', 'handedOver']);
  });

  it('counts Digital Post and hand-over as received the same day, then 4 weeks', () => {
    expect(complaintDeadline('2027-04-07', 'digitalPost', 6)).toEqual({
      receivedOn: '2027-04-07',
      deadline: '2027-05-05',
    });
    expect(complaintDeadline('2027-04-07', 'handedOver', 6)).toEqual({
      receivedOn: '2027-04-07',
      deadline: '2027-05-05',
    });
  });

  it('moves a deadline that falls on a Saturday to the Monday', () => {
    expect(complaintDeadline('2026-10-03', 'digitalPost', 6)).toEqual({
      receivedOn: '2026-10-03',
      deadline: '2026-11-02',
    });
  });

  it('moves a deadline on juledag past the weekend', () => {
    expect(complaintDeadline('2026-11-27', 'digitalPost', 6)).toEqual({
      receivedOn: '2026-11-27',
      deadline: '2026-12-28',
    });
  });

  it('counts a paper letter sent the Friday before Easter as received 6 working days later', () => {
    // Mon 22, Tue 23, Wed 24, (Easter 25-29), Tue 30, Wed 31, Thu 1 April.
    expect(complaintDeadline('2027-03-19', 'letter', 6)).toEqual({
      receivedOn: '2027-04-01',
      deadline: '2027-04-29',
    });
  });

  it('moves a deadline on Kristi himmelfartsdag to the Friday', () => {
    expect(complaintDeadline('2027-03-31', 'letter', 6)).toEqual({
      receivedOn: '2027-04-08',
      deadline: '2027-05-07',
    });
  });

  it('uses the configured receipt time for letters only', () => {
    expect(complaintDeadline('2027-03-19', 'letter', 0)).toEqual({
      receivedOn: '2027-03-19',
      deadline: '2027-04-16',
    });
    expect(complaintDeadline('2027-03-19', 'letter', 2)).toEqual({
      receivedOn: '2027-03-23',
      deadline: '2027-04-20',
    });
  });
});
