// The second wall for the instance role: an instance agent's one route (pushMetrics) is replaced by
// one that skips scopeTo on purpose and queries the request's own transaction raw. PostgreSQL
// still shows it only its own tenant's rows (it is scoped as its tenant's admin), and refuses a
// point written for another tenant.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceContext } from '../../../src/server/context.js';
import type * as HealthService from '../../../src/server/modules/health/service.js';
import { DIALECT, startTestApi, type TestApi } from '../../support/harness.js';
import { buildWorld, rowsInScope, sorted, tenantOwnedTables, type TenantOwnedTable } from './world.js';

const planted = vi.hoisted(() => ({
  active: false,
  tables: [] as { name: string }[],
  seen: {} as Record<string, Record<string, unknown>[]>,
  currentUser: '',
  /** when set, the planted push writes its point for this tenant instead */
  writeFor: null as string | null,
}));

vi.mock('../../../src/server/modules/health/service.js', async (importOriginal) => {
  const real = await importOriginal<typeof HealthService>();
  return {
    ...real,
    async pushMetrics(ctx: ServiceContext, ref: string, ...rest: [never]) {
      if (!planted.active) return real.pushMetrics(ctx, ref, ...rest);
      planted.seen = {};
      for (const { name } of planted.tables) planted.seen[name] = (await ctx.db.selectFrom(name as 'tenants').selectAll().execute()) as Record<string, unknown>[];
      planted.currentUser = (await sql<{ user: string }>`select current_user as user`.execute(ctx.db)).rows[0]!.user;
      if (planted.writeFor) {
        await ctx.db.insertInto('metric_points').values({ tenant_id: planted.writeFor, metric: 'cpu', at: ctx.clock.now().toISOString(), value: 99 }).execute();
      }
      return { tenant_id: ctx.principal.tenantId!, accepted: 0 };
    },
  };
});

describe.runIf(DIALECT === 'postgres')('an instance token\'s query that bypasses scopeTo', () => {
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

  it('reads only its own tenant\'s rows of every tenant-owned table', async () => {
    const res = await world.n1Instance.client.raw('POST', '/v1/instances/n1/metrics', { body: { points: [{ metric: 'cpu', value: 1 }] } });
    expect(res.status, res.body).toBe(200);
    expect(planted.currentUser).toBe('dotmac_app');
    for (const table of tables) {
      const { all, visible } = await rowsInScope(api.connection.db, table, world.n1Instance.principal);
      expect(visible.length, `${table.name}: the world has rows inside the scope`).toBeGreaterThan(0);
      expect(visible.length, `${table.name}: the world has rows outside the scope`).toBeLessThan(all.length);
      expect(sorted(planted.seen[table.name]!), table.name).toEqual(sorted(visible));
    }
  });

  it('cannot write a point for another tenant, and nothing of the request is kept', async () => {
    planted.writeFor = world.tenants.s1!;
    const before = await api.connection.db.selectFrom('metric_points').selectAll().where('tenant_id', '=', world.tenants.s1!).execute();
    const res = await world.n1Instance.client.raw('POST', '/v1/instances/n1/metrics', { body: { points: [{ metric: 'cpu', value: 1 }] } });
    expect(res.status).toBe(500);
    expect(await api.connection.db.selectFrom('metric_points').selectAll().where('tenant_id', '=', world.tenants.s1!).execute()).toEqual(before);
  });
});
