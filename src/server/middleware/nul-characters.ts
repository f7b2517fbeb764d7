import type { MiddlewareHandler } from 'hono';
import { invalid } from '../../core/errors.js';
import type { AppEnv } from '../context.js';
import { hasNoBody } from './fast-path.js';

// PostgreSQL text cannot hold U+0000 (SQLite stores it silently), and no field of the API has a
// use for it: it is refused in every input, before any of it reaches a query.

const NUL_RULE = 'must not contain a NUL character (U+0000)';

/** Worded like a validation failure: "<where> <field>: <rule>", with the field in `errors`. */
function refuse(where: 'path' | 'query' | 'header' | 'body', field: string): never {
  throw invalid(`${where} ${field}: ${NUL_RULE}`, { errors: [{ path: field, message: NUL_RULE }] });
}

/** The path, the query string and the headers: cheap, so it runs on every /v1 request. */
export function refuseNulInRequest(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    if (url.includes('%00') || url.includes('\0')) {
      const queryAt = url.indexOf('?');
      const query = queryAt < 0 ? '' : url.slice(queryAt + 1);
      if (queryAt < 0 || url.slice(0, queryAt).includes('%00') || url.slice(0, queryAt).includes('\0')) refuse('path', '(path)');
      for (const [name, value] of new URLSearchParams(query)) {
        if (name.includes('\0') || value.includes('\0')) refuse('query', printable(name));
      }
    }
    c.req.raw.headers.forEach((value, name) => {
      if (value.includes('\0')) refuse('header', name);
    });
    await next();
  };
}

/** A JSON body, every key and string in it: route middleware, so only an authorized caller's body is read. */
export function refuseNulInBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!hasNoBody(c.req.method) && c.req.raw.body) {
      // c.req.text() caches the body, so the validator after this reads the same text.
      const text = await c.req.text();
      // In JSON text U+0000 can only be the escape \u0000 (a raw one is not JSON at all).
      if (text.includes('\0')) refuse('body', '(body)');
      if (text.includes('\\u0000')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return next(); // not JSON: the validator answers that
        }
        const where = nulIn(parsed, '');
        if (where !== null) refuse('body', where || '(body)');
      }
    }
    await next();
  };
}

/** The path of the first key or string holding U+0000, or null. */
function nulIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${printable(key)}` : printable(key);
    if (key.includes('\0')) return at;
    const found = nulIn(item, at);
    if (found !== null) return found;
  }
  return null;
}

/** A name from the request, safe to echo in a message. */
function printable(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 100);
}
