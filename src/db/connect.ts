import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, PostgresDialect, CompiledQuery, type SqliteDatabase } from 'kysely';
import type { Database, Db, Dialect } from './database.js';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; schema?: string };

export interface Connection {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export async function connect(target: DatabaseTarget): Promise<Connection> {
  return target.dialect === 'sqlite' ? connectSqlite(target.path) : connectPostgres(target.url, target.schema);
}

async function connectSqlite(path: string): Promise<Connection> {
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(path, { timeout: 10_000 });
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 defaults WAL databases to NORMAL; this file holds money and the audit trail.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const KEPT_STATEMENTS = 500;

/**
 * kysely's SQLite driver prepares each query anew, a cost paid several times per request; the API
 * sends the same few dozen SQL texts again and again, so their prepared statements are kept (the
 * least recently used go past KEPT_STATEMENTS). SQLite re-prepares a kept statement itself when
 * the schema changes.
 */
function keepingStatements(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const kept = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = kept.get(sql);
      if (statement) kept.delete(sql);
      statement ??= sqlite.prepare(sql);
      kept.set(sql, statement);
      if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}

async function connectPostgres(url: string, schema?: string): Promise<Connection> {
  const { default: pg } = await import('pg');
  // int8 (COUNT(*), bigint sums) would arrive as strings; our counts fit in a double.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const options = schema ? `-c search_path=${schema.replace(/[^a-z0-9_]/gi, '')}` : undefined;
  const pool = new pg.Pool({ connectionString: url, max: 10, options });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await db.executeQuery(CompiledQuery.raw('select 1'));
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
