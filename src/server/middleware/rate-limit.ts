import type { Context, MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { AppEnv } from '../context.js';

export interface RateLimitOptions {
  /** requests allowed per window and token */
  limit: number;
  /** requests allowed per window and client address, counted before authentication (default: limit; 0: not counted) */
  perAddress?: number;
  windowSeconds: number;
}

/** Counts requests in fixed windows. One process can count in memory; several share the database. */
export interface RateCounter {
  hit(bucket: string, windowStart: number): Promise<number>;
}

export function memoryCounter(): RateCounter {
  const counts = new Map<string, number>();
  let currentWindow = 0;
  return {
    async hit(bucket, windowStart) {
      if (windowStart !== currentWindow) {
        counts.clear();
        currentWindow = windowStart;
      }
      const next = (counts.get(bucket) ?? 0) + 1;
      counts.set(bucket, next);
      return next;
    },
  };
}

/** Shared by every server process on one PostgreSQL: an upsert that returns the new count. */
export function databaseCounter(db: Db): RateCounter {
  let lastSweep = 0;
  return {
    async hit(bucket, windowStart) {
      const row = await db
        .insertInto('rate_limits')
        .values({ bucket, window_start: windowStart, count: 1 })
        .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + 1` }))
        .returning('count')
        .executeTakeFirstOrThrow();
      if (windowStart !== lastSweep) {
        lastSweep = windowStart;
        await db.deleteFrom('rate_limits').where('window_start', '<', windowStart).execute();
      }
      return Number(row.count);
    },
  };
}

/**
 * Before authentication: every request counts against its client address, so a flood of forged,
 * expired or revoked tokens is limited like any other.
 */
export function addressRateLimit(options: RateLimitOptions, counter: RateCounter, clientAddress: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  const limit = options.perAddress ?? options.limit;
  return async (c, next) => {
    if (limit > 0) await count(c, counter, `addr:${clientAddress(c)}`, limit, options.windowSeconds);
    await next();
  };
}

/** After authentication: a token's requests count against the token, from wherever they come. */
export function tokenRateLimit(options: RateLimitOptions, counter: RateCounter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal) await count(c, counter, `token:${principal.jti}`, options.limit, options.windowSeconds);
    await next();
  };
}

/** Counts one request in the bucket's current window; past the limit, 429 with Retry-After. */
async function count(c: Context<AppEnv>, counter: RateCounter, bucket: string, limit: number, windowSeconds: number): Promise<void> {
  const nowSeconds = Math.floor(c.get('services').clock.now().getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % windowSeconds);
  const hits = await counter.hit(bucket, windowStart);
  c.header('ratelimit-limit', String(limit));
  c.header('ratelimit-remaining', String(Math.max(0, limit - hits)));
  if (hits > limit) {
    const retryAfter = windowStart + windowSeconds - nowSeconds;
    throw new AppError('rate_limited', `rate limit of ${limit} requests per ${windowSeconds}s exceeded`, { retryAfter });
  }
}
