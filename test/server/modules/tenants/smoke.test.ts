import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../support/harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('tenants smoke', () => {
  it('creates and lists', async () => {
    const t = await api.admin.tenants.create({ slug: 'fibernet', name: 'FiberNet' });
    expect(t.status).toBe('active');
    const page = await api.admin.tenants.list();
    expect(page.data.map((x) => x.slug)).toEqual(['fibernet']);
    const s = await api.admin.tenants.suspend('fibernet', 'unpaid');
    expect(s.status).toBe('suspended');
    const audit = await api.admin.audit.list();
    expect(audit.data[0]!.reason).toBe('unpaid');
    expect((await api.admin.audit.verify()).ok).toBe(true);
  });
});
