import { addMonths } from 'src/platform/clock/danish-date';
import { statePensionAgeReachedOn } from 'src/modules/visitation/state-pension-age';

describe('statePensionAgeReachedOn', () => {
  it.each([
    ['1950-03-15', '2015-03-15'], // 65
    ['1954-03-01', '2019-09-01'], // 65½
    ['1954-08-10', '2020-08-10'], // 66
    ['1955-02-01', '2021-08-01'], // 66½
    ['1958-01-01', '2025-01-01'], // 67
    ['1965-05-05', '2033-05-05'], // 68
    ['1968-12-31', '2037-12-31'], // 69
    ['1980-02-29', '2050-02-28'], // 70, leap day born: the last day of February
  ])('born %s reaches it on %s', (born, reached) => {
    expect(statePensionAgeReachedOn(born)).toBe(reached);
  });
});

describe('addMonths', () => {
  it('clamps to the last day of a shorter month and crosses years', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-12-15', -12)).toBe('2025-12-15');
  });
});
