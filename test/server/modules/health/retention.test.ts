import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedDriver } from '../../../../src/server/modules/deployments/drivers/simulated.js';
import { PROBE_JOB, ROLLUP_JOB, scheduleProbes, scheduleRollups } from '../../../../src/server/modules/health/jobs.js';
import { Worker } from '../../../../src/server/modules/jobs/worker.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { answers, type HealthServer } from '../../../support/health-servers.js';
import { drainJobs } from '../../../support/jobs.js';

let api: TestApi;
let healthy: HealthServer;
let serial = 0;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const services = () => ({ db: api.apiConnection.db, dialect: api.apiConnection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock });

async function tenantAt(url: string | undefined): Promise<{ slug: string; id: string }> {
  const slug = `keep-${++serial}`;
  const tenant = await api.admin.tenants.create({ slug, name: slug });
  await api.admin.deployments.create({ tenant: slug, version: '1.0.0', ...(url ? { endpoint: url } : {}) });
  await drainJobs(api);
  return { slug, id: tenant.id };
}

const jobsOf = (tenantId: string, kind: string) => api.connection.db.selectFrom('jobs').select(['id', 'status']).where('tenant_id', '=', tenantId).where('kind', '=', kind).execute();
const rowsOf = async (table: 'metric_points' | 'metric_rollups' | 'health_checks', tenantId: string) => api.connection.db.selectFrom(table).selectAll().where('tenant_id', '=', tenantId).execute();

beforeAll(async () => {
  healthy = await answers.ok();
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
  await healthy.close();
});

