import { sql, type Kysely } from 'kysely';
import type { Database, Db, Dialect } from './database.js';

/**
 * Runs `work` in a write transaction. On SQLite it begins IMMEDIATE, taking the write lock up
 * front: kysely's plain BEGIN fails at once with SQLITE_BUSY when a read-then-write meets
 * another process's writer (a server and a CLI in local mode sharing one file), whereas
 * IMMEDIATE waits for the busy timeout instead.
 */
export async function writeTransaction<T>(db: Db, dialect: Dialect, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(work);
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
