import type { MiddlewareHandler } from 'hono';
import { unauthorized } from '../../core/errors.js';
import { verifyToken, type VerifiedTokens } from '../auth/tokens.js';
import type { AppEnv } from '../context.js';

/** Verifies a bearer token when one is sent; routes that need one refuse without it (routing.authorize). */
export function authenticate(verified: VerifiedTokens): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"');
      const { db, clock } = c.get('services');
      const intent = c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write';
      c.set('principal', await verifyToken(db, verified, clock, match[1]!, intent));
    }
    await next();
  };
}
