import fc from 'fast-check';
import { batchHash, checkExpenseLine, duplicateRefs, lastDayOf, totalOf } from 'src/modules/ledger/expense-line';
import { kroner } from 'src/modules/ledger/export-format';

const at = (field: string | null) => (field === null ? '/lines/0' : `/lines/0/${field}`);
const good = { institutionId: '0B5E2F1A-1111-4222-8333-444455556666', month: '2026-02', category: 'food', amountOere: -125, externalRef: ' FIN-1 ', description: '  ' };

describe('expense lines', () => {
  it('normalises a good line (id lower case, reference trimmed, a blank description is none)', () => {
    expect(checkExpenseLine(good, at)).toEqual({
      errors: [],
      line: { institutionId: '0b5e2f1a-1111-4222-8333-444455556666', month: '2026-02', category: 'food', amountOere: -125, externalRef: 'FIN-1', description: null },
    });
  });

  it.each([
    [{ amountOere: 12.5 }, '/lines/0/amountOere'],
    [{ amountOere: '125' }, '/lines/0/amountOere'],
    [{ amountOere: 0 }, '/lines/0/amountOere'],
    [{ amountOere: 2 ** 53 }, '/lines/0/amountOere'],
    [{ month: '2026-2' }, '/lines/0/month'],
    [{ month: '1999-12' }, '/lines/0/month'],
    [{ category: 'flowers' }, '/lines/0/category'],
    [{ institutionId: 'egeskoven' }, '/lines/0/institutionId'],
    [{ externalRef: '' }, '/lines/0/externalRef'],
    [{ externalRef: 'a\u0000b' }, '/lines/0/externalRef'],
    [{ externalRef: 'x'.repeat(201) }, '/lines/0/externalRef'],
    [{ description: 7 }, '/lines/0/description'],
    [{ colour: 'red' }, '/lines/0/colour'],
  ])('refuses %j at %s', (change, pointer) => {
    const { line, errors } = checkExpenseLine({ ...good, ...change }, at);
    expect(line).toBeUndefined();
    expect(errors.map((e) => e.pointer)).toEqual([pointer]);
  });

  it('names a reference used twice in a batch on its later line', () => {
    const line = checkExpenseLine(good, at).line!;
    expect(duplicateRefs([0, 1, 2].map((index) => ({ line, index })), (i) => `/lines/${i}/externalRef`, (i) => `/lines/${i}`).map((e) => e.pointer)).toEqual(['/lines/1/externalRef', '/lines/2/externalRef']);
  });

  it('books on the last day of the month (leap years included)', () => {
    expect(['2024-02', '2026-02', '2026-04', '2026-12'].map(lastDayOf)).toEqual(['2024-02-29', '2026-02-28', '2026-04-30', '2026-12-31']);
  });

  it('hashes the content, not its spelling', () => {
    const a = checkExpenseLine(good, at).line!;
    const b = checkExpenseLine({ ...good, externalRef: 'FIN-1', description: null, institutionId: good.institutionId.toLowerCase() }, at).line!;
    expect(batchHash([a])).toBe(batchHash([b]));
    expect(batchHash([a])).not.toBe(batchHash([{ ...a, amountOere: -126 }]));
  });

  it('refuses a total outside the safe integer range', () => {
    const line = checkExpenseLine({ ...good, amountOere: Number.MAX_SAFE_INTEGER }, at).line!;
    expect(() => totalOf([line, line])).toThrow(RangeError);
  });

  it('writes øre as kroner with a decimal comma, exactly', () => {
    expect([0, 5, -5, 100, -123456, 1234556].map((v) => kroner(v))).toEqual(['0,00', '0,05', '-0,05', '1,00', '-1234,56', '12345,56']);
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (oere) => {
        const [k, o] = kroner(oere).replace('-', '').split(',');
        expect((BigInt(k) * 100n + BigInt(o)) * (oere < 0n ? -1n : 1n)).toBe(oere);
      }),
    );
  });
});
