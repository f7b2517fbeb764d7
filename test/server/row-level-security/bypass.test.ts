// The second wall on its own: the tenants service (and, for an instance token, the metrics push) is
// replaced by one that skips scopeTo on purpose and queries the request's own transaction (ctx.db) raw. Through the real app, routes and
// middleware, PostgreSQL still hands each caller only its own rows, and refuses writes outside them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceContext } from '../../../src/server/context.js';
import type * as TenantsService from '../../../src/server/modules/tenants/service.js';
import type * as HealthService from '../../../src/server/modules/health/service.js';
import { DIALECT, startTestApi, type TestApi } from '../../support/harness.js';
import { buildWorld, rowsInScope, sorted, tenantOwnedTables, type TenantOwnedTable } from './world.js';

const planted = vi.hoisted(() => ({
  /** off while the world is built through the real service */
  active: false,
  tables: [] as { name: string }[],
  seen: {} as Record<string, Record<string, unknown>[]>,
  currentUser: '',
  /** the reseller the planted createTenant gives its tenant */
  owner: null as string | null,
  /** the tenant the planted pushMetrics writes its point for */
  writeFor: null as string | null,
}));

/** Every tenant-owned table, read whole through the request's transaction: no scopeTo, no where clause. */
async function readEverything(ctx: ServiceContext): Promise<void> {
  planted.seen = {};
  for (const { name } of planted.tables) planted.seen[name] = (await ctx.db.selectFrom(name as 'tenants').selectAll().execute()) as Record<string, unknown>[];
  planted.currentUser = (await sql<{ user: string }>`select current_user as user`.execute(ctx.db)).rows[0]!.user;
}

// The one route an instance token may call: its push reads everything too, and may write a point
// for another tenant.
vi.mock('../../../src/server/modules/health/service.js', async (importOriginal) => {
  const real = await importOriginal<typeof HealthService>();
  return {
    ...real,
    async pushMetrics(ctx: ServiceContext, ref: string, ...rest: [never]) {
      if (!planted.active) return real.pushMetrics(ctx, ref, ...rest);
      await readEverything(ctx);
      if (planted.writeFor) await ctx.db.insertInto('metric_points').values({ tenant_id: planted.writeFor, metric: 'cpu', at: ctx.clock.now().toISOString(), value: 99 }).execute();
      return { tenant_id: ctx.principal.tenantId!, accepted: 0 };
    },
  };
});

vi.mock('../../../src/server/modules/tenants/service.js', async (importOriginal) => {
  const real = await importOriginal<typeof TenantsService>();
  return {
    ...real,
    /** Every tenant-owned table, read whole: no scopeTo, no where clause. */
    async listTenants(ctx: ServiceContext, ...rest: [never]) {
      if (!planted.active) return real.listTenants(ctx, ...rest);
      await readEverything(ctx);
      return { data: planted.seen.tenants!.map((row) => ({ ...row, reseller_slug: null })), next_cursor: null };
    },
    /** Renames every tenant there is, then answers as the real service would. */
    async updateTenant(ctx: ServiceContext, ref: string, ...rest: [never]) {
      if (!planted.active) return real.updateTenant(ctx, ref, ...rest);
      await ctx.db.updateTable('tenants').set({ name: 'renamed by a planted query' }).execute();
      return { value: await real.getTenant(ctx, ref), changed: true };
    },
    /** Creates a tenant for another reseller than the caller. */
    async createTenant(ctx: ServiceContext, ...rest: [never]) {
      if (!planted.active) return real.createTenant(ctx, ...rest);
      const now = ctx.clock.now().toISOString();
      const row = { id: 'ten_planted', slug: 'planted', name: 'Planted', status: 'active' as const, plan: 'starter' as const, region: 'eu-west', contact_email: null, created_at: now, updated_at: now, version: 1 };
      await ctx.db.insertInto('tenants').values({ ...row, reseller_id: planted.owner }).execute();
      return { ...row, reseller_id: planted.owner, reseller_slug: null };
    },
  };
});

