import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { forbidden, unauthorized } from '../../core/errors.js';
import { verifyToken, type VerifiedTokens } from '../auth/tokens.js';
import type { AppEnv } from '../context.js';

/**
 * Who may read /metrics: a master_admin token, or the scrape secret of the server's configuration
 * (what a Prometheus server holds instead of a token), both as a bearer. Anyone else is refused
 * like on /v1: 401 without a valid credential, 403 for other roles.
 */
export function scrapeAccess(verified: VerifiedTokens, secret: string | undefined): MiddlewareHandler<AppEnv> {
  const secretDigest = secret === undefined ? undefined : digest(secret);
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match) throw unauthorized('/metrics needs a master_admin token or the scrape secret, as "Authorization: Bearer <credential>"');
    const credential = match[1]!;
    // compared as digests of equal length, in constant time: neither timing nor length tells anything of the secret
    if (secretDigest && timingSafeEqual(digest(credential), secretDigest)) return next();
    const { db, clock } = c.get('services');
    const principal = await verifyToken(db, verified, clock, credential, 'read');
    if (principal.role !== 'master_admin') throw forbidden(`the ${principal.role} role may not read /metrics (master_admin or the scrape secret only)`);
    c.set('principal', principal);
    await next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
