import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, PostgresDialect, sql, type LogConfig, type SqliteDatabase } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Database, Db, Dialect } from './database.js';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; schema?: string };

export interface ConnectOptions {
  /**
   * Whom a PostgreSQL connection's queries run as. `api`: the role dotmac_app on every pooled
   * connection, so row-level security holds every request to the scope it sets. `owner` (the
   * default): the URL's own user with the platform-wide scope, for migrations and upkeep.
   * SQLite ignores it.
   */
  as?: 'owner' | 'api';
}

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

/** The role the API's queries run as on PostgreSQL (created by migration 2026112603). */
export const APP_ROLE = 'dotmac_app';

export async function connect(target: DatabaseTarget, options: ConnectOptions = {}): Promise<Connection> {
  let listener: QueryListener | undefined;
  const log: LogConfig = (event) => listener?.(event.queryDurationMillis / 1000, event.level === 'error');
  const observeQueries = (next: QueryListener) => {
    listener = next;
  };
  const connection = await (target.dialect === 'sqlite' ? connectSqlite(target.path, log) : connectPostgres(target.url, target.schema, options.as ?? 'owner', log));
  return { ...connection, observeQueries };
}

async function connectSqlite(path: string, log: LogConfig): Promise<Omit<Connection, 'observeQueries'>> {
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(path, { timeout: 10_000, nativeBinding: sqliteAddon() });
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 defaults WAL databases to NORMAL; this file holds money and the audit trail.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(sqlite) }), log });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * better-sqlite3's compiled addon, named directly: otherwise its `bindings` package finds the file
 * by trying a dozen paths on every start (about 3 ms of a cold command). Undefined, for that
 * search, where the file is not where npm's build puts it, or where `require` is not at hand (the
 * sources run as ES modules under the tests).
 */
function sqliteAddon(): string | undefined {
  if (typeof require !== 'function') return undefined;
  try {
    const file = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
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

async function connectPostgres(url: string, schema: string | undefined, as: 'owner' | 'api', log: LogConfig): Promise<Omit<Connection, 'observeQueries'>> {
  const { default: pg } = await import('pg');
  // int8 (COUNT(*), bigint sums) would arrive as strings; our counts fit in a double.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  // Set at the start of each session rather than by a query after it: a connection that cannot
  // take the role fails to open instead of running as the URL's user, and RESET ROLE returns to it.
  const settings = as === 'api' ? [`role=${APP_ROLE}`] : ['dotmac.role=master_admin'];
  if (schema) settings.push(`search_path=${schema.replace(/[^a-z0-9_]/gi, '')}`);
  const { connectionString, options } = withSessionSettings(url, settings);
  const pool = new pg.Pool({ connectionString, max: 10, options });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  try {
    if (as === 'api') await mustBeAppRole(db);
    else await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    // 22023 and 42704: no such role, or the URL's user may not take it
    const code = (error as { code?: string }).code;
    if (as === 'api' && (code === '22023' || code === '42704' || code === '42501')) throw notAppRole((error as Error).message);
    throw error;
  }
  return {
    db,
    dialect: 'postgres',
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

/**
 * pg lets an `options` parameter in the URL replace the one it is given, which would drop the
 * role silently; the URL's own options are kept and ours added after them, so ours win.
 */
function withSessionSettings(url: string, settings: string[]): { connectionString: string; options: string } {
  const ours = settings.map((setting) => `-c ${setting}`).join(' ');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url, options: ours };
  }
  const theirs = parsed.searchParams.get('options');
  if (theirs === null) return { connectionString: url, options: ours };
  parsed.searchParams.delete('options');
  return { connectionString: parsed.toString(), options: `${theirs} ${ours}` };
}

/** Refuses to serve through a connection that row-level security would not hold. */
async function mustBeAppRole(db: Db): Promise<void> {
  const { rows } = await sql<{ name: string; superuser: boolean; bypassrls: boolean }>`
    select current_user as name, rolsuper as superuser, rolbypassrls as bypassrls from pg_roles where rolname = current_user`.execute(db);
  const role = rows[0];
  if (!role || role.name !== APP_ROLE || role.superuser || role.bypassrls) {
    throw notAppRole(`its queries would run as ${role?.name ?? 'an unknown role'}${role?.superuser ? ' (a superuser)' : ''}${role?.bypassrls ? ' (BYPASSRLS)' : ''}, which row-level security does not hold`);
  }
}

function notAppRole(problem: string): AppError {
  return new AppError('unavailable', `the API cannot run its queries as ${APP_ROLE}: ${problem}`, {
    hint: `run \`dotmac db migrate --database-url <owner's URL>\` (it creates ${APP_ROLE}); connect with a user that may SET ROLE ${APP_ROLE}, and never make ${APP_ROLE} a superuser or BYPASSRLS`,
  });
}
