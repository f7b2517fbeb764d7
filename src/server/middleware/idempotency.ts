import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError, invalid } from '../../core/errors.js';
import type { AppEnv } from '../context.js';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const KEY_LIFETIME_MS = 24 * 3600 * 1000;

/**
 * `Idempotency-Key` on POST: the first answer is stored per caller and key for 24 hours; the same
 * key with the same body replays it, with another body is 422, and while the first is still
 * running 409.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    const principal = c.get('principal');
    if (c.req.method !== 'POST' || key === undefined || !principal) return next();
    if (!KEY.test(key)) throw invalid('the Idempotency-Key header must be 1–200 letters, digits or ._:-');
    const { db, clock } = c.get('services');
    const body = await c.req.raw.clone().text();
    const bodyHash = createHash('sha256').update(`${c.req.path}\n${body}`).digest('hex');
    const owner = principal.userId;
    // Keys are kept for a day, like most APIs that take them; the caller's expired keys go first.
    const now = clock.now();
    await db.deleteFrom('idempotency_keys').where('principal', '=', owner).where('created_at', '<', new Date(now.getTime() - KEY_LIFETIME_MS).toISOString()).execute();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ principal: owner, key, method: 'POST', path: c.req.path, body_hash: bodyHash, status: null, response: null, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const stored = await db.selectFrom('idempotency_keys').selectAll().where('principal', '=', owner).where('key', '=', key).executeTakeFirstOrThrow();
      if (stored.body_hash !== bodyHash) throw new AppError('unprocessable', 'this Idempotency-Key was already used with another request');
      if (stored.status === null) throw new AppError('conflict', 'a request with this Idempotency-Key is still in progress');
      return new Response(stored.response, {
        status: stored.status,
        headers: { 'content-type': stored.status < 300 ? 'application/json' : 'application/problem+json', 'idempotent-replayed': 'true' },
      });
    }
    try {
      await next();
    } catch (error) {
      await db.deleteFrom('idempotency_keys').where('principal', '=', owner).where('key', '=', key).execute();
      throw error;
    }
    const res = c.res;
    if (res.status >= 500) {
      await db.deleteFrom('idempotency_keys').where('principal', '=', owner).where('key', '=', key).execute();
      return;
    }
    const text = await res.clone().text();
    await db.updateTable('idempotency_keys').set({ status: res.status, response: text }).where('principal', '=', owner).where('key', '=', key).execute();
  };
}
