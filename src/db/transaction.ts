import { sql, type Kysely } from 'kysely';
import { conflict } from '../core/errors.js';
import type { Database, Db, Dialect } from './database.js';

/**
 * Runs `work` in a write transaction. On SQLite it begins IMMEDIATE, taking the write lock up
 * front: kysely's plain BEGIN fails at once with SQLITE_BUSY when a read-then-write meets
 * another process's writer (a server and a CLI in local mode sharing one file), whereas
 * IMMEDIATE waits for the busy timeout instead.
 */
export async function writeTransaction<T>(db: Db, dialect: Dialect, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const observer = observers.get(db);
  const started = observer ? performance.now() : 0;
  try {
    const result = await (dialect === 'postgres' ? db.transaction().execute(work) : sqliteImmediate(db, work));
    observer?.((performance.now() - started) / 1000, 'commit');
    return result;
  } catch (error) {
    observer?.((performance.now() - started) / 1000, 'rollback');
    // Services check uniqueness first, but on PostgreSQL two transactions can both pass that
    // check; the loser's unique violation is the same conflict, not an internal error.
    // Worded like slugUnavailable: it must not confirm what holds the value.
    if (isUniqueViolation(error)) throw conflict('a slug or other unique value in this request is not available (another request took it at the same time); choose another');
    throw error;
  }
}

export type TransactionOutcome = 'commit' | 'rollback';
type TransactionObserver = (seconds: number, outcome: TransactionOutcome) => void;

const observers = new WeakMap<Db, TransactionObserver>();

/** Tells `observer` how long each write transaction on `db` took, lock wait included (for /metrics). */
export function observeTransactions(db: Db, observer: TransactionObserver): void {
  observers.set(db, observer);
}

/**
 * A taken slug, worded the same whoever holds it: a caller learns that the slug is not available
 * (inherent to unique slugs), never whether a tenant or reseller it cannot see exists.
 */
export function slugUnavailable(slug: string) {
  return conflict(`the slug "${slug}" is not available; choose another`);
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function sqliteImmediate<T>(db: Db, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
