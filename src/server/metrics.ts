import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Connection } from '../db/connect.js';
import { observeTransactions } from '../db/transaction.js';

// What `server start` serves at GET /metrics (Prometheus text format, written by prom-client).
// Only the HTTP server builds one: local mode never loads prom-client.

export interface Metrics {
  /** The outermost middleware: counts and times every answer by method, route pattern and status. */
  measureRequests: MiddlewareHandler;
  /** Times its queries and write transactions, and reads its pool at each scrape (PostgreSQL; SQLite has no pool). */
  watchDatabase(connection: Connection): void;
  /**
   * A gauge read at each scrape. The job queue registers its depth here once jobs exist
   * (DESIGN §3): `gaugeAtScrape('dotmac_job_queue_depth', 'jobs waiting for a worker', countQueuedJobs)`.
   */
  gaugeAtScrape(name: string, help: string, read: () => number | Promise<number>): void;
  /** A gauge with one label, read at each scrape: one series per key of what `read` answers. */
  labelledGaugeAtScrape(name: string, help: string, label: string, read: () => Promise<Record<string, number>>): void;
  exposition(): Promise<{ body: string; contentType: string }>;
}

/** Every route pattern of the API answers under 250 ms in its budget (DESIGN §7); the buckets straddle that. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const QUERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** What a request that matched no route is counted under: raw paths never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'dotmac_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'dotmac_http_request_duration_seconds',
    help: 'time from the request reaching the app to its answer being ready',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const queries = new Histogram({ name: 'dotmac_db_query_duration_seconds', help: 'database queries', labelNames: ['outcome'], buckets: QUERY_BUCKETS, registers: [registry] });
  const transactions = new Histogram({
    name: 'dotmac_db_transaction_duration_seconds',
    help: 'write transactions, from asking for the write lock to commit or rollback',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  // prom-client hashes the labels on every call; the series of one method, route and status is
  // looked up once and kept (their number is bounded by the route table).
  const series = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'method' | 'route' | 'status'> }>();
  const seriesOf = (method: string, route: string, status: string) => {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      found = { count: requests.labels(method, route, status), time: latency.labels(method, route, status) };
      series.set(key, found);
    }
    return found;
  };
  const queryOk = queries.labels('ok');
  const queryFailed = queries.labels('error');

  return {
    measureRequests: async (c, next) => {
      const started = performance.now();
      await next();
      const { count, time } = seriesOf(c.req.method, routePattern(c), String(c.res.status));
      count.inc();
      time.observe((performance.now() - started) / 1000);
    },
    watchDatabase(connection) {
      connection.observeQueries((seconds, failed) => (failed ? queryFailed : queryOk).observe(seconds));
      observeTransactions(connection.db, (seconds, outcome) => transactions.observe({ outcome }, seconds));
      const pool = connection.pool;
      if (!pool) return;
      new Gauge({
        name: 'dotmac_db_pool_connections',
        help: 'database pool connections by state (waiting: requests queued for one)',
        labelNames: ['state'],
        registers: [registry],
        collect() {
          const stats = pool();
          this.set({ state: 'total' }, stats.total);
          this.set({ state: 'idle' }, stats.idle);
          this.set({ state: 'waiting' }, stats.waiting);
        },
      });
    },
    gaugeAtScrape(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          this.set(await read());
        },
      });
    },
    labelledGaugeAtScrape(name, help, label, read) {
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers: [registry],
        async collect() {
          for (const [key, value] of Object.entries(await read())) this.set({ [label]: key }, value);
        },
      });
    },
    exposition: async () => ({ body: await registry.metrics(), contentType: registry.contentType }),
  };
}

/** The pattern of the endpoint the request matched (`/v1/tenants/:ref`), never its path. */
function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    // middleware registers as ALL; an endpoint under its own method
    if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  }
  return UNMATCHED_ROUTE;
}
