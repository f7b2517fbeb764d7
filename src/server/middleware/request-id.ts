import type { MiddlewareHandler } from 'hono';
import { newId } from '../../core/ids.js';
import type { AppEnv } from '../context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : newId('request');
    c.set('requestId', id);
    await next();
    c.header('x-request-id', id);
  };
}
