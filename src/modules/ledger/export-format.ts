import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/** Øre as Danish kroner, exact (no floating point): "-1234,56" — a decimal comma and no thousands separator. */
export function kroner(oere: bigint | number | string): string {
  const v = BigInt(oere);
  const abs = v < 0n ? -v : v;
  return `${v < 0n ? '-' : ''}${abs / 100n},${String(abs % 100n).padStart(2, '0')}`;
}

/** A kroner cell: carried as a bigint of øre so that the CSV writer formats it (and never formula-escapes its minus). */
export const kronerCell = (oere: string | number): bigint => BigInt(oere);

/**
 * The ledger's CSV dialect for the ERP and for Excel with Danish settings: `;` between fields (the comma is the
 * decimal sign), amounts in kroner with a decimal comma (and in øre as integers beside them), a header line,
 * CRLF line ends (RFC 4180), UTF-8 with a BOM (so that Excel reads æøå). Text cells that start like a formula
 * (= + - @) are escaped against CSV injection; numbers are not, so negative amounts stay numbers.
 */
export function ledgerCsv<T extends Record<string, unknown>>(records: T[], columns: readonly (keyof T & string)[]): Readable {
  return stringify(records, {
    header: true,
    columns: [...columns],
    delimiter: ';',
    record_delimiter: 'windows',
    bom: true,
    escape_formulas: true,
    cast: { bigint: (v) => kroner(v) },
  });
}
