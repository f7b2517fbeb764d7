import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../src/client/api-client.js';
import type { Tenant } from '../../../src/client/types.js';
import { startTestApi, type TestApi } from '../../support/harness.js';
import { auditCount, expectProblem } from '../problem-response.js';

/**
 * Scoping: another tenant's object is 404, never 403, and is left untouched; lists show only
 * the caller's own rows. Tenants: alpha and beta are direct; r1 belongs to reseller rs, s1 to ss.
 */

let api: TestApi;
let alphaAdmin: ApiClient;
let rsReseller: ApiClient;
const ids: Record<string, string> = {};

async function tenantRow(slug: string) {
  return api.connection.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'rs', name: 'Reseller R' });
  await api.admin.resellers.create({ slug: 'ss', name: 'Reseller S' });
  for (const [slug, reseller] of [['alpha', null], ['beta', null], ['r1', 'rs'], ['r2', 'rs'], ['s1', 'ss']] as const) {
    ids[slug] = (await api.admin.tenants.create({ slug, name: slug.toUpperCase(), reseller, contact_email: `${slug}@example.test` })).id;
  }
  alphaAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'alpha' })).token);
  rsReseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'rs' })).token);
  await api.admin.tenants.update('beta', { name: 'Beta Renamed' }, 'audit noise for beta');
  await api.admin.tenants.update('alpha', { name: 'Alpha Renamed' }, 'audit noise for alpha');
});
afterAll(() => api.close());

/** Every way to name a tenant: its slug and its id. */
const refsOf = (slug: string) => [slug, ids[slug]!];

describe('tenant_admin of alpha against beta', () => {
  it('cannot read beta, by slug or id: 404', async () => {
    for (const ref of refsOf('beta')) expectProblem(await alphaAdmin.raw('GET', `/v1/tenants/${ref}`), 404, 'not_found');
  });

  it('cannot update beta: 404, and the row is unchanged', async () => {
    const before = await tenantRow('beta');
    const events = await auditCount(api);
    for (const ref of refsOf('beta')) {
      expectProblem(await alphaAdmin.raw('PATCH', `/v1/tenants/${ref}`, { body: { name: 'Hijacked' } }), 404, 'not_found');
      expectProblem(await alphaAdmin.raw('PATCH', `/v1/tenants/${ref}`, { body: { contact_email: 'evil@example.test' } }), 404, 'not_found');
    }
    expect(await tenantRow('beta')).toEqual(before);
    expect(await auditCount(api)).toBe(events);
  });

  it('is refused the status verbs for its role (403), on beta and on its own tenant alike', async () => {
    const before = await tenantRow('beta');
    for (const ref of ['beta', 'alpha']) {
      expectProblem(await alphaAdmin.raw('POST', `/v1/tenants/${ref}/suspend`), 403, 'forbidden');
      expectProblem(await alphaAdmin.raw('POST', `/v1/tenants/${ref}/resume`), 403, 'forbidden');
      expectProblem(await alphaAdmin.raw('DELETE', `/v1/tenants/${ref}`), 403, 'forbidden');
    }
    expect(await tenantRow('beta')).toEqual(before);
    expect((await tenantRow('alpha')).status).toBe('active');
  });

  it('lists exactly its own tenant, whatever the filters ask for', async () => {
    expect((await alphaAdmin.tenants.list()).data.map((t) => t.slug)).toEqual(['alpha']);
    expect((await alphaAdmin.tenants.list({ q: 'beta' })).data).toEqual([]);
    // a reseller it cannot see is "not found", as reading it would be
    expectProblem(await alphaAdmin.raw('GET', '/v1/tenants', { query: { reseller: 'rs' } }), 404, 'not_found');
    expect(await alphaAdmin.analytics.overview()).toMatchObject({ role: 'tenant_admin', tenant: { slug: 'alpha' } });
  });

  it('sees only its own tenant\'s audit events', async () => {
    const events = (await alphaAdmin.audit.list({ limit: 500 })).data;
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.tenant_id))).toEqual(new Set([ids.alpha]));
    // filtering on a tenant it cannot see is "not found", by id or slug, like reading it
    for (const ref of refsOf('beta')) {
      expectProblem(await alphaAdmin.raw('GET', '/v1/audit', { query: { tenant: ref } }), 404, 'not_found');
      expectProblem(await alphaAdmin.raw('GET', '/v1/audit', { query: { target: ref } }), 404, 'not_found');
    }
    expect((await alphaAdmin.audit.list({ tenant: 'alpha' })).data.length).toBeGreaterThan(0);
  });

  it('can change its writable fields but not its plan (403) or status (400, unknown field)', async () => {
    const renamed = (await alphaAdmin.tenants.update('alpha', { name: 'Alpha Own' })).value;
    expect(renamed.name).toBe('Alpha Own');
    const before = await tenantRow('alpha');
    expectProblem(await alphaAdmin.raw('PATCH', '/v1/tenants/alpha', { body: { plan: 'enterprise' } }), 403, 'forbidden');
    expectProblem(await alphaAdmin.raw('PATCH', '/v1/tenants/alpha', { body: { name: 'x', plan: 'enterprise' } }), 403, 'forbidden');
    expectProblem(await alphaAdmin.raw('PATCH', '/v1/tenants/alpha', { body: { reseller: 'rs' } }), 403, 'forbidden');
    expectProblem(await alphaAdmin.raw('PATCH', '/v1/tenants/alpha', { body: { region: 'us-east' } }), 403, 'forbidden');
    expectProblem(await alphaAdmin.raw('PATCH', '/v1/tenants/alpha', { body: { status: 'cancelled' } }), 400, 'invalid');
    expect(await tenantRow('alpha')).toEqual(before);
  });

  it('cannot list resellers, tokens or the chain check, nor mint tokens', async () => {
    expectProblem(await alphaAdmin.raw('GET', '/v1/resellers'), 403, 'forbidden');
    expectProblem(await alphaAdmin.raw('GET', '/v1/tokens'), 403, 'forbidden');
    expectProblem(await alphaAdmin.raw('POST', '/v1/tokens', { body: { role: 'tenant_admin', tenant: 'beta' } }), 403, 'forbidden');
  });
});

