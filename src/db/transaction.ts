import { sql, type Kysely } from 'kysely';
import { conflict } from '../core/errors.js';
import type { Database, Db, Dialect } from './database.js';

/** Handles of open write transactions: a writeTransaction on one of them nests as a savepoint. */
const openTransactions = new WeakSet<Kysely<Database>>();
let savepoints = 0;

/**
 * Runs `work` in a write transaction. On SQLite it begins IMMEDIATE, taking the write lock up
 * front: kysely's plain BEGIN fails at once with SQLITE_BUSY when a read-then-write meets
 * another process's writer (a server and a CLI in local mode sharing one file), whereas
 * IMMEDIATE waits for the busy timeout instead. Given a transaction that writeTransaction opened
 * (the Idempotency-Key's, which holds the request's change), `work` runs inside it under a
 * savepoint, so a failed part rolls back alone. On PostgreSQL, given the transaction an API
 * request runs in (middleware/row-scope.ts), `work` joins it: it commits or rolls back with the
 * request.
 */
export async function writeTransaction<T>(db: Db, dialect: Dialect, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const observer = observers.get(db);
  const started = observer ? performance.now() : 0;
  try {
    if (openTransactions.has(db)) return await savepoint(db, work);
    if (dialect === 'postgres' && db.isTransaction) return await work(db);
    const result = await (dialect === 'postgres' ? db.transaction().execute((trx) => inside(trx, work)) : sqliteImmediate(db, work));
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

function inside<T>(trx: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  openTransactions.add(trx);
  return work(trx);
}

async function savepoint<T>(trx: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const name = sql.raw(`nested_write_${++savepoints}`);
  await sql`savepoint ${name}`.execute(trx);
  try {
    const result = await work(trx);
    await sql`release savepoint ${name}`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(trx).catch(() => undefined);
    throw error;
  }
}

function sqliteImmediate<T>(db: Db, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await inside(conn, work);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
