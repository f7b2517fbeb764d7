import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { isPostgres, readInScope, setRowScope } from '../../../db/row-scope.js';
import type { ServiceContext } from '../../context.js';

const PLATFORM = { role: 'master_admin' as const, tenantId: null, resellerId: null };

/**
 * A read over every tenant, for aggregates whose answer is then anonymised (distributions.ts) or
 * that hold no tenant's figures, and for the partner programme's rates an acceptance prices the
 * initial commission with (commissions/initial.ts). On PostgreSQL the request's transaction is
 * scoped to the caller by row-level security; for this read alone it is widened to the platform,
 * and narrowed back before anything else runs in it. Only reads run inside it: nothing is written
 * with the wider scope.
 */
export async function readAcrossTenants<T>(ctx: ServiceContext, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!isPostgres(ctx.db)) return read(ctx.db);
  if (!ctx.db.isTransaction) return readInScope(ctx.db, PLATFORM, read);
  await setRowScope(ctx.db, PLATFORM);
  try {
    return await read(ctx.db);
  } finally {
    await setRowScope(ctx.db, ctx.principal);
  }
}
