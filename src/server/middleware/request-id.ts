import type { MiddlewareHandler } from 'hono';
import { newId } from '../../core/ids.js';
import type { AppEnv } from '../context.js';
import { setOnAnswer } from './fast-path.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Every request gets an id of the server's making: the audit trail and the logs must not carry
 * one a caller chose. A caller's own X-Request-Id is kept apart (when it is a plain token) so
 * that it can still find its request.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = newId('request');
    const incoming = c.req.header('x-request-id');
    c.set('requestId', id);
    c.set('clientRequestId', incoming && SAFE_ID.test(incoming) ? incoming : null);
    await next();
    setOnAnswer(c, 'x-request-id', id);
  };
}
