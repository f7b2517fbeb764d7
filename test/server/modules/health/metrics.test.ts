import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../src/client/api-client.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;
const DAY = 24 * 3600_000;

/** A fresh tenant and a client holding its instance token. */
async function instanceOf(): Promise<{ slug: string; id: string; agent: ApiClient }> {
  const slug = `agent-${++serial}`;
  const tenant = await api.admin.tenants.create({ slug, name: slug });
  const issued = await api.admin.tokens.create({ role: 'instance', tenant: slug });
  expect(issued).toMatchObject({ role: 'instance', tenant_id: tenant.id, reseller_id: null });
  return { slug, id: tenant.id, agent: api.as(issued.token) };
}

const storedPoints = async (tenantId: string) =>
  (await api.connection.db.selectFrom('metric_points').selectAll().where('tenant_id', '=', tenantId).orderBy('metric').orderBy('at').execute()).map((p) => ({ ...p, value: Number(p.value) }));

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('an instance token', () => {
  it('pushes a batch for its own tenant, and the latest values show in its health', async () => {
    const { slug, id, agent } = await instanceOf();
    const at = new Date(api.clock.now().getTime() - 60_000).toISOString();
    const pushed = await agent.instances.pushMetrics(slug, {
      points: [
        { metric: 'cpu', value: 20, at },
        { metric: 'cpu', value: 41.5 },
        { metric: 'memory', value: 63 },
        { metric: 'subscribers', value: 1200 },
        { metric: 'bandwidth_mbps', value: 830.25 },
      ],
    });
    expect(pushed).toEqual({ tenant_id: id, accepted: 5 });
    const health = await api.admin.health.get(slug);
    expect(health).toMatchObject({ cpu: 41.5, memory: 63, subscribers: 1200, bandwidth_mbps: 830.25, disk: null, metrics_at: api.clock.now().toISOString(), status: 'unknown' });
  });

  it('is taken by id as well as slug, and a retried point is one point with the new value', async () => {
    const { id, agent } = await instanceOf();
    const at = api.clock.now().toISOString();
    await agent.instances.pushMetrics(id, { points: [{ metric: 'cpu', value: 10, at }] });
    await agent.instances.pushMetrics(id, { points: [{ metric: 'cpu', value: 11, at }, { metric: 'cpu', value: 12, at }] });
    expect((await storedPoints(id)).map((p) => p.value)).toEqual([12]);
  });

  it('cannot push for another tenant (404, as if it did not exist) and can call nothing else (403)', async () => {
    const { agent } = await instanceOf();
    const other = await instanceOf();
    expectProblem(await agent.raw('POST', `/v1/instances/${other.slug}/metrics`, { body: { points: [{ metric: 'cpu', value: 1 }] } }), 404, 'not_found');
    expect(await storedPoints(other.id)).toEqual([]);
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/tenants'],
      ['GET', `/v1/tenants/${other.slug}/health`],
      ['GET', '/v1/health'],
      ['POST', '/v1/health/probe'],
      ['GET', '/v1/deployments'],
      ['GET', '/v1/audit'],
    ] as const) {
      expectProblem(await agent.raw(method, path, { body: method === 'POST' ? {} : undefined }), 403, 'forbidden');
    }
  });

  it('stops working when its tenant is cancelled, and may not push while it is suspended', async () => {
    const { slug, agent } = await instanceOf();
    const batch = { points: [{ metric: 'cpu' as const, value: 1 }] };
    await api.admin.tenants.suspend(slug);
    expectProblem(await agent.raw('POST', `/v1/instances/${slug}/metrics`, { body: batch }), 403, 'forbidden');
    await api.admin.tenants.resume(slug);
    await agent.instances.pushMetrics(slug, batch);
    await api.admin.tenants.delete(slug);
    expectProblem(await agent.raw('POST', `/v1/instances/${slug}/metrics`, { body: batch }), 401, 'unauthorized');
    expectProblem(await api.admin.raw('POST', `/v1/instances/${slug}/metrics`, { body: batch }), 409, 'conflict');
  });

  it('is issued only with a tenant', async () => {
    expectProblem(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'instance' } }), 400, 'invalid');
    expectProblem(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'instance', reseller: 'nobody' } }), 400, 'invalid');
  });

  it('is 404 for a tenant (or a reseller, for a reseller token) that does not exist, as every other --tenant is', async () => {
    expectProblem(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'instance', tenant: 'nowhere' } }), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'tenant_admin', tenant: 'nowhere' } }), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'reseller', reseller: 'nobody' } }), 404, 'not_found');
  });
});

describe('a bad batch', () => {
  const cases: [string, unknown, string][] = [
    ['a value that is a string', { points: [{ metric: 'cpu', value: 1 }, { metric: 'memory', value: '63' }] }, 'points.1.value'],
    ['an unknown metric', { points: [{ metric: 'temperature', value: 1 }] }, 'points.0.metric'],
    ['a percentage over 100', { points: [{ metric: 'cpu', value: 1 }, { metric: 'cpu', value: 101 }] }, 'points.1.value'],
    ['a negative bandwidth', { points: [{ metric: 'bandwidth_mbps', value: -1 }] }, 'points.0.value'],
    ['a fraction of a subscriber', { points: [{ metric: 'subscribers', value: 1.5 }] }, 'points.0.value'],
    ['a time that is not ISO-8601 UTC', { points: [{ metric: 'cpu', value: 1, at: 'yesterday' }] }, 'points.0.at'],
    ['an unknown field', { points: [{ metric: 'cpu', value: 1, unit: '%' }] }, 'points.0'],
    ['no points', { points: [] }, 'points'],
    ['not a list', { points: { metric: 'cpu', value: 1 } }, 'points'],
  ];
  for (const [what, body, path] of cases) {
    it(`with ${what} is 400 naming ${path}, and stores nothing`, async () => {
      const { slug, id, agent } = await instanceOf();
      const before = await auditCount(api);
      const problem = expectProblem(await agent.raw('POST', `/v1/instances/${slug}/metrics`, { body }), 400, 'invalid');
      expect(problem.errors?.map((e) => e.path)).toContain(path);
      expect(problem.detail).toContain(path);
      expect(await storedPoints(id)).toEqual([]);
      expect(await auditCount(api)).toBe(before);
    });
  }

  it('with a point older than 7 days, or ahead of the clock, names it and stores none of the batch', async () => {
    const { slug, id, agent } = await instanceOf();
    const now = api.clock.now().getTime();
    for (const [at, message] of [
      [new Date(now - 8 * DAY).toISOString(), 'older than 7 days'],
      [new Date(now + DAY).toISOString(), 'ahead'],
    ] as const) {
      const problem = expectProblem(
        await agent.raw('POST', `/v1/instances/${slug}/metrics`, { body: { points: [{ metric: 'cpu', value: 5 }, { metric: 'memory', value: 5, at }] } }),
        400,
        'invalid',
      );
      expect(problem.errors).toEqual([{ path: 'points.1.at', message: expect.stringContaining(message) }]);
    }
    expect(await storedPoints(id)).toEqual([]);
  });

  it('larger than 1000 points is refused whole', async () => {
    const { slug, id, agent } = await instanceOf();
    const points = Array.from({ length: 1001 }, (_, i) => ({ metric: 'cpu', value: 1, at: new Date(api.clock.now().getTime() - i * 1000).toISOString() }));
    expectProblem(await agent.raw('POST', `/v1/instances/${slug}/metrics`, { body: { points } }), 400, 'invalid');
    expect(await storedPoints(id)).toEqual([]);
  });
});
