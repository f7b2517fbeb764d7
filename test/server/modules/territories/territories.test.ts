import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resellerRegions } from '../../../../src/server/modules/territories/service.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;

async function reseller() {
  const slug = `terr-res-${++serial}`;
  const row = await api.admin.resellers.create({ slug, name: slug });
  const token = (await api.admin.tokens.create({ role: 'reseller', reseller: slug })).token;
  return { slug, id: row.id, client: api.as(token) };
}

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('territories', () => {
  it('are created by staff with sorted, unique, lower-case regions, and unassigned', async () => {
    const t = await api.admin.territories.create({ name: 'Pacific', regions: ['us-west', 'US-West', 'ap-south'] });
    expect(t).toMatchObject({ name: 'Pacific', regions: ['ap-south', 'us-west'], reseller_id: null, reseller_slug: null });
    expect(t.id).toMatch(/^ter_/);
    const again = await api.admin.raw('POST', '/v1/territories', { body: { name: 'Pacific', regions: ['eu-west'] } });
    expectProblem(again, 409, 'conflict');
  });

  it('refuse a name that paths and ids could not tell apart', async () => {
    for (const name of ['..', '.', 'ter_01abc', '', ' ']) {
      expectProblem(await api.admin.raw('POST', '/v1/territories', { body: { name, regions: ['eu-west'] } }), 400, 'invalid');
    }
  });

  it('refuse a region that is not a code', async () => {
    for (const regions of [[], ['us east'], ['-x'], ['x'.repeat(51)]]) {
      expectProblem(await api.admin.raw('POST', '/v1/territories', { body: { name: `Bad ${++serial}`, regions } }), 400, 'invalid');
    }
  });

  it('are assigned and unassigned, idempotently, with the audit trail', async () => {
    const r = await reseller();
    const name = `Assigned ${++serial}`;
    await api.admin.territories.create({ name, regions: ['eu-west'] });
    const before = await auditCount(api);
    const given = await api.admin.territories.assign(name, { reseller: r.slug });
    expect(given).toMatchObject({ changed: true, value: { reseller_id: r.id, reseller_slug: r.slug } });
    expect((await api.admin.territories.assign(name, { reseller: r.slug })).changed).toBe(false);
    expect(await auditCount(api)).toBe(before + 1);
    expect(await resellerRegions(api.connection.db, r.id)).toEqual(['eu-west']);
    expect((await api.admin.territories.assign(name, { reseller: null })).value.reseller_id).toBeNull();
    expect(await resellerRegions(api.connection.db, r.id)).toEqual([]);
    expectProblem(await api.admin.raw('POST', `/v1/territories/${encodeURIComponent(name)}/assign`, { body: { reseller: 'no-such' } }), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', '/v1/territories/nowhere/assign', { body: { reseller: r.slug } }), 404, 'not_found');
  });

  it('show staff their overlaps, and a reseller only its own, without overlaps', async () => {
    const a = await reseller();
    const b = await reseller();
    const east = `East ${++serial}`;
    const central = `Central ${serial}`;
    await api.admin.territories.create({ name: east, regions: ['zz-east', 'zz-central'] });
    await api.admin.territories.create({ name: central, regions: ['zz-central', 'zz-north'] });
    await api.admin.territories.assign(east, { reseller: a.slug });
    await api.admin.territories.assign(central, { reseller: b.slug });
    const all = (await api.admin.territories.list()).data;
    expect(all.find((t) => t.name === east)?.overlaps).toEqual([{ territory: central, regions: ['zz-central'] }]);
    const own = (await a.client.territories.list()).data;
    expect(own.map((t) => t.name)).toEqual([east]);
    expect(own[0]!.overlaps).toBeUndefined();
    // a reseller holds several
    const extra = `Extra ${serial}`;
    await api.admin.territories.create({ name: extra, regions: ['zz-south'] });
    await api.admin.territories.assign(extra, { reseller: a.slug });
    expect(await resellerRegions(api.connection.db, a.id)).toEqual(['zz-central', 'zz-east', 'zz-south']);
  });
});
