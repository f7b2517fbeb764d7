import { PostgresAdapter, sql, type ControlledTransaction, type Kysely } from 'kysely';
import type { Database, Db } from './database.js';
import type { Role } from './tables/users.js';

/**
 * Whose rows a PostgreSQL transaction may see and write: what the policies of migration
 * 2026112603 read, as scopeTo reads the principal. SQLite has no row-level security.
 */
export interface RowScope {
  role: Role;
  tenantId: string | null;
  resellerId: string | null;
}

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * set_config(..., true) is SET LOCAL: the scope ends with the transaction, so a pooled connection
 * never carries one request's scope into the next.
 */
export async function setRowScope(trx: Kysely<Database>, scope: RowScope): Promise<void> {
  await sql`select set_config('dotmac.role', ${policyRole(scope.role)}, true), set_config('dotmac.tenant_id', ${scope.tenantId ?? ''}, true), set_config('dotmac.reseller_id', ${scope.resellerId ?? ''}, true)`.execute(trx);
}

/**
 * The role the policies see. An instance agent's rows are its tenant's, exactly as its tenant
 * admin's are, so it is scoped as tenant_admin: the policies (frozen in their migrations) need no
 * fourth branch, and what it may do beyond reading its tenant is decided by its routes (only
 * pushing metrics).
 */
function policyRole(role: Role): Exclude<Role, 'instance'> {
  return role === 'instance' ? 'tenant_admin' : role;
}

/** On PostgreSQL, `read` runs in a short transaction of its own with the scope set; on SQLite, as it is. */
export async function readInScope<T>(db: Db, scope: RowScope, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return read(db);
  return db.transaction().execute(async (trx) => {
    await setRowScope(trx, scope);
    return read(trx);
  });
}

/** A transaction with the scope set, that its opener commits or rolls back (a request's, see middleware/row-scope.ts). */
export async function startScopedTransaction(db: Db, scope: RowScope): Promise<ControlledTransaction<Database>> {
  const trx = await db.startTransaction().execute();
  try {
    await setRowScope(trx, scope);
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
  return trx;
}