describe.runIf(DIALECT === 'postgres')('a query that bypasses scopeTo, through the request\'s own transaction', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof buildWorld>>;
  let tables: TenantOwnedTable[];
  beforeAll(async () => {
    api = await startTestApi({ onInternalError: () => undefined });
    world = await buildWorld(api);
    tables = await tenantOwnedTables(api.connection.db);
    planted.tables = tables;
    planted.active = true;
  });
  afterAll(() => api?.close());

  const master = { role: 'master_admin', tenantId: null, resellerId: null } as const;

  it('reads, as a tenant admin, a reseller and an instance agent, only the caller\'s own rows of every tenant-owned table', async () => {
    for (const caller of [world.n1Admin, world.directAdmin, world.north, world.south, world.n1Instance]) {
      // an instance token reaches the planted query through the one route it may call
      const res =
        caller.principal.role === 'instance'
          ? await caller.client.raw('POST', '/v1/instances/n1/metrics', { body: { points: [{ metric: 'cpu', value: 1 }] } })
          : await caller.client.raw('GET', '/v1/tenants');
      expect(res.status).toBe(200);
      expect(planted.currentUser).toBe('dotmac_app');
      for (const table of tables) {
        const { all, visible } = await rowsInScope(api.connection.db, table, caller.principal);
        const label = `${table.name} as ${caller.principal.role} ${caller.principal.tenantId ?? caller.principal.resellerId}`;
        // a tenant admin or an instance sees no reseller-owned row at all
        if (!table.resellerOnly || caller.principal.role === 'reseller') expect(visible.length, `${label}: the world has rows inside the scope`).toBeGreaterThan(0);
        expect(visible.length, `${label}: the world has rows outside the scope`).toBeLessThan(all.length);
        expect(sorted(planted.seen[table.name]!), label).toEqual(sorted(visible));
      }
      if (caller.principal.role === 'instance') continue;
      const listed = (JSON.parse(res.body) as { data: { id: string }[] }).data.map((t) => t.id).sort();
      expect(listed).toEqual(planted.seen.tenants!.map((t) => t.id as string).sort());
    }
  });

  it('refuses an instance agent\'s point written for another tenant, and keeps nothing of the request', async () => {
    planted.writeFor = world.tenants.s1!;
    const before = await api.connection.db.selectFrom('metric_points').selectAll().where('tenant_id', '=', world.tenants.s1!).execute();
    const res = await world.n1Instance.client.raw('POST', '/v1/instances/n1/metrics', { body: { points: [{ metric: 'cpu', value: 1 }] } });
    planted.writeFor = null;
    expect(res.status).toBe(500);
    expect(await api.connection.db.selectFrom('metric_points').selectAll().where('tenant_id', '=', world.tenants.s1!).execute()).toEqual(before);
  });

  it('reads everything as master_admin', async () => {
    expect((await api.admin.raw('GET', '/v1/tenants')).status).toBe(200);
    for (const table of tables) expect(sorted(planted.seen[table.name]!), table.name).toEqual(sorted((await rowsInScope(api.connection.db, table, master)).all));
  });

  it('changes only the caller\'s own tenants with an update that has no where clause', async () => {
    const before = await api.connection.db.selectFrom('tenants').select(['id', 'name']).orderBy('id').execute();
    expect((await world.north.client.raw('PATCH', '/v1/tenants/n1', { body: { name: 'x' } })).status).toBe(200);
    expect((await world.directAdmin.client.raw('PATCH', '/v1/tenants/direct', { body: { name: 'x' } })).status).toBe(200);
    const after = await api.connection.db.selectFrom('tenants').select(['id', 'name']).orderBy('id').execute();
    const renamed = after.filter((row) => row.name === 'renamed by a planted query').map((row) => row.id).sort();
    expect(renamed).toEqual([world.tenants.direct!, world.tenants.n1!, world.tenants.n2!].sort());
    expect(after.filter((row) => !renamed.includes(row.id))).toEqual(before.filter((row) => !renamed.includes(row.id)));
  });

  it('refuses a tenant created for another reseller, and keeps nothing of the request', async () => {
    planted.owner = world.north.principal.resellerId;
    const res = await world.south.client.raw('POST', '/v1/tenants', { body: { slug: 'planted', name: 'Planted' } });
    expect(res.status).toBe(500);
    expect(await api.connection.db.selectFrom('tenants').select('id').where('slug', '=', 'planted').execute()).toEqual([]);
    planted.owner = world.south.principal.resellerId;
    expect((await world.south.client.raw('POST', '/v1/tenants', { body: { slug: 'planted', name: 'Planted' } })).status).toBe(201);
  });
});
