import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../../../src/client/types.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { answers, closedPort, type HealthServer } from '../../../support/health-servers.js';
import { drainJobs } from '../../../support/jobs.js';
import { expectProblem } from '../../problem-response.js';

/**
 * Must-hold 5: probes against real HTTP servers on 127.0.0.1 that answer, answer slowly, refuse,
 * hang, fail and flap; uptime and p95 are checked against what the probes recorded. The API's
 * clock is fixed and moved by hand, so windows are exact; only the probes' latencies are real.
 */

const DEGRADED_MS = 800;
const SLOW_MS = 1500;
const TIMEOUT_MS = 4000;
const HOUR = 3600_000;

let api: TestApi;
let serial = 0;
const servers: HealthServer[] = [];

async function serve(server: Promise<HealthServer>): Promise<HealthServer> {
  const s = await server;
  servers.push(s);
  return s;
}

/** A fresh tenant whose current deployment's endpoint is `url`. */
async function tenantAt(url: string): Promise<string> {
  const slug = `probe-${++serial}`;
  await api.admin.tenants.create({ slug, name: slug });
  await api.admin.deployments.create({ tenant: slug, version: '1.0.0', endpoint: url });
  await drainJobs(api);
  return slug;
}

const probe = async (tenant: string) => (await api.admin.health.probe({ tenant })).data[0]!;

beforeAll(async () => {
  api = await startTestApi({ probe: { intervalMs: 0, degradedMs: DEGRADED_MS, connectTimeoutMs: 2000, timeoutMs: TIMEOUT_MS } });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await api.close();
});

describe('one probe of each kind of instance', () => {
  it('records up for a quick 2xx, with its latency and status', async () => {
    const server = await serve(answers.ok());
    const tenant = await tenantAt(server.url);
    const check = await probe(tenant);
    expect(check).toMatchObject({ tenant_slug: tenant, status: 'up', http_status: 200, error: null });
    expect(check.latency_ms).toBeLessThan(DEGRADED_MS);
    expect(server.hits).toBe(1);
  });

  it('records degraded for a 2xx slower than the threshold', async () => {
    const tenant = await tenantAt((await serve(answers.slow(SLOW_MS))).url);
    const check = await probe(tenant);
    expect(check).toMatchObject({ status: 'degraded', http_status: 200, error: null });
    expect(check.latency_ms).toBeGreaterThanOrEqual(SLOW_MS - 5);
  });

  it('records down for a closed port (refused), without a latency', async () => {
    const tenant = await tenantAt(await closedPort());
    expect(await probe(tenant)).toMatchObject({ status: 'down', http_status: null, latency_ms: null, error: 'connection refused' });
  });

  it('records down when no answer comes within the timeout', async () => {
    const tenant = await tenantAt((await serve(answers.hang())).url);
    expect(await probe(tenant)).toMatchObject({ status: 'down', http_status: null, latency_ms: null, error: `no answer within ${TIMEOUT_MS} ms` });
  });

  it('records down when the status comes but the body stops before its end', async () => {
    const tenant = await tenantAt((await serve(answers.stall())).url);
    expect(await probe(tenant)).toMatchObject({ status: 'down', http_status: 200, latency_ms: null, error: `the answer broke off: no answer within ${TIMEOUT_MS} ms` });
  });

  it('records up for a quick 2xx whose body is larger than a probe reads', async () => {
    const tenant = await tenantAt((await serve(answers.large(1024 * 1024))).url);
    expect(await probe(tenant)).toMatchObject({ status: 'up', http_status: 200, error: null });
  });

  it('records down for a 5xx and for any other non-2xx', async () => {
    for (const code of [500, 503, 404]) {
      const tenant = await tenantAt((await serve(answers.status(code))).url);
      expect(await probe(tenant)).toMatchObject({ status: 'down', http_status: code, error: `answered HTTP ${code}` });
    }
  });

  it('does not follow a redirect, even to a healthy place', async () => {
    const healthy = await serve(answers.ok());
    const tenant = await tenantAt((await serve(answers.redirect(`${healthy.url}/health`))).url);
    expect(await probe(tenant)).toMatchObject({ status: 'down', http_status: 302 });
    expect(healthy.hits).toBe(0);
  });

  it('probes {endpoint}/health of the current deployment, not an older one', async () => {
    const old = await serve(answers.ok());
    const current = await serve(answers.ok());
    const tenant = await tenantAt(old.url);
    await api.admin.deployments.create({ tenant, version: '1.1.0', endpoint: `${current.url}/api` });
    await drainJobs(api);
    await probe(tenant);
    expect(old.requests).toEqual([]);
    expect(current.requests).toEqual(['GET /api/health']);
  });
});

