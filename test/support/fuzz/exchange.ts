import { randomUUID } from 'node:crypto';
import type { z } from '@hono/zod-openapi';
import { isDeepStrictEqual } from 'node:util';
import type { ApiResponse } from '../../../src/client/transport.js';
import { FINER_CODES, kindForStatus } from '../../../src/core/errors.js';
import type { ApiRoute } from '../../../src/server/routing.js';
import { expectProblem } from '../../server/problem-response.js';
import { scopeViolations, type Caller } from '../scope-oracle.js';
import type { PathValue } from './recipes.js';
import type { FuzzRequest, Operation } from './requests.js';
import { isSymbolicRef, type FuzzWorld, type Snapshot } from './world.js';

/** A fuzzed request as it went over the wire, for the failure message. */
export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  caller?: Caller;
}

export async function send(world: FuzzWorld, op: Operation, request: FuzzRequest): Promise<{ sent: Sent; res: ApiResponse }> {
  const { authorization, caller } = await world.credentials(request.caller, request.forgery);
  const before = await world.snapshot();
  const segment = (value: PathValue) => {
    if (isSymbolicRef(value)) return encodeURIComponent(world.resolve(value, caller, before));
    return value.raw ? value.literal : encodeURIComponent(value.literal);
  };
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => segment(request.path[name]!));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(world.resolveDeep(request.query, caller, before) as Record<string, unknown>)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, typeof item === 'string' ? item : JSON.stringify(item));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (request.reason !== undefined) headers['x-dotmac-reason'] = request.reason;
  if (op.method === 'POST' && request.idempotencyKey !== null) headers['idempotency-key'] = request.idempotencyKey ?? randomUUID();
  let body: string | undefined;
  if (request.body) {
    if (request.contentType !== null) headers['content-type'] = request.contentType;
    body = 'text' in request.body ? request.body.text : JSON.stringify(world.resolveDeep(request.body.json, caller, before));
  }
  const url = `${path}${query.size ? `?${query}` : ''}`;
  const raw = await world.api.app.request(url, { method: op.method, headers, body });
  const res = { status: raw.status, headers: raw.headers, body: await raw.text() };
  return { sent: { method: op.method, url, headers, body, caller }, res };
}

/**
 * What must hold for every answer: never 5xx; a 2xx only for a caller with a real token and the
 * route's role, with a body its zod schema accepts exactly (no field the schema does not name)
 * and nothing outside the caller's scope in it; every 4xx problem JSON whose code matches the
 * status. Returns what is wrong, or nothing.
 */
export function judge(op: Operation, route: ApiRoute, sent: Sent, res: ApiResponse, after: Snapshot): string[] {
  const wrong: string[] = [];
  if (res.status >= 500) return [`answered ${res.status}`];
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [`the body is not JSON: ${res.body.slice(0, 200)}`];
  }
  if (!reachesOperation(op, sent.url)) {
    // Garbage in a path segment ("", "a/b", "..") can make a URL no route matches: refused, as
    // problem JSON (a bad token, or a suspended tenant's token writing, is refused first, on any /v1 path).
    if (![400, 401, 403, 404].includes(res.status)) wrong.push(`a URL that no route matches got ${res.status}`);
    return [...wrong, ...problemFaults(res)];
  }
  const documented = Object.keys(route.config.responses).map(Number);
  if (!documented.includes(res.status)) wrong.push(`${res.status} is not among the statuses the document gives this operation (${documented.join(', ')})`);
  if (res.status >= 200 && res.status < 300) {
    if (!sent.caller) wrong.push(`a caller without a valid token got ${res.status}`);
    else if (!route.access.includes(sent.caller.role)) wrong.push(`${sent.caller.role} got ${res.status} from a route for ${route.access.join(', ')}`);
    const schema = (route.config.responses as Record<number, { content?: Record<string, { schema: z.ZodType }> }>)[res.status]?.content?.['application/json']?.schema;
    if (!schema) wrong.push(`${res.status} is not a documented JSON answer of this route`);
    else {
      const parsed = schema.safeParse(body);
      if (!parsed.success) wrong.push(`the body does not match the response schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      else if (!isDeepStrictEqual(parsed.data, body)) wrong.push('the body carries fields its response schema does not name');
    }
    if (sent.caller) wrong.push(...scopeViolations(body, sent.caller, after).map((v) => `outside the caller's scope: ${v}`));
  } else if (res.status >= 400) {
    wrong.push(...problemFaults(res));
  } else {
    wrong.push(`answered ${res.status}`);
  }
  return wrong;
}

/** Whether the URL, as the server parses it, has the operation's path (any non-empty segment for a parameter). */
export function reachesOperation(op: Operation, url: string): boolean {
  const literal = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  const template = new RegExp(`^${op.path.split(/\{\w+\}/).map(literal).join('[^/]+')}$`);
  return template.test(new URL(url, 'http://localhost').pathname);
}

/** What test/server/problem-response.ts finds wrong with a problem answer: its type, status, code, title and detail. */
function problemFaults(res: ApiResponse): string[] {
  try {
    // a finer code (outside_territory) stands for its kind
    const code = (() => {
      try {
        return String((JSON.parse(res.body) as { code?: unknown }).code);
      } catch {
        return '';
      }
    })();
    const finer = Object.hasOwn(FINER_CODES, code) && FINER_CODES[code as keyof typeof FINER_CODES] === kindForStatus(res.status);
    expectProblem(res, res.status, finer ? code : kindForStatus(res.status));
    return [];
  } catch (error) {
    return [`not problem JSON: ${(error as Error).message.split('\n')[0]}`];
  }
}

export function describeExchange(sent: Sent, res: ApiResponse): string {
  const who = sent.caller ? `${sent.caller.role}${sent.caller.tenantId ? ` of ${sent.caller.tenantId}` : ''}${sent.caller.resellerId ? ` of ${sent.caller.resellerId}` : ''}` : `no valid token (${(sent.headers.authorization ?? 'none').slice(0, 40)})`;
  const lines = [`${sent.method} ${sent.url}`, `as ${who}`];
  if (sent.headers['x-dotmac-reason']) lines.push(`X-Dotmac-Reason: ${sent.headers['x-dotmac-reason'].slice(0, 80)}`);
  if (sent.headers['idempotency-key']) lines.push(`Idempotency-Key: ${sent.headers['idempotency-key'].slice(0, 60)}`);
  if (sent.body !== undefined) lines.push(`Content-Type: ${sent.headers['content-type'] ?? '(none)'}`, `body: ${sent.body.slice(0, 300)}`);
  lines.push(`→ ${res.status} ${res.body.slice(0, 500)}`);
  return lines.join('\n  ');
}
