/**
 * The rows of a statement run through TypeORM's `query()`. For UPDATE and DELETE its PostgreSQL driver
 * answers `[rows, rowCount]` rather than `rows`, so `const [row] = await query('UPDATE ... RETURNING ...')`
 * would get the array of rows (an empty array is truthy: a stale version would go unnoticed). Rows are
 * objects, never arrays, so the two shapes cannot be confused.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
