import type { Kysely } from 'kysely';
import type { Database, Db, Dialect } from '../../../db/database.js';
import { readInScope, setRowScope, type RowScope } from '../../../db/row-scope.js';
import { writeTransaction } from '../../../db/transaction.js';

/**
 * A worker's queries go through the same connection as the API's (on PostgreSQL as dotmac_app),
 * each transaction with a scope set: the platform scope to find and lease due jobs across
 * tenants, the job's tenant's scope for the job's own work. SQLite has no row-level security.
 */
export const PLATFORM_SCOPE: RowScope = { role: 'master_admin', tenantId: null, resellerId: null };

export const tenantScope = (tenantId: string): RowScope => ({ role: 'tenant_admin', tenantId, resellerId: null });

export async function scopedWrite<T>(db: Db, dialect: Dialect, scope: RowScope, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await setRowScope(trx, scope);
      return writeTransaction(trx, dialect, work);
    });
  }
  return writeTransaction(db, dialect, work);
}

export function scopedRead<T>(db: Db, scope: RowScope, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return readInScope(db, scope, work);
}
