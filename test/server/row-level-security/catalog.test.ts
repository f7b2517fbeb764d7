// PostgreSQL's row-level security, the second wall behind scopeTo (DESIGN §4): what the catalog
// says, and what the API's role sees when no scope is set.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { connect } from '../../../src/db/connect.js';
import { setRowScope } from '../../../src/db/row-scope.js';
import { DIALECT, PG_URL, startTestApi, type TestApi } from '../../support/harness.js';
import { backupTables } from '../../../src/server/modules/backups/catalog.js';
import { buildWorld, tenantOwnedTables, type TenantOwnedTable } from './world.js';

/** Relations holding a tenant_id or a reseller_id (or tenants itself) that a query as dotmac_app could read unscoped. */
async function unprotectedRelations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string; problem: string }>`
    select c.relname as name,
      case
        when c.relkind = 'm' then 'a materialized view, which row-level security cannot hold'
        when c.relkind = 'v' then 'a view that does not run as its caller (security_invoker)'
        when not c.relrowsecurity then 'row-level security is not enabled'
        when not c.relforcerowsecurity then 'row-level security is not forced'
        else 'it has no policy'
      end as problem
    from pg_class c
    where c.relnamespace = current_schema()::regnamespace
      and (c.relname = 'tenants' or exists (select from pg_attribute a where a.attrelid = c.oid and a.attname in ('tenant_id', 'reseller_id') and not a.attisdropped))
      and case
        when c.relkind = 'm' then true
        when c.relkind = 'v' then not coalesce('security_invoker=true' = any (c.reloptions), false)
        when c.relkind in ('r', 'p') then not (c.relrowsecurity and c.relforcerowsecurity and exists (select from pg_policy p where p.polrelid = c.oid))
        else false
      end
    order by c.relname`.execute(db);
  return rows.map((row) => `${row.name}: ${row.problem}`);
}

const count = async (db: Kysely<Database>, table: TenantOwnedTable) =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(db)).rows[0]!.n);

