import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { deployed, drainJobs } from '../../../support/jobs.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;
const freshTenant = async () => {
  const slug = `dep-${++serial}`;
  await api.admin.tenants.create({ slug, name: slug, region: 'af-east' });
  return slug;
};
const rowCounts = async () => {
  const count = async (table: 'jobs' | 'deployments' | 'deployment_events') => Number((await api.connection.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { jobs: await count('jobs'), deployments: await count('deployments'), events: await count('deployment_events'), audit: await auditCount(api) };
};

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('a deployment', () => {
  it('goes queued → running → succeeded through its steps in order, with the driver\'s endpoint', async () => {
    const tenant = await freshTenant();
    const created = await api.admin.deployments.create({ tenant, version: '2.4.1', size: 'medium', replicas: 3 });
    expect(created).toMatchObject({ status: 'queued', kind: 'deploy', version: '2.4.1', region: 'af-east', size: 'medium', replicas: 3, endpoint_url: null });
    expect((await api.admin.jobs.get(created.job_id)).payload).toEqual({ deployment_id: created.id });
    await drainJobs(api);
    const { deployment, events } = await api.admin.deployments.events(created.id);
    expect(deployment).toMatchObject({ status: 'succeeded', endpoint_url: `https://${tenant}.af-east.sim.dotmac.invalid` });
    expect(events.map((e) => (e.type === 'status' ? e.status : `${e.step} ${e.progress}`))).toEqual([
      'queued',
      'running',
      ...['validate', 'provision', 'configure', 'health_check'].flatMap((step) => [`${step} 0`, `${step} 50`, `${step} 100`]),
      'succeeded',
    ]);
    expect((await api.admin.deployments.events(created.id, 14)).events.map((e) => e.seq)).toEqual([15]);
  });

  it('takes master_admin\'s endpoint over the driver\'s; nobody else may give one', async () => {
    const tenant = await freshTenant();
    const given = await api.admin.deployments.create({ tenant, version: '1.0.0', endpoint: 'https://isp.example.test/' });
    await drainJobs(api);
    expect((await api.admin.deployments.get(given.id)).endpoint_url).toBe('https://isp.example.test/');
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant })).token);
    expectProblem(await admin.raw('POST', '/v1/deployments', { body: { tenant, version: '1.0.1', endpoint: 'https://elsewhere.example.test' } }), 403, 'forbidden');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const tenant = await freshTenant();
    const before = await rowCounts();
    const cases: [unknown, string][] = [
      [{ tenant, version: '1.0', endpoint: 'ftp://files.example.test' }, 'endpoint'],
      [{ tenant, version: '1.0', endpoint: 'javascript:alert(1)' }, 'endpoint'],
      [{ tenant, version: '1.0', endpoint: 'https://admin:hunter2@isp.example.test' }, 'endpoint'],
      [{ tenant, version: '1.0', size: 'huge' }, 'size'],
      [{ tenant, version: '1.0', size: 'small', replicas: 4 }, 'replicas'],
      [{ tenant, version: '1.0', replicas: 13, size: 'xlarge' }, 'replicas'],
      [{ tenant, version: '1.0', replicas: 0 }, 'replicas'],
      [{ tenant, version: 'v 1;rm' }, 'version'],
      [{ tenant, version: '1.0', colour: 'red' }, '(body)'],
    ];
    for (const [body, path] of cases) {
      const problem = expectProblem(await api.admin.raw('POST', '/v1/deployments', { body }), 400, 'invalid');
      expect(problem.errors?.map((e) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect(expectProblem(await api.admin.raw('POST', '/v1/deployments', { body: { tenant, version: '1.0', size: 'small', replicas: 4 } }), 400, 'invalid').detail).toBe(
      'replicas 4 is over the limit of 3 for size small',
    );
    expectProblem(await api.admin.raw('POST', '/v1/deployments', { body: { tenant: 'no-such-tenant', version: '1.0' } }), 404, 'not_found');
    expect(await rowCounts()).toEqual(before);
  });

  it('one at a time per tenant; a suspended tenant is not deployed', async () => {
    const tenant = await freshTenant();
    const first = await api.admin.deployments.create({ tenant, version: '1.0.0' });
    expectProblem(await api.admin.raw('POST', '/v1/deployments', { body: { tenant, version: '1.0.1' } }), 409, 'conflict');
    // and the database holds to it when two requests check at the same time
    const owner = api.connection.db;
    const job = await owner.selectFrom('jobs').selectAll().where('id', '=', first.job_id).executeTakeFirstOrThrow();
    await owner.insertInto('jobs').values({ ...job, id: 'job_racing' }).execute();
    const row = await owner.selectFrom('deployments').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    await expect(owner.insertInto('deployments').values({ ...row, id: 'dep_racing', job_id: 'job_racing', status: 'running' }).execute()).rejects.toThrow(
      /deployments_one_in_progress|deployments\.tenant_id/,
    );
    await owner.deleteFrom('jobs').where('id', '=', 'job_racing').execute();
    await drainJobs(api);
    await api.admin.tenants.suspend(tenant);
    expectProblem(await api.admin.raw('POST', '/v1/deployments', { body: { tenant, version: '1.0.1' } }), 409, 'conflict');
  });
});

describe('rollback', () => {
  it('returns to the last succeeded deployment before the current one, which becomes rolled_back', async () => {
    const tenant = await freshTenant();
    expectProblem(await api.admin.raw('POST', '/v1/deployments/rollback', { body: { tenant } }), 409, 'conflict');
    const first = await deployed(api, tenant, '1.0.0', { size: 'small', replicas: 2 });
    expectProblem(await api.admin.raw('POST', '/v1/deployments/rollback', { body: { tenant } }), 409, 'conflict');
    const second = await deployed(api, tenant, '2.0.0');
    const rollback = await api.admin.deployments.rollback({ tenant });
    expect(rollback).toMatchObject({ kind: 'rollback', version: '1.0.0', size: 'small', replicas: 2, rollback_to: first.id, replaces: second.id, status: 'queued' });
    expect((await api.admin.deployments.get(second.id)).status).toBe('succeeded');
    await drainJobs(api);
    expect((await api.admin.deployments.get(rollback.id)).status).toBe('succeeded');
    expect((await api.admin.deployments.get(second.id)).status).toBe('rolled_back');
    const { events } = await api.admin.deployments.events(second.id);
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'rolled_back', message: `replaced by rollback ${rollback.id}` });
  });

  it('--to names a succeeded deployment of the same tenant', async () => {
    const tenant = await freshTenant();
    const other = await freshTenant();
    const first = await deployed(api, tenant, '1.0.0');
    const current = await deployed(api, tenant, '1.1.0');
    const foreign = await deployed(api, other, '9.0.0');
    expectProblem(await api.admin.raw('POST', '/v1/deployments/rollback', { body: { tenant, to: foreign.id } }), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', '/v1/deployments/rollback', { body: { tenant, to: current.id } }), 409, 'conflict');
    expect(await api.admin.deployments.rollback({ tenant, to: first.id })).toMatchObject({ version: '1.0.0', rollback_to: first.id });
  });
});

