import type { Context, MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { AppEnv } from '../context.js';

export interface RateLimitOptions {
  /** requests allowed per window and caller (token, or client address without one) */
  limit: number;
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

export function rateLimit(options: RateLimitOptions, counter: RateCounter, clientAddress: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const bucket = principal ? `token:${principal.jti}` : `addr:${clientAddress(c)}`;
    const nowSeconds = Math.floor(c.get('services').clock.now().getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % options.windowSeconds);
    const count = await counter.hit(bucket, windowStart);
    const remaining = Math.max(0, options.limit - count);
    c.header('ratelimit-limit', String(options.limit));
    c.header('ratelimit-remaining', String(remaining));
    if (count > options.limit) {
      const retryAfter = windowStart + options.windowSeconds - nowSeconds;
      throw new AppError('rate_limited', `rate limit of ${options.limit} requests per ${options.windowSeconds}s exceeded`, { retryAfter });
    }
    await next();
  };
}