describe.runIf(DIALECT === 'postgres')('PostgreSQL row-level security', () => {
  let api: TestApi;
  let tables: TenantOwnedTable[];
  beforeAll(async () => {
    api = await startTestApi();
    await buildWorld(api);
    tables = await tenantOwnedTables(api.connection.db);
  });
  afterAll(() => api?.close());

  describe('the catalog', () => {
    it('holds every table with a tenant_id or a reseller_id, and tenants, to an enabled, forced policy', async () => {
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['audit_events', 'tenants', 'tokens', 'users']));
      expect(await unprotectedRelations(api.connection.db)).toEqual([]);
    });

    it('lets the API restore every table a tenant backup covers: select, insert, update and delete', async () => {
      const covered = (await backupTables(api.connection.db, 'postgres')).map((t) => t.name).filter((t) => t !== 'tenants');
      const lacking: string[] = [];
      for (const table of covered) {
        for (const privilege of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) {
          const { rows } = await sql<{ ok: boolean }>`select has_table_privilege('dotmac_app', ${table}, ${privilege}) as ok`.execute(api.connection.db);
          if (!rows[0]!.ok) lacking.push(`${table} ${privilege}`);
        }
      }
      // A table the API may not change this way either grants it in its migration, or is listed in
      // EXCLUDED (src/server/modules/backups/catalog.ts) with the reason it is not restored.
      expect(lacking).toEqual([]);
    });

    it('notices a table, view or materialized view added later without it', async () => {
      const db = api.connection.db;
      await sql`create table later_things (id text primary key, tenant_id text not null)`.execute(db);
      await sql`create view later_view as select id, tenant_id from later_things`.execute(db);
      await sql`create materialized view later_copy as select id, tenant_id from later_things`.execute(db);
      try {
        expect(await unprotectedRelations(db)).toEqual([
          'later_copy: a materialized view, which row-level security cannot hold',
          'later_things: row-level security is not enabled',
          'later_view: a view that does not run as its caller (security_invoker)',
        ]);
        await sql`alter table later_things enable row level security`.execute(db);
        expect(await unprotectedRelations(db)).toContain('later_things: row-level security is not forced');
        await sql`alter table later_things force row level security`.execute(db);
        expect(await unprotectedRelations(db)).toContain('later_things: it has no policy');
      } finally {
        await sql`drop table later_things cascade`.execute(db);
      }
      expect(await unprotectedRelations(db)).toEqual([]);
    });

    it('takes the role even from a URL that brings startup options of its own', async () => {
      const url = new URL(PG_URL);
      url.searchParams.set('options', '-c statement_timeout=4321');
      const connection = await connect({ dialect: 'postgres', url: url.toString() }, { as: 'api' });
      try {
        const { rows } = await sql<{ user: string; timeout: string }>`select current_user as user, current_setting('statement_timeout') as timeout`.execute(connection.db);
        expect(rows).toEqual([{ user: 'dotmac_app', timeout: '4321ms' }]);
      } finally {
        await connection.close();
      }
    });

    it('runs the API as dotmac_app: no superuser, no BYPASSRLS, owner of no table', async () => {
      const { rows } = await sql<{ user: string; rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
        select current_user as user, r.rolsuper, r.rolbypassrls,
               (select count(*) from pg_class c where c.relowner = r.oid) as owned
        from pg_roles r where r.rolname = current_user`.execute(api.apiConnection.db);
      expect(rows).toEqual([{ user: 'dotmac_app', rolsuper: false, rolbypassrls: false, owned: 0 }]);
    });
  });

  describe('fail closed', () => {
    it('shows dotmac_app no tenant-owned row when no scope is set', async () => {
      for (const table of tables) {
        expect(await count(api.connection.db, table), `${table.name} as its owner`).toBeGreaterThan(0);
        expect(await count(api.apiConnection.db, table), `${table.name} as dotmac_app`).toBe(0);
      }
    });

    it('shows nothing to a scope that names no role it knows, or a role without its tenant or reseller', async () => {
      const scopes = [
        { role: 'intruder', tenantId: null, resellerId: null },
        { role: 'tenant_admin', tenantId: null, resellerId: null },
        { role: 'reseller', tenantId: null, resellerId: null },
        { role: 'instance', tenantId: null, resellerId: null },
      ] as const;
      for (const scope of scopes) {
        await api.apiConnection.db.transaction().execute(async (trx) => {
          await setRowScope(trx, scope as never);
          for (const table of tables) expect(await count(trx, table), `${table.name} as ${scope.role}`).toBe(0);
        });
      }
    });

    it('keeps a scope to its transaction: the same pooled connection sees nothing after it', async () => {
      await api.apiConnection.db.connection().execute(async (conn) => {
        const inside = await conn.transaction().execute(async (trx) => {
          await setRowScope(trx, { role: 'master_admin', tenantId: null, resellerId: null });
          return count(trx, tables[0]!);
        });
        expect(inside).toBeGreaterThan(0);
        expect(await count(conn, tables[0]!)).toBe(0);
      });
    });

    it('refuses to write a tenant-owned row with no scope set', async () => {
      const now = new Date().toISOString();
      const insert = api.apiConnection.db
        .insertInto('tenants')
        .values({ id: 'ten_unscoped', slug: 'unscoped', name: 'Unscoped', status: 'active', plan: 'starter', region: 'eu-west', reseller_id: null, contact_email: null, created_at: now, updated_at: now, version: 1 })
        .execute();
      await expect(insert).rejects.toMatchObject({ code: '42501' });
      const updated = await api.apiConnection.db.updateTable('tenants').set({ name: 'Renamed unscoped' }).executeTakeFirst();
      expect(Number(updated.numUpdatedRows)).toBe(0);
    });
  });
});
