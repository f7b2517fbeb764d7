import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, invalid } from '../core/errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Db, Dialect } from '../db/database.js';
import type { AuditKey, SigningKeys } from './auth/keys.js';
import { verifiedTokens } from './auth/tokens.js';
import type { Metrics } from './metrics.js';
import type { ProbeSettings } from './modules/health/probe.js';
import { scrapeAccess } from './middleware/scrape-access.js';
import type { AppEnv, Services } from './context.js';
import { authenticate } from './middleware/authenticate.js';
import { idempotencyKeys } from './middleware/idempotency.js';
import { refuseNulInBody, refuseNulInRequest } from './middleware/nul-characters.js';
import { addressRateLimit, databaseCounter, memoryCounter, tokenRateLimit, type RateLimitOptions } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestTransaction } from './middleware/row-scope.js';
import { hasNoBody, setOnAnswer } from './middleware/fast-path.js';
import { problemResponse } from './problem.js';
import { authorize, type ApiRoute } from './routing.js';
import { SharedReads } from './shared-reads.js';

export interface AppOptions {
  db: Db;
  dialect: Dialect;
  keys: SigningKeys;
  auditKey: AuditKey;
  clock?: Clock;
  rateLimit?: RateLimitOptions | false;
  /** the largest request body accepted, in bytes */
  maxBodyBytes?: number;
  /** how the HTTP server tells the client's address; in-process calls have none */
  clientAddress?: (c: Context<AppEnv>) => string;
  version?: string;
  /** called once per request after the answer, e.g. to write an access log */
  onResponse?: (entry: AccessLogEntry) => void;
  /** where an unexpected error goes (default: stderr with its stack, for the server's log) */
  onInternalError?: (requestId: string, error: unknown) => void;
  /** served at GET /metrics to a master_admin token or `metricsSecret` (the HTTP server's; local mode has none) */
  metrics?: Metrics;
  /** a bearer secret a Prometheus server scrapes /metrics with, instead of a token */
  metricsSecret?: string;
  /** how `POST /v1/health/probe` probes (the server's --probe-* settings) */
  probe?: ProbeSettings;
  /** how long an overview or distribution answer is shared with callers of the same scope (shared-reads.ts); default 1,000 ms, 0 shares only computations under way */
  sharedReadsMs?: number;
}

export interface AccessLogEntry {
  at: string;
  request_id: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  role: string | null;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 1200, windowSeconds: 60 };
/** figures up to a second old, for the dashboards polling every few seconds */
export const DEFAULT_SHARED_READS_MS = 1_000;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the platform API over these routes (app.ts: all of them; local mode: those a request
 * needs, see lazy-app.ts). It never listens: http.ts binds it to a port, local mode calls app.fetch.
 */
export function buildApp(options: AppOptions, routes: readonly ApiRoute[]) {
  const services: Services = { db: options.db, dialect: options.dialect, keys: options.keys, auditKey: options.auditKey, clock: options.clock ?? systemClock, probe: options.probe, sharedReads: new SharedReads(options.sharedReadsMs ?? DEFAULT_SHARED_READS_MS) };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
        const first = errors[0]!;
        throw invalid(`${result.target === 'json' ? 'body' : result.target} ${first.path}: ${first.message}`, { errors });
      }
    },
  });

  if (options.metrics) app.use('*', options.metrics.measureRequests);
  app.use('*', requestId());
  const onResponse = options.onResponse;
  if (onResponse) {
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      onResponse({
        at: new Date().toISOString(),
        request_id: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        role: c.get('principal')?.role ?? null,
      });
    });
  }
  app.use('*', secureHeaders({ strictTransportSecurity: 'max-age=63072000; includeSubDomains', crossOriginResourcePolicy: 'same-origin' }));
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
    // after the change committed (PostgreSQL's request transaction ends inside next())
    if (!hasNoBody(c.req.method)) services.sharedReads!.changed();
    setOnAnswer(c, 'cache-control', 'no-store');
  });
  const limits = options.rateLimit === false ? undefined : (options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const counter = options.dialect === 'postgres' ? databaseCounter(options.db) : memoryCounter();
  const perAddress: MiddlewareHandler<AppEnv> = limits ? addressRateLimit(limits, counter, options.clientAddress ?? (() => 'local')) : (_c, next) => next();
  app.use('/v1/*', perAddress);
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limitBody = bodyLimit({ maxSize, onError: () => { throw new AppError('payload_too_large', `the request body is larger than ${maxSize} bytes`); } });
  app.use('/v1/*', (c, next) => (hasNoBody(c.req.method) ? next() : limitBody(c, next)));
  app.use('/v1/*', refuseNulInRequest());
  const verified = verifiedTokens(options.keys);
  app.use('/v1/*', authenticate(verified));
  if (limits) app.use('/v1/*', tokenRateLimit(limits, counter));

  const idempotency = idempotencyKeys();
  const refuseNul = refuseNulInBody();
  // PostgreSQL's row-level security needs the caller's scope set in a transaction around the work.
  const scoped = options.dialect === 'postgres' ? [requestTransaction()] : [];
  for (const route of routes) {
    // The role check runs as route middleware, before the validators: a caller without a token or
    // the role gets 401/403, never a validation answer about a route it may not use, and leaves
    // no Idempotency-Key behind.
    const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
      c.set('serviceContext', authorize(c, route));
      await next();
    };
    const middleware = [guard, refuseNul, idempotency(route), ...scoped];
    app.openapi({ ...route.config, middleware } as never, ((c: Parameters<ApiHandler>[0]) => route.handler(c, c.get('serviceContext')!)) as never);
  }

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await options.db.selectFrom('audit_chain').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
    } catch {
      throw new AppError('unavailable', 'the database is not answering');
    }
    return c.json({ status: 'ready' });
  });
  app.get('/.well-known/jwks.json', (c) => c.json(options.keys.jwks));
  const metrics = options.metrics;
  if (metrics) {
    // counted per address before any credential is checked, like /v1
    app.get('/metrics', perAddress, scrapeAccess(verified, options.metricsSecret), async (c) => {
      const { body, contentType } = await metrics.exposition();
      return c.body(body, 200, { 'content-type': contentType });
    });
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'DotMac platform API', version: options.version ?? '0.1.0' },
    security: [{ bearer: [] }],
  });

  app.notFound((c) => problemResponse(c, new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof AppError) return problemResponse(c, error);
    if (isUnstorableText(error)) return problemResponse(c, invalid('the request holds text the database cannot store'));
    if (error instanceof HTTPException && error.status < 500) {
      const kind = error.status === 413 ? 'payload_too_large' : 'invalid';
      return problemResponse(c, new AppError(kind, error.message || 'the request is not valid'));
    }
    const report = options.onInternalError ?? logToStderr;
    report(`${c.get('requestId')} ${c.req.method} ${c.req.path}`, error);
    return problemResponse(c, new AppError('internal', 'an internal error occurred; the request id identifies it in the server log'));
  });
  return app;
}

/**
 * PostgreSQL's "invalid byte sequence" (22021, e.g. U+0000) and "untranslatable character"
 * (22P05): bad input that got past the checks above, answered as such rather than as a 500.
 */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

type ApiHandler = (c: Context<AppEnv>) => Promise<Response>;

function logToStderr(where: string, error: unknown): void {
  console.error(`[${where}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
