import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Page } from '../../../../src/client/types.js';
import { flagOn } from '../../../../src/server/modules/flags/bucket.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;
const fresh = (prefix: string) => `${prefix}-${++serial}`;
/** Tenants of this file, by slug: id. */
const tenants = new Map<string, string>();

beforeAll(async () => {
  api = await startTestApi();
  for (let i = 0; i < 40; i++) {
    const slug = `flag-t${i}`;
    tenants.set(slug, (await api.admin.tenants.create({ slug, name: slug })).id);
  }
});
afterAll(() => api.close());

const onFor = (key: string, rolloutBps: number) => [...tenants.values()].filter((id) => flagOn({ key, rolloutBps, tenants: new Set(), except: new Set() }, id));

describe('feature flags', () => {
  it('are created off, with a key of their own (a second one is 409)', async () => {
    const key = fresh('checkout.v2');
    const flag = await api.admin.flags.create({ key, description: 'New checkout' });
    expect(flag).toMatchObject({ key, description: 'New checkout', state: 'off', rollout: 0, tenants: [], except: [], enabled_tenants: 0 });
    expect(flag.id).toMatch(/^flg_/);
    expectProblem(await api.admin.raw('POST', '/v1/flags', { body: { key } }), 409, 'conflict');
  });

  it('refuse a key that is not lower case, too long, or "evaluate"', async () => {
    for (const key of ['Upper', '1st', '_x', 'a b', 'a/b', '', 'x'.repeat(65), 'evaluate', 'é']) {
      expectProblem(await api.admin.raw('POST', '/v1/flags', { body: { key } }), 400, 'invalid');
    }
    expect((await api.admin.flags.create({ key: `a${'b'.repeat(63)}` })).key).toHaveLength(64);
  });

  it('refuse control characters in the description', async () => {
    expectProblem(await api.admin.raw('POST', '/v1/flags', { body: { key: fresh('ctl'), description: 'x\u001b]52;c;aGk=\u0007' } }), 400, 'invalid');
  });

  it('enable for every tenant, disable for none, idempotently, each change audited', async () => {
    const key = fresh('everyone');
    await api.admin.flags.create({ key });
    const before = await auditCount(api);
    const on = await api.admin.flags.enable(key, 'launch');
    expect(on).toMatchObject({ changed: true, value: { state: 'on', rollout: 100, enabled_tenants: tenants.size } });
    expect((await api.admin.flags.enable(key)).changed).toBe(false);
    const off = await api.admin.flags.disable(key);
    expect(off).toMatchObject({ changed: true, value: { state: 'off', rollout: 0, enabled_tenants: 0 } });
    expect((await api.admin.flags.disable(key)).changed).toBe(false);
    expect(await auditCount(api)).toBe(before + 2);
    const events = await api.admin.call<Page<AuditEvent>>('GET', '/v1/audit', { query: { limit: 2 } });
    expect(events.data.map((e) => e.action)).toEqual(['flag.disable', 'flag.enable']);
    expect(events.data[1]).toMatchObject({ target_type: 'flag', tenant_id: null, reason: 'launch' });
  });

  it('roll out to a percentage by hash bucket, and count the tenants it is on for', async () => {
    const key = fresh('rollout');
    await api.admin.flags.create({ key });
    const set = await api.admin.flags.set(key, { rollout: 37.5 });
    expect(set.value).toMatchObject({ state: 'partial', rollout: 37.5, enabled_tenants: onFor(key, 3750).length });
    const flag = await api.admin.flags.get(key);
    expect(flag.enabled_tenants).toBe(onFor(key, 3750).length);
    // what an evaluation says, tenant by tenant, is what the count counted
    let on = 0;
    for (const slug of tenants.keys()) if ((await api.admin.flags.evaluate({ tenant: slug })).flags[key]) on++;
    expect(on).toBe(flag.enabled_tenants);
  });

  it('keep every tenant already on when the rollout is raised', async () => {
    const key = fresh('raise');
    await api.admin.flags.create({ key });
    await api.admin.flags.set(key, { rollout: 10 });
    const onAt10 = await evaluatedOn(key);
    await api.admin.flags.set(key, { rollout: 20 });
    const onAt20 = await evaluatedOn(key);
    for (const slug of onAt10) expect(onAt20).toContain(slug);
    expect(onAt20.length).toBeGreaterThanOrEqual(onAt10.length);
  });

  it('take tenants always on and always off, by slug or id; except wins; unknown tenants are 404', async () => {
    const key = fresh('lists');
    await api.admin.flags.create({ key });
    const [a, b, c] = ['flag-t1', 'flag-t2', 'flag-t3'];
    const res = await api.admin.flags.set(key, { tenants: [a, tenants.get(b)!, c], except: [c] });
    expect(res.value.tenants.map((t) => t.slug).sort()).toEqual([a, b, c]);
    expect(res.value.except).toEqual([{ id: tenants.get(c), slug: c }]);
    expect(res.value.enabled_tenants).toBe(2);
    expect((await api.admin.flags.evaluate({ tenant: a })).flags[key]).toBe(true);
    expect((await api.admin.flags.evaluate({ tenant: c })).flags[key]).toBe(false);
    // the same lists again change nothing; [] clears one
    expect((await api.admin.flags.set(key, { tenants: [c, a, b] })).changed).toBe(false);
    expect((await api.admin.flags.set(key, { except: [] })).value.enabled_tenants).toBe(3);
    const before = await auditCount(api);
    const unknown = expectProblem(await api.admin.raw('PATCH', `/v1/flags/${key}`, { body: { tenants: [a, 'no-such-isp'] } }), 404, 'not_found');
    expect(unknown.detail).toContain('no-such-isp');
    expect(await auditCount(api)).toBe(before);
  });

  it('refuse a rollout outside 0–100 or finer than 0.01, naming the range, and a set that changes nothing named', async () => {
    const key = fresh('bad-rollout');
    await api.admin.flags.create({ key });
    for (const rollout of [-1, 100.01, 150, 12.345, '50']) {
      const problem = expectProblem(await api.admin.raw('PATCH', `/v1/flags/${key}`, { body: { rollout } }), 400, 'invalid');
      if (typeof rollout === 'number' && (rollout < 0 || rollout > 100)) expect(problem.errors?.[0]?.message).toContain('0 to 100');
    }
    expectProblem(await api.admin.raw('PATCH', `/v1/flags/${key}`, { body: {} }), 400, 'invalid');
    expectProblem(await api.admin.raw('PATCH', `/v1/flags/${key}`, { body: { rollout: 5, extra: 1 } }), 400, 'invalid');
    expect((await api.admin.flags.set(key, { rollout: 0.01 })).value.rollout).toBe(0.01);
  });

  it('do not count cancelled tenants', async () => {
    const key = fresh('cancelled');
    await api.admin.flags.create({ key });
    await api.admin.tenants.create({ slug: 'flag-leaving', name: 'Leaving' });
    const on = await api.admin.flags.enable(key);
    const live = on.value.enabled_tenants;
    await api.admin.tenants.delete('flag-leaving');
    expect((await api.admin.flags.get(key)).enabled_tenants).toBe(live - 1);
    tenants.delete('flag-leaving');
  });

  it('are listed by key, and deleted (404 after, and for an unknown key)', async () => {
    const key = fresh('zz-gone');
    await api.admin.flags.create({ key });
    const keys = (await api.admin.flags.list()).data.map((f) => f.key);
    expect(keys).toContain(key);
    expect(keys).toEqual([...keys].sort());
    const before = await auditCount(api);
    expect((await api.admin.flags.delete(key)).key).toBe(key);
    expect(await auditCount(api)).toBe(before + 1);
    expectProblem(await api.admin.raw('GET', `/v1/flags/${key}`), 404, 'not_found');
    expectProblem(await api.admin.raw('DELETE', `/v1/flags/${key}`), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', `/v1/flags/${key}/enable`), 404, 'not_found');
    expect(Object.keys((await api.admin.flags.evaluate({ tenant: 'flag-t0' })).flags)).not.toContain(key);
  });
});

describe('evaluating flags', () => {
  it('answers an instance agent and a tenant admin for their own tenant only', async () => {
    const key = fresh('agent');
    await api.admin.flags.create({ key });
    await api.admin.flags.set(key, { tenants: ['flag-t5'] });
    for (const role of ['instance', 'tenant_admin'] as const) {
      const own = api.as((await api.admin.tokens.create({ role, tenant: 'flag-t5' })).token);
      expect(await own.flags.evaluate()).toMatchObject({ tenant_id: tenants.get('flag-t5'), flags: { [key]: true } });
      expect((await own.flags.evaluate({ tenant: 'flag-t5' })).flags[key]).toBe(true);
      expectProblem(await own.raw('GET', '/v1/flags/evaluate', { query: { tenant: 'flag-t6' } }), 404, 'not_found');
      expectProblem(await own.raw('GET', '/v1/flags/evaluate', { query: { tenant: tenants.get('flag-t6') } }), 404, 'not_found');
      // and nothing else about flags
      expectProblem(await own.raw('GET', '/v1/flags'), 403, 'forbidden');
      expectProblem(await own.raw('GET', `/v1/flags/${key}`), 403, 'forbidden');
    }
  });

  it('asks master_admin to name the tenant, and refuses a reseller', async () => {
    expectProblem(await api.admin.raw('GET', '/v1/flags/evaluate'), 400, 'invalid');
    expectProblem(await api.admin.raw('GET', '/v1/flags/evaluate', { query: { tenant: 'nobody' } }), 404, 'not_found');
    await api.admin.resellers.create({ slug: 'flag-reseller', name: 'Flag Reseller' });
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'flag-reseller' })).token);
    expectProblem(await reseller.raw('GET', '/v1/flags/evaluate'), 403, 'forbidden');
  });
});

async function evaluatedOn(key: string): Promise<string[]> {
  const on: string[] = [];
  for (const slug of tenants.keys()) if ((await api.admin.flags.evaluate({ tenant: slug })).flags[key]) on.push(slug);
  return on;
}