describe('scaling', () => {
  it('prices before and after in cents, writes nothing on a dry run, then queues the scaling deployment', async () => {
    const tenant = await freshTenant();
    expectProblem(await api.admin.raw('POST', `/v1/tenants/${tenant}/scale`, { body: { replicas: 2 } }), 409, 'conflict');
    const current = await deployed(api, tenant, '3.1.0', { size: 'small', replicas: 1 });
    const before = await rowCounts();
    const plan = await api.admin.deployments.scale(tenant, { replicas: 4, size: 'medium', dry_run: true });
    expect(plan).toEqual({
      tenant_id: current.tenant_id,
      currency: 'USD',
      current: { size: 'small', replicas: 1, monthly_cents: 9_900 },
      proposed: { size: 'medium', replicas: 4, monthly_cents: 119_600 },
      difference_cents: 109_700,
      more_than_doubles: true,
      deployment: null,
    });
    expect(await rowCounts()).toEqual(before);
    expectProblem(await api.admin.raw('POST', `/v1/tenants/${tenant}/scale`, { body: { replicas: 4 } }), 400, 'invalid');
    expect(await rowCounts()).toEqual(before);
    const applied = await api.admin.deployments.scale(tenant, { replicas: 2 });
    expect(applied).toMatchObject({ difference_cents: 9_900, more_than_doubles: false, deployment: { kind: 'scale', version: '3.1.0', size: 'small', replicas: 2, replaces: current.id } });
    await drainJobs(api);
    expectProblem(await api.admin.raw('POST', `/v1/tenants/${tenant}/scale`, { body: { replicas: 2 } }), 409, 'conflict');
  });
});

