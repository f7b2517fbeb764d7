import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../../src/client/types.js';
import { startTestApi, type TestApi } from '../support/harness.js';

/** Every list route pages through all of its rows exactly once, in a stable order. */

let api: TestApi;
const TENANTS = 11;
const RESELLERS = 7;

beforeAll(async () => {
  api = await startTestApi();
  for (let i = 0; i < RESELLERS; i++) await api.admin.resellers.create({ slug: `partner-${i}`, name: `Partner ${i}` });
  for (let i = 0; i < TENANTS; i++) await api.admin.tenants.create({ slug: `tenant-${i}`, name: `Tenant ${i}`, reseller: i % 2 ? 'partner-0' : null });
  for (let i = 0; i < 4; i++) await api.admin.tokens.create({ role: 'tenant_admin', tenant: `tenant-${i}`, label: `t${i}` });
});
afterAll(() => api.close());

/** Follows next_cursor, checking every page but the last is full and none is larger than the limit. */
async function walk<T>(limit: number, fetchPage: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await fetchPage(cursor);
    expect(page.data.length).toBeLessThanOrEqual(limit);
    rows.push(...page.data);
    if (!page.next_cursor) return rows;
    expect(page.data.length).toBe(limit);
    cursor = page.next_cursor;
  }
  throw new Error('pagination did not end after 100 pages');
}

function expectUnique(keys: (string | number)[]) {
  expect(new Set(keys).size).toBe(keys.length);
}

describe('pagination', () => {
  for (const limit of [1, 2, 3, 5, 500]) {
    it(`walks every tenant once with limit=${limit}`, async () => {
      const rows = await walk(limit, (cursor) => api.admin.tenants.list({ limit, cursor }));
      const all = (await api.admin.tenants.list({ limit: 500 })).data;
      expect(rows.map((t) => t.id)).toEqual(all.map((t) => t.id));
      expect(rows).toHaveLength(TENANTS);
      expectUnique(rows.map((t) => t.id));
      expect(rows.map((t) => t.slug).sort()).toEqual(Array.from({ length: TENANTS }, (_, i) => `tenant-${i}`).sort());
    });
  }

  it('walks a filtered tenant list, keeping the filter on every page', async () => {
    const rows = await walk(2, (cursor) => api.admin.tenants.list({ limit: 2, cursor, reseller: 'partner-0' }));
    expect(rows).toHaveLength(Math.floor(TENANTS / 2));
    for (const tenant of rows) expect(Number(tenant.slug.split('-')[1]) % 2, tenant.slug).toBe(1);
    expectUnique(rows.map((t) => t.id));
  });

  it('walks every reseller once', async () => {
    const rows = await walk(3, (cursor) => api.admin.resellers.list({ limit: 3, cursor }));
    expect(rows.map((r) => r.slug).sort()).toEqual(Array.from({ length: RESELLERS }, (_, i) => `partner-${i}`).sort());
    expectUnique(rows.map((r) => r.id));
  });

  it('walks every token once (bootstrap plus four)', async () => {
    const rows = await walk(2, (cursor) => api.admin.tokens.list({ limit: 2, cursor }));
    expect(rows).toHaveLength(5);
    expectUnique(rows.map((t) => t.jti));
    for (const row of rows) expect(row).not.toHaveProperty('token');
  });

  it('walks the audit trail newest first, every seq once', async () => {
    const rows = await walk(4, (cursor) => api.admin.audit.list({ limit: 4, cursor }));
    const total = Number(
      (await api.connection.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );
    expect(total).toBe(1 + RESELLERS + TENANTS + 4);
    const seqs = rows.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => total - i));
  });

  it('does not repeat or skip a row when rows are added between pages', async () => {
    const first = await api.admin.tenants.list({ limit: 4 });
    await api.admin.tenants.create({ slug: 'late-arrival', name: 'Late' });
    const rest = await walk(4, (cursor) => api.admin.tenants.list({ limit: 4, cursor: cursor ?? first.next_cursor! }));
    const ids = [...first.data, ...rest].map((t) => t.id);
    expectUnique(ids);
    expect(ids).toHaveLength(TENANTS + 1);
  });
});