describe('scheduled probes', () => {
  it('queue one probe job per tenant with an endpoint, not a second while one waits, and the job records one check', async () => {
    const probed = await tenantAt(healthy.url);
    const cancelled = await tenantAt(healthy.url);
    await api.admin.tenants.delete(cancelled.slug);
    expect(await scheduleProbes(services())).toBeGreaterThanOrEqual(1);
    expect(await scheduleProbes(services())).toBe(0);
    expect(await jobsOf(probed.id, PROBE_JOB)).toEqual([{ id: expect.any(String), status: 'queued' }]);
    expect(await jobsOf(cancelled.id, PROBE_JOB)).toEqual([]);
    await drainJobs(api);
    expect(await jobsOf(probed.id, PROBE_JOB)).toEqual([{ id: expect.any(String), status: 'succeeded' }]);
    expect((await rowsOf('health_checks', probed.id)).map((c) => c.status)).toEqual(['up']);
    expect((await api.admin.health.get(probed.slug)).status).toBe('up');
  });

  it('a started worker queues and runs them by itself every interval', async () => {
    const tenant = await tenantAt(healthy.url);
    const worker = new Worker(services(), {
      id: 'scheduling-worker',
      pollMs: 20,
      env: { provisioning: simulatedDriver({ stepMs: 0 }) },
      schedules: [{ name: 'health probes', everyMs: 50, queue: scheduleProbes }],
    });
    worker.start();
    try {
      for (let waited = 0; (await rowsOf('health_checks', tenant.id)).length < 2; waited += 20) {
        if (waited > 20_000) throw new Error('the worker did not probe twice in 20 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await worker.stop();
    }
  });

  it('a probe job whose tenant has no endpoint any more succeeds without recording anything', async () => {
    const tenant = await tenantAt(undefined);
    await api.connection.db.updateTable('deployments').set({ endpoint_url: null }).where('tenant_id', '=', tenant.id).execute();
    const before = (await rowsOf('health_checks', tenant.id)).length;
    await api.connection.db
      .insertInto('jobs')
      .values({ id: `job_manual${serial}`, tenant_id: tenant.id, kind: PROBE_JOB, payload: '{}', status: 'queued', attempts: 0, max_attempts: 1, run_at: api.clock.now().toISOString(), lease_owner: null, lease_expires_at: null, last_error: null, created_at: api.clock.now().toISOString(), updated_at: api.clock.now().toISOString(), finished_at: null })
      .execute();
    await drainJobs(api);
    expect(await jobsOf(tenant.id, PROBE_JOB)).toEqual([{ id: `job_manual${serial}`, status: 'succeeded' }]);
    expect((await rowsOf('health_checks', tenant.id)).length).toBe(before);
  });
});

describe('retention: raw points for 7 days, hourly roll-ups after', () => {
  it('folds points older than 7 days into their hours, deletes them, keeps newer ones, and a second run changes nothing', async () => {
    const { slug, id } = await tenantAt(healthy.url);
    const agent = api.as((await api.admin.tokens.create({ role: 'instance', tenant: slug })).token);
    const start = api.clock.now().getTime();
    const hourStart = start - (start % HOUR);
    // hour A: three cpu points; hour B: two cpu and one subscribers point
    const at = (ms: number) => new Date(ms).toISOString();
    const hourA = hourStart - 2 * HOUR;
    const hourB = hourStart - HOUR;
    await agent.instances.pushMetrics(slug, {
      points: [
        { metric: 'cpu', value: 10, at: at(hourA + 1000) },
        { metric: 'cpu', value: 30, at: at(hourA + 2000) },
        { metric: 'cpu', value: 20, at: at(hourA + 3000) },
        { metric: 'cpu', value: 50, at: at(hourB + 1000) },
        { metric: 'cpu', value: 70, at: at(hourB + 2000) },
        { metric: 'subscribers', value: 900, at: at(hourB + 3000) },
      ],
    });
    await api.admin.health.probe({ tenant: slug });
    // eight days on, one fresh point
    api.clock.advance(8 * DAY);
    await agent.instances.pushMetrics(slug, { points: [{ metric: 'cpu', value: 5 }] });
    expect(await scheduleRollups(services())).toBeGreaterThanOrEqual(1);
    expect(await scheduleRollups(services())).toBe(0);
    await drainJobs(api);
    const rollups = (await rowsOf('metric_rollups', id))
      .map((r) => ({ metric: r.metric, hour: r.hour, count: Number(r.count), sum: Number(r.sum), min: Number(r.min), max: Number(r.max) }))
      .sort((a, b) => (a.metric + a.hour < b.metric + b.hour ? -1 : 1));
    expect(rollups).toEqual([
      { metric: 'cpu', hour: at(hourA), count: 3, sum: 60, min: 10, max: 30 },
      { metric: 'cpu', hour: at(hourB), count: 2, sum: 120, min: 50, max: 70 },
      { metric: 'subscribers', hour: at(hourB), count: 1, sum: 900, min: 900, max: 900 },
    ]);
    expect((await rowsOf('metric_points', id)).map((p) => Number(p.value))).toEqual([5]);
    expect(await rowsOf('health_checks', id)).toEqual([]);
    expect((await api.admin.health.get(slug)).cpu).toBe(5);
    // nothing left past retention: no job, and rolling up again would change nothing
    expect(await scheduleRollups(services())).toBe(0);
    expect((await rowsOf('metric_rollups', id)).length).toBe(3);
  });

  it('adds into an hour already rolled up (a late point), and deletes finished probe jobs after a day', async () => {
    const { slug, id } = await tenantAt(healthy.url);
    await scheduleProbes(services());
    await drainJobs(api);
    expect((await jobsOf(id, PROBE_JOB)).length).toBe(1);
    const agent = api.as((await api.admin.tokens.create({ role: 'instance', tenant: slug })).token);
    const hour = api.clock.now().getTime() - (api.clock.now().getTime() % HOUR) - 3 * HOUR;
    await agent.instances.pushMetrics(slug, { points: [{ metric: 'memory', value: 40, at: new Date(hour + 10).toISOString() }] });
    api.clock.advance(8 * DAY);
    await scheduleRollups(services());
    await drainJobs(api);
    // a point for that hour arrives late (inserted as the agent could not: it is past 7 days)
    await api.connection.db.insertInto('metric_points').values({ tenant_id: id, metric: 'memory', at: new Date(hour + 20).toISOString(), value: 60 }).execute();
    await scheduleRollups(services());
    await drainJobs(api);
    const [rollup] = await rowsOf('metric_rollups', id);
    expect({ count: Number(rollup!.count), sum: Number(rollup!.sum), min: Number(rollup!.min), max: Number(rollup!.max) }).toEqual({ count: 2, sum: 100, min: 40, max: 60 });
    expect(await jobsOf(id, PROBE_JOB)).toEqual([]);
    // the roll-up jobs finished just now: kept for a day
    expect((await jobsOf(id, ROLLUP_JOB)).map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
  });
});
