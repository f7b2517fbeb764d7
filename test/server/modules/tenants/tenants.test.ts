import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../problem-response.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'acme', name: 'Acme Channel' });
  await api.admin.resellers.create({ slug: 'zenith', name: 'Zenith Partners' });
  await api.admin.tenants.create({ slug: 'fibernet-nairobi', name: 'FiberNet Nairobi', plan: 'professional', reseller: 'acme' });
  await api.admin.tenants.create({ slug: 'skylink', name: 'SkyLink Wireless', plan: 'enterprise' });
  await api.admin.tenants.create({ slug: 'waveconnect', name: 'WaveConnect 100%_Fiber', reseller: 'zenith' });
});
afterAll(() => api.close());

const slugs = (page: { data: { slug: string }[] }) => page.data.map((t) => t.slug);

describe('tenants', () => {
  it('shows the owning reseller\'s slug beside its id, on every read and write', async () => {
    const created = await api.admin.tenants.get('fibernet-nairobi');
    expect(created).toMatchObject({ reseller_slug: 'acme', status: 'active', plan: 'professional', version: 1 });
    expect((await api.admin.tenants.get('skylink')).reseller_slug).toBeNull();
    const moved = (await api.admin.tenants.update('skylink', { reseller: 'zenith' })).value;
    expect(moved.reseller_slug).toBe('zenith');
    expect((await api.admin.tenants.get(moved.id)).reseller_slug).toBe('zenith');
    const detached = (await api.admin.tenants.update('skylink', { reseller: null })).value;
    expect([detached.reseller_id, detached.reseller_slug]).toEqual([null, null]);
    const listed = await api.admin.tenants.list({ q: 'fibernet' });
    expect(listed.data.map((t) => [t.slug, t.reseller_slug])).toEqual([['fibernet-nairobi', 'acme']]);
  });

  it('filters by status, plan, reseller and text, and treats % and _ in the text literally', async () => {
    expect(slugs(await api.admin.tenants.list({ plan: 'enterprise' }))).toEqual(['skylink']);
    expect(slugs(await api.admin.tenants.list({ reseller: 'acme' }))).toEqual(['fibernet-nairobi']);
    expectProblem(await api.admin.raw('GET', '/v1/tenants', { query: { reseller: 'nobody' } }), 404, 'not_found');
    expect(slugs(await api.admin.tenants.list({ q: 'WIRELESS' }))).toEqual(['skylink']);
    expect(slugs(await api.admin.tenants.list({ q: '100%_' }))).toEqual(['waveconnect']);
    expect(slugs(await api.admin.tenants.list({ q: '%' }))).toEqual(['waveconnect']);
    await api.admin.tenants.suspend('waveconnect', 'unpaid');
    expect(slugs(await api.admin.tenants.list({ status: 'suspended' }))).toEqual(['waveconnect']);
    await api.admin.tenants.resume('waveconnect');
    expect(slugs(await api.admin.tenants.list({ status: 'suspended' }))).toEqual([]);
  });

  it('records the reason of each change in the audit trail, and the chain verifies', async () => {
    await api.admin.tenants.suspend('fibernet-nairobi', 'invoice 2026-10 unpaid');
    const [latest] = (await api.admin.audit.list({ limit: 1 })).data;
    expect(latest).toMatchObject({ action: 'tenant.suspend', reason: 'invoice 2026-10 unpaid', details: { before: { status: 'active' }, after: { status: 'suspended' } } });
    expect((await api.admin.audit.verify()).ok).toBe(true);
  });
});