describe('uptime and p95 from what was recorded', () => {
  it('a flapping instance: uptime over 24 h and 7 d and p95 equal what the recorded probes say', async () => {
    // 200, 200, 503, 200, 503, 503, 200, 200, 200, 503: six up in ten
    const pattern = [200, 200, 503, 200, 503, 503, 200, 200, 200, 503];
    const tenant = await tenantAt((await serve(answers.flapping(pattern))).url);
    const older: ProbeResults['data'] = [];
    for (let i = 0; i < 10; i++) {
      older.push(await probe(tenant));
      api.clock.advance(HOUR);
    }
    expect(older.map((c) => c.http_status)).toEqual(pattern);
    expect(older.map((c) => c.status)).toEqual(pattern.map((s) => (s === 200 ? 'up' : 'down')));
    // two days on, ten more probes: the first ten leave the 24 h window but not the 7 d one
    api.clock.advance(48 * HOUR);
    const recent: ProbeResults['data'] = [];
    for (let i = 0; i < 10; i++) {
      recent.push(await probe(tenant));
      api.clock.advance(60_000);
    }
    const up = (checks: ProbeResults['data']) => checks.filter((c) => c.status !== 'down').length;
    const health = await api.admin.health.get(tenant);
    expect(health.checks_24h).toBe(10);
    expect(health.checks_7d).toBe(20);
    expect(health.uptime_24h).toBe(Math.round((up(recent) / 10) * 10000) / 100);
    expect(health.uptime_7d).toBe(Math.round((up([...older, ...recent]) / 20) * 10000) / 100);
    // p95 by nearest rank over the answered probes of the last 24 h: with ten, the largest
    const answered = recent.filter((c) => c.latency_ms !== null).map((c) => c.latency_ms!);
    expect(health.p95_latency_ms).toBe(Math.max(...answered));
    expect(health.status).toBe(recent.at(-1)!.status);
    expect(health.recent.map((r) => r.status)).toEqual([...older, ...recent].map((c) => c.status));
    // eight more days: nothing is in either window
    api.clock.advance(8 * 24 * HOUR);
    const later = await api.admin.health.get(tenant);
    expect(later).toMatchObject({ uptime_24h: null, uptime_7d: null, checks_24h: 0, checks_7d: 0, p95_latency_ms: null });
  });

  it('p95 over many answers is the nearest-rank 95th percentile of the recorded latencies', async () => {
    const tenant = await tenantAt((await serve(answers.ok())).url);
    const checks: ProbeResults['data'] = [];
    for (let i = 0; i < 40; i++) checks.push(await probe(tenant));
    const sorted = checks.map((c) => c.latency_ms!).sort((a, b) => a - b);
    const health = await api.admin.health.get(tenant);
    expect(health.p95_latency_ms).toBe(sorted[Math.ceil(0.95 * 40) - 1]);
    expect(health.uptime_24h).toBe(100);
    // the list says the same of it
    const { recent: _recent, ...summary } = health;
    expect((await api.admin.health.list({ limit: 500 })).data.find((row) => row.tenant_slug === tenant)).toEqual(summary);
  });
});

describe('the current status', () => {
  it('is the last probe recorded, also when two were recorded at the same moment (the later one wins, one tenant or the list)', async () => {
    const tenant = await tenantAt((await serve(answers.flapping([200, 503]))).url);
    const [first, second] = [await probe(tenant), await probe(tenant)];
    expect([first.status, second.status, first.at === second.at]).toEqual(['up', 'down', true]);
    expect((await api.admin.health.get(tenant)).status).toBe('down');
    expect((await api.admin.health.list({ limit: 500 })).data.find((row) => row.tenant_slug === tenant)?.status).toBe('down');
  });
});

describe('who probes what', () => {
  it('lets a tenant admin probe its own tenant, and hides the others (404)', async () => {
    const mine = await tenantAt((await serve(answers.ok())).url);
    const theirs = await tenantAt((await serve(answers.ok())).url);
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: mine })).token);
    expect((await admin.health.probe({})).data.map((c) => c.tenant_slug)).toEqual([mine]);
    expectProblem(await admin.raw('POST', '/v1/health/probe', { body: { tenant: theirs } }), 404, 'not_found');
  });

  it('refuses a tenant with nothing to probe (409), and a URL in the request (400)', async () => {
    const slug = `probe-${++serial}`;
    await api.admin.tenants.create({ slug, name: slug });
    expectProblem(await api.admin.raw('POST', '/v1/health/probe', { body: { tenant: slug } }), 409, 'conflict');
    expectProblem(await api.admin.raw('POST', '/v1/health/probe', { body: { tenant: slug, url: 'http://127.0.0.1:1' } }), 400, 'invalid');
  });

  it('without a tenant, master_admin probes every tenant that has an endpoint, once each', async () => {
    const { data } = await api.admin.health.probe({});
    expect(new Set(data.map((c) => c.tenant_id)).size).toBe(data.length);
    expect(data.length).toBeGreaterThan(5);
  });
});
