import type { Context } from 'hono';

// @hono/node-server hands the app light Request and Response objects that build Node's real ones
// (undici's) only when something asks for a part they do not hold: a request's body, or a response
// copied by Hono. Building them, and streaming a string body through a ReadableStream, was about a
// fifth of the cost of a small GET; these keep the common path from asking.

/**
 * Sets a header on the answer a handler already made. Hono's c.header() would copy that answer
 * first; every answer of this app is its own mutable Response, so its headers are set in place.
 */
export function setOnAnswer(c: Context, name: string, value: string): void {
  c.res.headers.set(name, value);
}

/** GET and HEAD carry no body (@hono/node-server gives them none): nothing to read or limit. */
export function hasNoBody(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}
