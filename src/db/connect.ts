import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, PostgresDialect, CompiledQuery, type LogConfig, type SqliteDatabase } from 'kysely';
import type { Database, Db, Dialect } from './database.js';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; schema?: string };

export interface Connection {
  db: Db;
  dialect: Dialect;
  /** Tells `listener` the duration of every query from now on (for /metrics); one listener at a time. */
  observeQueries(listener: QueryListener): void;
  /** The pool's connections right now (PostgreSQL; SQLite has one connection and no pool). */
  pool?: () => PoolStats;
  close(): Promise<void>;
}

export type QueryListener = (seconds: number, failed: boolean) => void;

export interface PoolStats {
  total: number;
  idle: number;
  /** requests queued for a connection */
  waiting: number;
}

export async function connect(target: DatabaseTarget): Promise<Connection> {
  let listener: QueryListener | undefined;
  const log: LogConfig = (event) => listener?.(event.queryDurationMillis / 1000, event.level === 'error');
  const observeQueries = (next: QueryListener) => {
    listener = next;
  };
  const connection = await (target.dialect === 'sqlite' ? connectSqlite(target.path, log) : connectPostgres(target.url, target.schema, log));
  return { ...connection, observeQueries };
}

async function connectSqlite(path: string, log: LogConfig): Promise<Omit<Connection, 'observeQueries'>> {
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(path, { timeout: 10_000 });
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 defaults WAL databases to NORMAL; this file holds money and the audit trail.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(sqlite) }), log });
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

async function connectPostgres(url: string, schema: string | undefined, log: LogConfig): Promise<Omit<Connection, 'observeQueries'>> {
  const { default: pg } = await import('pg');
  // int8 (COUNT(*), bigint sums) would arrive as strings; our counts fit in a double.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const options = schema ? `-c search_path=${schema.replace(/[^a-z0-9_]/gi, '')}` : undefined;
  const pool = new pg.Pool({ connectionString: url, max: 10, options });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  await db.executeQuery(CompiledQuery.raw('select 1'));
  return {
    db,
    dialect: 'postgres',
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}
