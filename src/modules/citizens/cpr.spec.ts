import fc from 'fast-check';
import { centuryOf, formatCpr, maskedCpr, parseCpr } from 'src/modules/citizens/cpr';

describe('CPR numbers', () => {
  it('accepts ten digits with or without the dash and finds the birth date', () => {
    expect(parseCpr('010190-1234')).toEqual({ digits: '0101901234', birthDate: '1990-01-01' });
    expect(parseCpr('0101901234')).toEqual({ digits: '0101901234', birthDate: '1990-01-01' });
    expect(parseCpr(' 290200-4001 ')).toEqual({ digits: '2902004001', birthDate: '2000-02-29' });
  });

  it('does not check modulus 11 (numbers issued since 2007 need not pass it)', () => {
    // 0101901235 fails modulus 11 and is still a valid number.
    expect(parseCpr('010190-1235')).not.toBeNull();
  });

  it.each(['010190-123', '010190-12345', '01019012345', '0101901', '', '01-01-90-1234', '010190 1234', 'abcdefghij', '０１０１９０１２３４'])(
    'refuses %j (not ten digits)',
    (input) => expect(parseCpr(input)).toBeNull(),
  );

  it.each(['320190-1234', '000190-1234', '011390-1234', '010090-1234', '300290-1234', '290201-4001', '310490-1234', '290200-1234'])(
    'refuses %s (no such date)',
    (input) => expect(parseCpr(input)).toBeNull(),
  );

  it('uses the century rule of the 7th digit', () => {
    expect(parseCpr('010137-0000')!.birthDate).toBe('1937-01-01');
    expect(parseCpr('010136-4000')!.birthDate).toBe('2036-01-01');
    expect(parseCpr('010137-4000')!.birthDate).toBe('1937-01-01');
    expect(parseCpr('010157-5000')!.birthDate).toBe('2057-01-01');
    expect(parseCpr('010158-8000')!.birthDate).toBe('1858-01-01');
    expect(parseCpr('010136-9000')!.birthDate).toBe('2036-01-01');
    expect(parseCpr('010199-9000')!.birthDate).toBe('1999-01-01');
    // 29 February: 1900 was not a leap year (serial 0-3), 2000 was (serial 4).
    expect(parseCpr('290200-0001')).toBeNull();
    expect(parseCpr('290200-4001')!.birthDate).toBe('2000-02-29');
  });

  it('puts every two-digit year into exactly one century per serial digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 99 }), (s, yy) => {
        const c = centuryOf(s, yy);
        expect([1800, 1900, 2000]).toContain(c);
        if (s <= 3) expect(c).toBe(1900);
        if (c === 1800) expect(s >= 5 && s <= 8 && yy >= 58).toBe(true);
      }),
    );
  });

  it('round-trips every real date and masks it as DDMMYY-xxxx', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1858-01-01T00:00:00Z'), max: new Date('2036-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (d, rest) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-');
        const year = Number(y);
        const serial = year < 1900 ? 5 : year < 2000 ? (year >= 1937 ? 4 : 0) : 4;
        const digits = `${day}${m}${y.slice(2)}${serial}${String(rest).padStart(3, '0')}`;
        const parsed = parseCpr(formatCpr(digits));
        expect(parsed).toEqual({ digits, birthDate: iso });
        expect(maskedCpr(parsed!.birthDate)).toBe(`${digits.slice(0, 6)}-xxxx`);
      }),
    );
  });
});
