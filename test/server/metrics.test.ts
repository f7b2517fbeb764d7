import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/server/metrics.js';
import { DIALECT, startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem } from './problem-response.js';

/**
 * GET /metrics: Prometheus text format (checked with a real parser of it, parse-prometheus-text-format),
 * labelled by route pattern and never by path, for a master_admin token or the scrape secret only.
 */

const SECRET = 'scrape-0123456789abcdef0123456789abcdef';
let api: TestApi;
let tenantAdmin: string;
let reseller: string;

beforeAll(async () => {
  const metrics = createMetrics();
  metrics.gaugeAtScrape('dotmac_test_queue_depth', 'a gauge registered the way the job queue will register its depth', () => 3);
  api = await startTestApi({ metrics, metricsSecret: SECRET });
  await api.admin.resellers.create({ slug: 'metrics-partner', name: 'Metrics partner' });
  await api.admin.tenants.create({ slug: 'measured', name: 'Measured', reseller: 'metrics-partner' });
  tenantAdmin = (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'measured' })).token;
  reseller = (await api.admin.tokens.create({ role: 'reseller', reseller: 'metrics-partner' })).token;
  await api.admin.tenants.list();
  await api.admin.raw('GET', '/v1/tenants/measured');
  await api.admin.raw('GET', '/v1/tenants/no-such-tenant');
  await api.admin.raw('GET', '/no/such/path/ten_01secret');
});
afterAll(() => api.close());

const scrape = (authorization?: string) => api.app.request('/metrics', { headers: authorization === undefined ? {} : { authorization } });

/** The parser checks every line and groups the families; it throws on anything malformed. */
async function families(): Promise<{ all: ParsedFamily[]; text: string }> {
  const res = await scrape(`Bearer ${SECRET}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { all: parsePrometheusTextFormat(text), text };
}

/**
 * parse-prometheus-text-format 1.1.1 merges the label sets of a labelled histogram into one (its
 * flattening keeps only `le`), so one series' _count and _sum are read from the checked text.
 */
function histogramSeries(text: string, name: string, labels: string) {
  const value = (suffix: string) => Number(new RegExp(`^${name}_${suffix}\\{${labels.replace(/[{}().*+?^$|[\]\\/]/g, '\\$&')}\\} (\\S+)$`, 'm').exec(text)?.[1]);
  return { count: value('count'), sum: value('sum') };
}

const family = (all: ParsedFamily[], name: string) => {
  const found = all.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in ${all.map((f) => f.name).join(', ')}`);
  return found;
};

describe('who may scrape', () => {
  it('refuses anonymous callers, bad credentials and other roles with problem JSON', async () => {
    const read = async (res: Response) => ({ status: res.status, headers: res.headers, body: await res.text() });
    expectProblem(await read(await scrape()), 401, 'unauthorized');
    expectProblem(await read(await scrape(`Basic ${Buffer.from(`prometheus:${SECRET}`).toString('base64')}`)), 401, 'unauthorized');
    expectProblem(await read(await scrape(`Bearer ${SECRET.slice(0, -1)}x`)), 401, 'unauthorized');
    expectProblem(await read(await scrape(`Bearer ${SECRET}${SECRET}`)), 401, 'unauthorized');
    expectProblem(await read(await scrape(`Bearer ${tenantAdmin}`)), 403, 'forbidden');
    expectProblem(await read(await scrape(`Bearer ${reseller}`)), 403, 'forbidden');
  });

  it('answers a master_admin token and the scrape secret', async () => {
    const { token } = await api.admin.tokens.create({ role: 'master_admin', email: 'scraper@example.test' });
    expect((await scrape(`Bearer ${token}`)).status).toBe(200);
    expect((await scrape(`bearer ${SECRET}`)).status).toBe(200);
  });

  it('is not served by an app built without metrics (local mode)', async () => {
    const plain = await startTestApi();
    try {
      expect((await plain.app.request('/metrics', { headers: { authorization: `Bearer ${SECRET}` } })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('what a scrape holds', () => {
  it('counts and times requests by method, route pattern and status, never by path', async () => {
    const { all, text } = await families();
    const requests = family(all, 'dotmac_http_requests_total');
    expect(requests.type).toBe('COUNTER');
    const count = (labels: Record<string, string>) => Number(requests.metrics.find((m) => JSON.stringify(m.labels) === JSON.stringify(labels))?.value ?? 0);
    expect(count({ method: 'GET', route: '/v1/tenants', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(count({ method: 'GET', route: '/v1/tenants/:ref', status: '200' })).toBe(1);
    expect(count({ method: 'GET', route: '/v1/tenants/:ref', status: '404' })).toBe(1);
    expect(count({ method: 'POST', route: '/v1/tenants', status: '201' })).toBe(1);
    expect(count({ method: 'GET', route: '(unmatched)', status: '404' })).toBe(1);
    expect(count({ method: 'GET', route: '/metrics', status: '401' })).toBeGreaterThanOrEqual(1);
    const routes = new Set(requests.metrics.map((m) => m.labels!.route));
    for (const route of routes) expect(route).not.toMatch(/measured|no-such|ten_|secret/);

    const latency = family(all, 'dotmac_http_request_duration_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    expect(Object.keys(latency.metrics[0]!.buckets!)).toContain('+Inf');
    const listed = histogramSeries(text, 'dotmac_http_request_duration_seconds', 'method="GET",route="/v1/tenants",status="200"');
    expect(listed.count).toBe(count({ method: 'GET', route: '/v1/tenants', status: '200' }));
    expect(listed.sum).toBeGreaterThan(0);
  });

  it('times database queries and write transactions, and tells the pool on PostgreSQL', async () => {
    const { all, text } = await families();
    expect(family(all, 'dotmac_db_query_duration_seconds').type).toBe('HISTOGRAM');
    expect(histogramSeries(text, 'dotmac_db_query_duration_seconds', 'outcome="ok"').count).toBeGreaterThan(10);
    expect(family(all, 'dotmac_db_transaction_duration_seconds').type).toBe('HISTOGRAM');
    expect(histogramSeries(text, 'dotmac_db_transaction_duration_seconds', 'outcome="commit"').count).toBeGreaterThanOrEqual(4);
    if (DIALECT === 'postgres') {
      const states = family(all, 'dotmac_db_pool_connections').metrics.map((m) => m.labels!.state).sort();
      expect(states).toEqual(['idle', 'total', 'waiting']);
    } else {
      expect(all.some((f) => f.name === 'dotmac_db_pool_connections')).toBe(false);
    }
  });

  it('has the process metrics and the gauges registered for scrapes', async () => {
    const { all } = await families();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(family(all, name).metrics.length).toBeGreaterThan(0);
    }
    expect(family(all, 'dotmac_test_queue_depth').metrics[0]!.value).toBe('3');
  });

  it('never holds the scrape secret or a token', async () => {
    const text = await (await scrape(`Bearer ${SECRET}`)).text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(tenantAdmin.split('.')[2]!);
  });
});
