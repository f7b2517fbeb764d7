import type { MiddlewareHandler } from 'hono';
import { setRowScope, startScopedTransaction } from '../../db/row-scope.js';
import type { AppEnv } from '../context.js';

/**
 * PostgreSQL only: the route's work runs in one transaction with the caller's scope set, so
 * row-level security holds every query the services make through `ctx.db`, scoped or not. It is
 * the last route middleware. The rate-limit counters are written on their own connection,
 * visible to other requests at once; a keyed POST's transaction is the Idempotency-Key's (see
 * middleware/idempotency.ts). A request that ends in an error rolls back.
 */
export function requestTransaction(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ctx = c.get('serviceContext')!;
    if (ctx.db.isTransaction) {
      // A keyed POST already runs in the Idempotency-Key's transaction, which commits the key, the
      // change and the answer together: the scope is set in it, and its opener ends it.
      await setRowScope(ctx.db, ctx.principal);
      return next();
    }
    const trx = await startScopedTransaction(ctx.db, ctx.principal);
    try {
      c.set('serviceContext', { ...ctx, db: trx });
      await next();
    } catch (error) {
      await trx.rollback().execute();
      throw error;
    }
    // Hono has already turned a thrown error into the response; c.error says there was one.
    if (c.error) {
      // A rollback that fails leaves nothing committed either; the error's own answer stands.
      await trx.rollback().execute().catch(() => undefined);
      return;
    }
    try {
      await trx.commit().execute();
    } catch (error) {
      await trx.rollback().execute().catch(() => undefined);
      throw error;
    }
  };
}
