import { createHmac } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ExpressionBuilder, Kysely } from 'kysely';
import { AppError, invalid } from '../../core/errors.js';
import type { Database } from '../../db/database.js';
import { writeTransaction } from '../../db/transaction.js';
import type { IdempotencyKeyRow } from '../../db/tables/idempotency-keys.js';
import type { AppEnv } from '../context.js';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const KEY_LIFETIME_MS = 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;

/**
 * `Idempotency-Key` on POST: the first answer is stored per caller and key for 24 hours; the same
 * key with the same body replays it, with another body is 422. A route whose answer carries a
 * secret keeps the key but never the answer: its replay is 409, and nothing is issued twice.
 *
 * The key, the change the request makes and the answer commit in one write transaction (the
 * service's own transaction nests in it), so a server killed at any moment leaves either all three
 * or none: a retry after a crash acts once, instead of finding the key forever "in progress". A
 * second request with the same key waits for the first (the write lock on SQLite, the key's row
 * on PostgreSQL) and then replays its answer.
 *
 * It runs as route middleware after the role check, so only a resolved route and an authorized
 * caller leave a key behind. One instance per app: expired keys are swept for every caller, at
 * most once a minute.
 */
export function idempotencyKeys() {
  let lastSweep = Number.NEGATIVE_INFINITY;
  return (route: { secretResponse: boolean }): MiddlewareHandler<AppEnv> =>
    async (c, next) => {
      const key = c.req.header('idempotency-key');
      const principal = c.get('principal');
      if (c.req.method !== 'POST' || key === undefined || !principal) return next();
      if (!KEY.test(key)) throw invalid('the Idempotency-Key header must be 1–200 letters, digits or ._:-');
      const { db, dialect, clock } = c.get('services');
      const now = clock.now().getTime();
      const expiredBefore = new Date(now - KEY_LIFETIME_MS).toISOString();
      if (now - lastSweep >= SWEEP_EVERY_MS || now < lastSweep) {
        lastSweep = now;
        await db.deleteFrom('idempotency_keys').where('created_at', '<', expiredBefore).execute();
      }

      // c.req.text() caches the body, so the validator after this reads the same text. Keyed with
      // the workspace's audit key: a body may hold a secret (a configuration file applied), and a
      // plain hash resting for 24 hours would let whoever reads the table test guesses at it.
      const bodyHash = createHmac('sha256', c.get('services').auditKey).update(`idempotency\n${c.req.path}\n${await c.req.text()}`).digest('hex');
      const row = { principal: principal.userId, key, method: 'POST', path: c.req.path, body_hash: bodyHash, status: null, response: null, created_at: new Date(now).toISOString() };
      try {
        return await writeTransaction(db, dialect, async (trx) => {
          let stored = await claim(trx, row);
          if (stored && stored.created_at < expiredBefore) {
            // Expired since the last sweep: forget it here rather than replay a stale answer.
            await trx.deleteFrom('idempotency_keys').where(ownKey(row)).where('created_at', '<', expiredBefore).execute();
            stored = await claim(trx, row);
          }
          if (stored) return replay(stored, bodyHash);

          c.set('serviceContext', { ...c.get('serviceContext')!, db: trx });
          await next();
          const res = c.res;
          if (res.status >= 500) throw UNSTORED;
          const withheld = route.secretResponse && res.status < 300;
          const response = withheld ? null : await res.clone().text();
          await trx.updateTable('idempotency_keys').set({ status: res.status, response }).where(ownKey(row)).execute();
          return undefined;
        });
      } catch (error) {
        // An internal error keeps nothing, neither the key nor anything the request wrote.
        if (error === UNSTORED) return;
        throw error;
      }
    };
}

const UNSTORED = Symbol('answer not stored');

/** Inserts the key; when the caller already holds it, returns the row it holds instead. */
async function claim(db: Kysely<Database>, row: IdempotencyKeyRow): Promise<IdempotencyKeyRow | undefined> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return undefined;
  return db.selectFrom('idempotency_keys').selectAll().where(ownKey(row)).executeTakeFirstOrThrow();
}

/** The caller's own key: keys belong to the principal that sent them. */
function ownKey(row: { principal: string; key: string }) {
  return (eb: ExpressionBuilder<Database, 'idempotency_keys'>) => eb.and({ principal: row.principal, key: row.key });
}

function replay(stored: IdempotencyKeyRow, bodyHash: string): Response {
  if (stored.body_hash !== bodyHash) throw new AppError('unprocessable', 'this Idempotency-Key was already used with another request');
  // Only a server from before keys committed with their answers leaves a key without one.
  if (stored.status === null) throw new AppError('conflict', 'a request with this Idempotency-Key is still in progress');
  if (stored.response === null) {
    throw new AppError(
      'conflict',
      'the first request with this Idempotency-Key succeeded, and its answer held a secret that is shown only once; nothing was issued again (send a new key to issue another)',
    );
  }
  return new Response(stored.response, {
    status: stored.status,
    headers: { 'content-type': stored.status < 300 ? 'application/json' : 'application/problem+json', 'idempotent-replayed': 'true' },
  });
}
