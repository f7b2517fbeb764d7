import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * `q` text search: a case-insensitive substring of any of the columns (names the caller's own
 * code gives, never input), with LIKE's wildcards in the text taken literally. An explicit ESCAPE:
 * PostgreSQL escapes with a backslash by default, SQLite only when told.
 */
export function textSearch(columns: readonly string[], q: string): RawBuilder<SqlBool> {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return sql<SqlBool>`(${sql.join(columns.map((column) => sql`lower(${sql.ref(column)}) like ${pattern} escape '\\'`), sql` or `)})`;
}