describe('scope', () => {
  it('a tenant admin deploys and reads its own tenant only; a reseller reads its customers\' deployments and may not deploy', async () => {
    await api.admin.resellers.create({ slug: 'dep-partner', name: 'Partner' });
    const mine = await freshTenant();
    await api.admin.tenants.update(mine, { reseller: 'dep-partner' });
    const theirs = await freshTenant();
    const foreign = await api.admin.deployments.create({ tenant: theirs, version: '1.0.0' });
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: mine })).token);
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'dep-partner' })).token);
    const own = await admin.deployments.create({ tenant: mine, version: '1.0.0' });
    expect(own.created_by).not.toBe('');
    expectProblem(await admin.raw('POST', '/v1/deployments', { body: { tenant: theirs, version: '1.0.0' } }), 404, 'not_found');
    expectProblem(await admin.raw('GET', `/v1/deployments/${foreign.id}`), 404, 'not_found');
    expectProblem(await admin.raw('GET', `/v1/deployments/${foreign.id}/events`), 404, 'not_found');
    expect((await admin.deployments.list()).data.map((d) => d.id)).toEqual([own.id]);
    expect((await reseller.deployments.list()).data.map((d) => d.id)).toEqual([own.id]);
    expectProblem(await reseller.raw('GET', '/v1/deployments', { query: { tenant: theirs } }), 404, 'not_found');
    expectProblem(await reseller.raw('POST', '/v1/deployments', { body: { tenant: mine, version: '1.0.1' } }), 403, 'forbidden');
    // a search finds nothing outside the caller's scope, by the other tenant's slug or its version
    expect((await admin.deployments.list({ q: theirs })).data).toEqual([]);
    expect((await reseller.deployments.list({ q: '1.0.0' })).data.map((d) => d.id)).toEqual([own.id]);
  });
});

describe('the list', () => {
  it('names each deployment\'s tenant by slug and searches id, version, region and the tenant\'s slug and name', async () => {
    await api.admin.tenants.create({ slug: 'srch-north', name: 'Northern Fibre', region: 'eu-north' });
    await api.admin.tenants.create({ slug: 'srch-south', name: 'Southern 100%_Net', region: 'af-south' });
    const north = await api.admin.deployments.create({ tenant: 'srch-north', version: '7.1.0' });
    const south = await api.admin.deployments.create({ tenant: 'srch-south', version: '7.2.0' });
    const ids = async (q: string, extra: { status?: 'queued' } = {}) => (await api.admin.deployments.list({ q, ...extra })).data.map((d) => d.id).sort();
    const listed = (await api.admin.deployments.list({ q: 'srch-' })).data;
    expect(listed.map((d) => [d.id, d.tenant_slug])).toEqual([[south.id, 'srch-south'], [north.id, 'srch-north']]);
    expect(await ids('NORTHERN')).toEqual([north.id]);
    expect(await ids('7.2')).toEqual([south.id]);
    expect(await ids('af-SOUTH')).toEqual([south.id]);
    expect(await ids(north.id.slice(-10))).toEqual([north.id]);
    // LIKE's wildcards are text
    expect(await ids('100%_')).toEqual([south.id]);
    expect(await ids('7_1')).toEqual([]);
    expect(await ids('srch', { status: 'queued' })).toEqual([north.id, south.id].sort());
    const first = await api.admin.deployments.list({ q: 'srch', limit: 1 });
    expect(first.data.map((d) => d.id)).toEqual([south.id]);
    expect((await api.admin.deployments.list({ q: 'srch', limit: 1, cursor: first.next_cursor! })).data.map((d) => d.id)).toEqual([north.id]);
    expectProblem(await api.admin.raw('GET', '/v1/deployments', { query: { q: 'a\u0007b' } }), 400, 'invalid');
    await drainJobs(api);
  });
});
