import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/harness.js';
import { auditCount, expectProblem } from './problem-response.js';

/**
 * Illegal tenant status changes and duplicate slugs are 409 problem JSON, and change nothing. A
 * verb whose end state already holds is 200 with `Dotmac-Outcome: unchanged`, and writes nothing.
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function statusOf(slug: string) {
  const row = await api.connection.db.selectFrom('tenants').select(['status', 'version']).where('slug', '=', slug).executeTakeFirstOrThrow();
  return { status: row.status, version: Number(row.version) };
}

/** Sends the request and checks it is a 409 that left the tenant row and the audit trail alone. */
async function expectConflict(method: string, path: string, slug: string, body?: unknown) {
  const before = await statusOf(slug);
  const events = await auditCount(api);
  const problem = expectProblem(await api.admin.raw(method, path, { body }), 409, 'conflict');
  expect(await statusOf(slug)).toEqual(before);
  expect(await auditCount(api)).toBe(events);
  return problem;
}

describe('tenant status transitions', () => {
  it('goes active → suspended → active → cancelled through the verbs', async () => {
    await api.admin.tenants.create({ slug: 'happy', name: 'Happy' });
    expect((await api.admin.tenants.suspend('happy')).value.status).toBe('suspended');
    expect((await api.admin.tenants.resume('happy')).value.status).toBe('active');
    expect((await api.admin.tenants.delete('happy')).value.status).toBe('cancelled');
    expect(await statusOf('happy')).toEqual({ status: 'cancelled', version: 4 });
  });

  /** Sends the request and checks it is a 200 `unchanged` that wrote nothing. */
  async function expectUnchanged(method: string, path: string, slug: string, body?: unknown) {
    const before = await statusOf(slug);
    const events = await auditCount(api);
    const res = await api.admin.raw(method, path, { body });
    expect(res.status, res.body).toBe(200);
    expect(res.headers.get('dotmac-outcome')).toBe('unchanged');
    expect(await statusOf(slug)).toEqual(before);
    expect(await auditCount(api)).toBe(events);
  }

  it('says a real change is a change', async () => {
    await api.admin.tenants.create({ slug: 'fresh', name: 'Fresh' });
    const res = await api.admin.raw('POST', '/v1/tenants/fresh/suspend');
    expect(res.headers.get('dotmac-outcome')).toBe('changed');
    expect((await api.admin.tenants.resume('fresh')).changed).toBe(true);
  });

  it('resuming an active tenant changes nothing', async () => {
    await api.admin.tenants.create({ slug: 'running', name: 'Running' });
    await expectUnchanged('POST', '/v1/tenants/running/resume', 'running');
    expect((await api.admin.tenants.resume('running')).changed).toBe(false);
  });

  it('suspending a suspended tenant changes nothing', async () => {
    await api.admin.tenants.create({ slug: 'paused', name: 'Paused' });
    await api.admin.tenants.suspend('paused');
    await expectUnchanged('POST', '/v1/tenants/paused/suspend', 'paused');
  });

  it('refuses to suspend or resume a cancelled tenant; deleting it twice changes nothing', async () => {
    await api.admin.tenants.create({ slug: 'gone', name: 'Gone' });
    await api.admin.tenants.delete('gone');
    const problem = await expectConflict('POST', '/v1/tenants/gone/suspend', 'gone');
    expect(problem.detail).toBe('tenant "gone" is cancelled and cannot be suspended');
    await expectConflict('POST', '/v1/tenants/gone/resume', 'gone');
    await expectUnchanged('DELETE', '/v1/tenants/gone', 'gone');
  });

  it('an update to the values a tenant already has changes nothing', async () => {
    await api.admin.tenants.create({ slug: 'same', name: 'Same', plan: 'professional' });
    await expectUnchanged('PATCH', '/v1/tenants/same', 'same', { name: 'Same', plan: 'professional' });
    const partly = await api.admin.tenants.update('same', { name: 'Same', plan: 'enterprise' });
    expect(partly.changed).toBe(true);
    const event = (await api.admin.audit.list({ action: 'tenant.update', target: partly.value.id })).data[0]!;
    expect(event.details).toEqual({ before: { plan: 'professional' }, after: { plan: 'enterprise' } });
  });

  it('deletes a suspended tenant', async () => {
    await api.admin.tenants.create({ slug: 'paused-then-gone', name: 'P' });
    await api.admin.tenants.suspend('paused-then-gone');
    expect((await api.admin.tenants.delete('paused-then-gone')).value.status).toBe('cancelled');
  });

  it('answers 404, not 409, for a tenant that does not exist', async () => {
    expectProblem(await api.admin.raw('POST', '/v1/tenants/nobody/suspend'), 404, 'not_found');
    expectProblem(await api.admin.raw('DELETE', '/v1/tenants/ten_01zzzzzzzzzzzzzzzzzzzzzzzz'), 404, 'not_found');
  });
});

describe('duplicate slugs', () => {
  it('refuses a second tenant with the same slug, and keeps the first', async () => {
    const first = await api.admin.tenants.create({ slug: 'taken', name: 'First' });
    const events = await auditCount(api);
    expectProblem(await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'taken', name: 'Second' } }), 409, 'conflict');
    const rows = await api.connection.db.selectFrom('tenants').select(['id', 'name']).where('slug', '=', 'taken').execute();
    expect(rows).toEqual([{ id: first.id, name: 'First' }]);
    expect(await auditCount(api)).toBe(events);
  });

  it('refuses the slug of a cancelled tenant too', async () => {
    await api.admin.tenants.create({ slug: 'was-here', name: 'Was here' });
    await api.admin.tenants.delete('was-here');
    expectProblem(await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'was-here', name: 'Again' } }), 409, 'conflict');
  });

  it('refuses a second reseller with the same slug', async () => {
    await api.admin.resellers.create({ slug: 'partner', name: 'Partner' });
    const events = await auditCount(api);
    expectProblem(await api.admin.raw('POST', '/v1/resellers', { body: { slug: 'partner', name: 'Other' } }), 409, 'conflict');
    expect(await api.connection.db.selectFrom('resellers').select('id').where('slug', '=', 'partner').execute()).toHaveLength(1);
    expect(await auditCount(api)).toBe(events);
  });
});

describe('racing creates', () => {
  it('one of several concurrent creates with the same slug wins; the rest are 409, never 500', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.admin.raw('POST', '/v1/tenants', { body: { slug: 'contested', name: `Contender ${i}` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const rows = await api.connection.db.selectFrom('tenants').select('id').where('slug', '=', 'contested').execute();
    expect(rows).toHaveLength(1);
    expect((await api.admin.audit.list({ action: 'tenant.create', target: rows[0]!.id })).data).toHaveLength(1);
  });
});
