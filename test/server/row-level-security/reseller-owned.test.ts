// Row-level security on the tables a reseller owns without a tenant (quotes; later opportunities,
// commissions, payouts): the policy mirrors scopeToReseller, whatever a query forgets to say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInScope } from '../../../src/db/row-scope.js';
import { DIALECT, startTestApi, type TestApi } from '../../support/harness.js';
import { buildWorld } from './world.js';

describe.runIf(DIALECT === 'postgres')('PostgreSQL row-level security on reseller-owned rows', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof buildWorld>>;
  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api);
  });
  afterAll(() => api?.close());

  const unscoped = (scope: { role: 'master_admin' | 'tenant_admin' | 'reseller' | 'instance'; tenantId: string | null; resellerId: string | null }) =>
    readInScope(api.apiConnection.db, scope, (db) => db.selectFrom('quotes').select(['id', 'reseller_id']).execute());

  it('shows a reseller only its own quotes, staff every one, a tenant admin and an instance none, to a query without a where clause', async () => {
    const all = await api.connection.db.selectFrom('quotes').select(['id', 'reseller_id']).execute();
    expect(all.length).toBe(4);
    for (const reseller of [world.north.principal, world.south.principal]) {
      const seen = await unscoped({ role: 'reseller', tenantId: null, resellerId: reseller.resellerId });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((q) => q.reseller_id === reseller.resellerId)).toBe(true);
      expect(seen.length).toBe(all.filter((q) => q.reseller_id === reseller.resellerId).length);
    }
    expect((await unscoped({ role: 'master_admin', tenantId: null, resellerId: null })).length).toBe(all.length);
    expect(await unscoped({ role: 'tenant_admin', tenantId: world.tenants.n1!, resellerId: null })).toEqual([]);
    expect(await unscoped({ role: 'instance', tenantId: world.tenants.n1!, resellerId: null })).toEqual([]);
  });

  it('refuses a reseller writing a quote for another reseller', async () => {
    const victim = (await api.connection.db.selectFrom('quotes').select('id').where('reseller_id', '=', world.south.principal.resellerId).executeTakeFirstOrThrow()).id;
    const changed = await readInScope(api.apiConnection.db, { role: 'reseller', tenantId: null, resellerId: world.north.principal.resellerId }, (db) =>
      db.updateTable('quotes').set({ note: 'taken over' }).where('id', '=', victim).executeTakeFirst(),
    );
    expect(Number(changed.numUpdatedRows)).toBe(0);
  });
});
