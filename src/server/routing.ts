import { createRoute, z, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { forbidden, invalid, unauthorized } from '../core/errors.js';
import { ROLES, type Role } from './auth/principal.js';
import type { AppEnv, ServiceContext } from './context.js';
import { HUMAN_TEXT_RULE, isHumanText } from './human-text.js';

/** Which roles may call a route. (The few public endpoints, health and JWKS, live in app.ts.) */
export type Access = readonly Role[];

type Config = ReturnType<typeof createRoute>;
type Handler<R extends RouteConfig> = (c: Parameters<RouteHandler<R, AppEnv>>[0], ctx: ServiceContext) => Promise<Response>;

export interface RouteOptions {
  /**
   * Its successful answer carries a secret shown only once (a minted token): the answer is never
   * stored for an Idempotency-Key replay, nor anywhere else.
   */
  secretResponse?: boolean;
}

/** A route is data: its contract, who may call it, and a handler that only calls a service. */
export interface ApiRoute {
  config: Config;
  access: Access;
  secretResponse: boolean;
  handler: (c: Context<AppEnv>, ctx: ServiceContext) => Promise<Response>;
}

export function defineRoute<R extends RouteConfig & { path: string }>(access: Access, config: R, handler: Handler<R>, options: RouteOptions = {}): ApiRoute {
  // A route closed to any role answers that role 403, so its document says so.
  const closedToSome = ROLES.some((role) => !access.includes(role));
  const responses = closedToSome && !(403 in config.responses) ? { ...config.responses, 403: problems(403)[403] } : config.responses;
  return {
    config: createRoute({ ...config, responses }) as unknown as Config,
    access,
    secretResponse: options.secretResponse ?? false,
    handler: handler as unknown as ApiRoute['handler'],
  };
}

const REASON_HEADER = 'x-dotmac-reason';

/** The caller's context for the service layer, after the route's role check. */
export function authorize(c: Context<AppEnv>, route: Pick<ApiRoute, 'access' | 'config'>): ServiceContext {
  const access = route.access;
  const principal = c.get('principal');
  const services = c.get('services');
  if (!principal) throw unauthorized('a bearer token is required');
  if (!access.includes(principal.role)) {
    // operationId "suspendTenant" reads as "suspend tenant"
    const operation = String(route.config.operationId ?? 'call this route').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw forbidden(`the ${principal.role} role may not ${operation} (${access.join(' or ')} only)`);
  }
  const reason = reasonOf(c.req.header(REASON_HEADER));
  return { ...services, principal, requestId: c.get('requestId'), clientRequestId: c.get('clientRequestId'), reason };
}

/**
 * The reason travels percent-encoded (UTF-8, as encodeURIComponent writes it), since HTTP header
 * values cannot carry most of Unicode; it is human text like any other.
 */
function reasonOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  let reason: string;
  try {
    reason = decodeURIComponent(header);
  } catch {
    throw invalid('the X-Dotmac-Reason header must be percent-encoded UTF-8', { errors: [{ path: 'X-Dotmac-Reason', message: 'must be percent-encoded UTF-8' }] });
  }
  if (!isHumanText(reason)) {
    throw invalid(`the X-Dotmac-Reason header ${HUMAN_TEXT_RULE}`, { errors: [{ path: 'X-Dotmac-Reason', message: HUMAN_TEXT_RULE }] });
  }
  return reason.slice(0, 500);
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request',
  401: 'Not authenticated',
  403: 'Forbidden for this role',
  404: 'Not found (or outside the caller\'s scope)',
  409: 'Conflict with the current state',
  413: 'Body too large',
  422: 'Idempotency key reused with another body',
  429: 'Rate limited',
};

/**
 * A route's problem answers. Every route may answer 400 (a malformed X-Dotmac-Reason or
 * Idempotency-Key, a NUL in the URL), 401 and 429, whatever its own statuses.
 */
export function problems(...statuses: number[]) {
  const out: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> = {};
  for (const status of [400, 401, 429, ...statuses]) {
    out[status] = { description: PROBLEM_DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  return out;
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'page size (1–500)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'the next_cursor of the previous page' }),
};

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() }).openapi(name);
}
