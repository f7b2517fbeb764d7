import { CompiledQuery, type Compilable, type DialectAdapter } from 'kysely';
import type { Db } from './database.js';

/**
 * A query that kysely builds and compiles once per dialect, then runs with new values. Building
 * and compiling a small select costs kysely about as long as SQLite takes to answer it; the
 * queries every request makes (the bearer token's row) are prepared this way.
 *
 * `build` gets a placeholder for each named value (typed as the value, though it is not one) and
 * uses it where the value goes; each run binds the values in the places the placeholders took.
 * Placeholders stand only for values bound as query parameters (comparisons, inserted values),
 * never for names or SQL.
 */
export function preparedQuery<Values extends Record<string, unknown>, Row>(
  names: readonly (keyof Values & string)[],
  build: (db: Db, placeholders: Values) => Compilable<Row>,
): (db: Db, values: Values) => Promise<Row[]> {
  type Name = keyof Values & string;
  // Told apart from the constants a build writes into its query only when compiling; the values
  // of a run are bound by position, never compared with these.
  const placeholders = Object.fromEntries(names.map((name) => [name, `\u0000placeholder:${name}`])) as unknown as Values;
  const compiled = new WeakMap<DialectAdapter, { sql: string; slots: (Name | { constant: unknown })[] }>();

  function compile(db: Db) {
    const query = build(db, placeholders).compile();
    const slots = query.parameters.map((value) => names.find((name) => placeholders[name] === value) ?? { constant: value });
    const missing = names.filter((name) => !slots.includes(name));
    if (missing.length) throw new Error(`prepared query does not use ${missing.join(', ')}: ${query.sql}`);
    return { sql: query.sql, slots };
  }

  return async (db, values) => {
    const executor = db.getExecutor();
    // A plugin may rewrite the query per use (a schema, say): such a database compiles each time.
    const reusable = executor.plugins.length === 0;
    let query = reusable ? compiled.get(executor.adapter) : undefined;
    if (!query) {
      query = compile(db);
      if (reusable) compiled.set(executor.adapter, query);
    }
    const parameters = query.slots.map((slot) => (typeof slot === 'string' ? values[slot] : slot.constant));
    return (await db.executeQuery<Row>(CompiledQuery.raw(query.sql, parameters))).rows;
  };
}
