import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOn } from '../../../../src/server/modules/flags/bucket.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

/** `enabled_tenants` over 10,000 tenants: one read of their ids, the buckets computed in one pass. */

let api: TestApi;
const ids: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  // rows as the tenants table holds them, inserted directly: 10,000 creates through the API would be the slow part
  const now = new Date().toISOString();
  const rows = Array.from({ length: 10_000 }, (_, i) => {
    const id = `ten_${String(i).padStart(26, '0')}`;
    ids.push(id);
    return { id, slug: `scale-${i}`, name: `Scale ${i}`, status: i % 10 === 0 ? ('cancelled' as const) : ('active' as const), plan: 'starter' as const, region: 'eu-west', reseller_id: null, contact_email: null, created_at: now, updated_at: now, version: 1 };
  });
  for (let at = 0; at < rows.length; at += 500) await api.connection.db.insertInto('tenants').values(rows.slice(at, at + 500)).execute();
}, 120_000);
afterAll(() => api.close());

describe('enabled_tenants at 10,000 tenants', () => {
  it('counts the tenants that are not cancelled and the flag is on for', async () => {
    await api.admin.flags.create({ key: 'scale' });
    const live = ids.filter((_, i) => i % 10 !== 0);
    const set = await api.admin.flags.set('scale', { rollout: 25, except: ['scale-1'], tenants: ['scale-2'] });
    const expected = countOn({ key: 'scale', rolloutBps: 2500, tenants: new Set([ids[2]!]), except: new Set([ids[1]!]) }, live);
    expect(set.value.enabled_tenants).toBe(expected);
    expect((await api.admin.flags.get('scale')).enabled_tenants).toBe(expected);
    // a quarter of 9,000, give or take the hash
    expect(expected).toBeGreaterThan(2_000);
    expect(expected).toBeLessThan(2_500);
    expect((await api.admin.flags.enable('scale')).value.enabled_tenants).toBe(9_000);
  });
});
