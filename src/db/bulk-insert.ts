import { CompiledQuery, SqliteAdapter, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * One multi-row insert of rows that all have the same columns, compiled by hand: kysely's builder
 * turns every value into a node and compiles it back, which runs writing tens of thousands of
 * values (billing, commissions) felt. Table and column names come from the caller's own constants
 * (never from input); every value is a parameter. `onConflictDoNothing` names the unique columns
 * whose duplicates are skipped; `returning` the columns of the rows actually written.
 */
export async function insertMany<R = Record<string, unknown>>(
  trx: Kysely<Database>,
  table: keyof Database & string,
  rows: readonly object[],
  options: BulkInsertOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const params: unknown[] = [];
  for (const row of rows) for (const column of columns) params.push((row as Record<string, unknown>)[column]);
  return insertValues<R>(trx, table, columns, params, options);
}

export interface BulkInsertOptions {
  onConflictDoNothing?: readonly string[];
  returning?: readonly string[];
}

/**
 * insertMany for a caller that lays out the values itself, row after row in the order of
 * `columns` (no object per row: a commission run writes tens of thousands).
 */
export async function insertValues<R = Record<string, unknown>>(
  trx: Kysely<Database>,
  table: keyof Database & string,
  columns: readonly string[],
  params: unknown[],
  options: BulkInsertOptions = {},
): Promise<R[]> {
  const count = params.length / columns.length;
  if (count === 0) return [];
  if (!Number.isInteger(count)) throw new Error(`insertValues: ${params.length} values do not fill rows of ${columns.length} columns`);
  const numbered = !(trx.getExecutor().adapter instanceof SqliteAdapter);
  // SQLite's tuples are all alike: one text, repeated (tens of thousands of values per run)
  const alike = `(${columns.map(() => '?').join(', ')})`;
  const tuples = numbered ? Array.from({ length: count }, (_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`) : new Array<string>(count).fill(alike);
  const quoted = (names: readonly string[]) => names.map((c) => `"${c}"`).join(', ');
  let text = `insert into "${table}" (${quoted(columns)}) values ${tuples.join(', ')}`;
  if (options.onConflictDoNothing) text += ` on conflict (${quoted(options.onConflictDoNothing)}) do nothing`;
  if (options.returning) text += ` returning ${quoted(options.returning)}`;
  return (await trx.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
}