describe('reseller rs against other tenants', () => {
  const foreign = ['s1', 'alpha'];

  it('cannot read a tenant of reseller ss or a direct tenant: 404', async () => {
    for (const slug of foreign) {
      for (const ref of refsOf(slug)) expectProblem(await rsReseller.raw('GET', `/v1/tenants/${ref}`), 404, 'not_found');
    }
  });

  it('cannot update them: 404, rows unchanged, nothing audited', async () => {
    const before = await Promise.all(foreign.map(tenantRow));
    const events = await auditCount(api);
    for (const slug of foreign) {
      for (const ref of refsOf(slug)) {
        expectProblem(await rsReseller.raw('PATCH', `/v1/tenants/${ref}`, { body: { name: 'Taken over' } }), 404, 'not_found');
      }
    }
    expect(await Promise.all(foreign.map(tenantRow))).toEqual(before);
    expect(await auditCount(api)).toBe(events);
  });

  it('is refused the status verbs for its role (403), rows unchanged', async () => {
    const before = await Promise.all(['s1', 'r1'].map(tenantRow));
    for (const ref of ['s1', 'r1']) {
      expectProblem(await rsReseller.raw('POST', `/v1/tenants/${ref}/suspend`), 403, 'forbidden');
      expectProblem(await rsReseller.raw('DELETE', `/v1/tenants/${ref}`), 403, 'forbidden');
    }
    expect(await Promise.all(['s1', 'r1'].map(tenantRow))).toEqual(before);
  });

  it('cannot move its tenant to another reseller or change its plan (403)', async () => {
    const before = await tenantRow('r1');
    expectProblem(await rsReseller.raw('PATCH', '/v1/tenants/r1', { body: { reseller: 'ss' } }), 403, 'forbidden');
    expectProblem(await rsReseller.raw('PATCH', '/v1/tenants/r1', { body: { plan: 'enterprise' } }), 403, 'forbidden');
    expect(await tenantRow('r1')).toEqual(before);
  });

  it('lists only its own tenants, even when filtering for another reseller', async () => {
    const own = (await rsReseller.tenants.list()).data;
    expect(own.map((t: Tenant) => t.slug).sort()).toEqual(['r1', 'r2']);
    expect(own.every((t) => t.reseller_id === own[0]!.reseller_id)).toBe(true);
    expectProblem(await rsReseller.raw('GET', '/v1/tenants', { query: { reseller: 'ss' } }), 404, 'not_found');
    expect((await rsReseller.tenants.list({ reseller: 'rs' })).data.map((t) => t.slug).sort()).toEqual(['r1', 'r2']);
    expect(await rsReseller.analytics.overview()).toMatchObject({ role: 'reseller', customers: { tenants: 2 } });
  });

  it('sees only itself among resellers; the other is 404', async () => {
    expect((await rsReseller.resellers.list()).data.map((r) => r.slug)).toEqual(['rs']);
    expectProblem(await rsReseller.raw('GET', '/v1/resellers/ss'), 404, 'not_found');
  });

  it('sees audit events of its own tenants and about itself only', async () => {
    const rs = (await rsReseller.resellers.get('rs')).id;
    const events = (await rsReseller.audit.list({ limit: 500 })).data;
    expect(events.map((event) => event.action).sort()).toEqual(['reseller.create', 'tenant.create', 'tenant.create', 'token.create']);
    for (const event of events) {
      expect(event.reseller_id).toBe(rs);
      expect([ids.r1, ids.r2, null]).toContain(event.tenant_id);
    }
    expectProblem(await rsReseller.raw('GET', '/v1/audit', { query: { tenant: 's1' } }), 404, 'not_found');
    expectProblem(await rsReseller.raw('GET', '/v1/audit', { query: { target: 'ss' } }), 404, 'not_found');
    expect((await rsReseller.audit.list({ target: 'rs', action: 'reseller.create' })).data).toHaveLength(1);
  });

  it('cannot create a tenant for another reseller (403), and nothing is created', async () => {
    const events = await auditCount(api);
    for (const reseller of ['ss', 'no-such-reseller']) {
      expectProblem(await rsReseller.raw('POST', '/v1/tenants', { body: { slug: 'sneaky', name: 'Sneaky', reseller } }), 403, 'forbidden');
    }
    expect(await api.connection.db.selectFrom('tenants').select('id').where('slug', '=', 'sneaky').executeTakeFirst()).toBeUndefined();
    expect(await auditCount(api)).toBe(events);
  });

  it('creates tenants for itself, whether or not it names itself', async () => {
    const implicit = await rsReseller.tenants.create({ slug: 'r3', name: 'R3' });
    const explicit = await rsReseller.tenants.create({ slug: 'r4', name: 'R4', reseller: 'rs' });
    const rs = (await rsReseller.resellers.get('rs')).id;
    expect([implicit.reseller_id, explicit.reseller_id]).toEqual([rs, rs]);
  });
});
