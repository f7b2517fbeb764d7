import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../src/client/api-client.js';
import { startTestApi, type TestApi } from '../../support/harness.js';
import { auditCount, expectProblem } from '../problem-response.js';

/**
 * A tenant admin's token is only as good as its tenant: a cancelled tenant's tokens stop working
 * (401), a suspended tenant's tokens can still read but change nothing (403).
 */

let api: TestApi;
let deltaAdmin: ApiClient;
let echoAdmin: ApiClient;
let reseller: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'status-partner', name: 'Status partner' });
  await api.admin.tenants.create({ slug: 'delta', name: 'Delta', reseller: 'status-partner' });
  await api.admin.tenants.create({ slug: 'echo', name: 'Echo', reseller: 'status-partner' });
  deltaAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'delta' })).token);
  echoAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'echo' })).token);
  reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'status-partner' })).token);
});
afterAll(() => api.close());

describe('a suspended tenant', () => {
  it('lets its admin read, and refuses every change with 403 saying it is suspended', async () => {
    await api.admin.tenants.suspend('echo', 'unpaid');
    const before = await auditCount(api);
    expect((await echoAdmin.tenants.get('echo')).status).toBe('suspended');
    expect((await echoAdmin.audit.list()).data.length).toBeGreaterThan(0);
    expect((await echoAdmin.raw('GET', '/v1/me')).status).toBe(200);

    const rename = expectProblem(await echoAdmin.raw('PATCH', '/v1/tenants/echo', { body: { name: 'Renamed while suspended' } }), 403, 'forbidden');
    expect(rename.detail).toMatch(/suspended/);
    // refused before the body is looked at, like any other refusal
    expect(expectProblem(await echoAdmin.raw('PATCH', '/v1/tenants/echo', { body: { nope: 1 } }), 403, 'forbidden').detail).toMatch(/suspended/);
    expect(expectProblem(await echoAdmin.raw('POST', '/v1/tenants/echo/resume'), 403, 'forbidden').detail).toMatch(/suspended/);
    expect((await api.admin.tenants.get('echo')).name).toBe('Echo');
    expect(await auditCount(api)).toBe(before);
  });

  it('takes changes again once resumed', async () => {
    await api.admin.tenants.resume('echo');
    expect((await echoAdmin.tenants.update('echo', { name: 'Echo again' })).value.name).toBe('Echo again');
  });
});

describe('a cancelled tenant', () => {
  it('refuses its admin\'s token with 401 saying the tenant is cancelled, for reads and changes', async () => {
    expect((await deltaAdmin.tenants.update('delta', { name: 'Delta before' })).value.name).toBe('Delta before');
    await api.admin.tenants.delete('delta', 'contract ended');
    const before = await auditCount(api);
    for (const res of [
      await deltaAdmin.raw('PATCH', '/v1/tenants/delta', { body: { name: 'Delta after' } }),
      await deltaAdmin.raw('GET', '/v1/tenants/delta'),
      await deltaAdmin.raw('GET', '/v1/me'),
    ]) {
      expect(expectProblem(res, 401, 'unauthorized').detail).toMatch(/cancelled/);
    }
    expect((await api.admin.tenants.get('delta')).name).toBe('Delta before');
    expect(await auditCount(api)).toBe(before);
  });

  it('leaves other tokens alone: staff and the reseller still reach it', async () => {
    expect((await api.admin.tenants.get('delta')).status).toBe('cancelled');
    expect((await reseller.tenants.get('delta')).status).toBe('cancelled');
    expect((await reseller.tenants.get('echo')).status).toBe('active');
  });
});
