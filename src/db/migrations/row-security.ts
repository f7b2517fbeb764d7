import { SqliteAdapter, sql, type Kysely } from 'kysely';

// For migrations after 2026112603_row_level_security: what each new tenant-owned table needs on
// PostgreSQL, the same way that migration did it for the first tables (it keeps its own frozen
// copy). The catalog test (test/server/row-level-security/catalog.test.ts) fails the build for a
// table with a tenant_id that a migration left without it.

const ROLE = `current_setting('dotmac.role', true)`;
const TENANT = `current_setting('dotmac.tenant_id', true)`;
const RESELLER = `current_setting('dotmac.reseller_id', true)`;

export interface TenantOwnedTable {
  table: string;
  /** the column holding the owning tenant's id */
  tenant: string;
  /** its reseller_id column, when the table has one; otherwise resellers reach rows through tenants */
  reseller?: string;
  /** what the API does to it, e.g. 'select, insert, update' (nothing more: append-only tables get no update) */
  privileges: string;
}

/**
 * Grants dotmac_app what the API does to the table, enables and forces row-level security, and
 * adds the one policy mirroring scopeTo (fail closed: with no scope set nothing is visible).
 * No-op on SQLite, where scopeTo is the only wall.
 */
export async function protectTenantTable(db: Kysely<any>, owned: TenantOwnedTable): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql.raw(`grant ${owned.privileges} on ${owned.table} to dotmac_app`).execute(db);
  await sql.raw(`alter table ${owned.table} enable row level security`).execute(db);
  await sql.raw(`alter table ${owned.table} force row level security`).execute(db);
  await sql.raw(`create policy ${owned.table}_scope on ${owned.table} using (${scopeCondition(owned)})`).execute(db);
}

export interface ResellerOwnedTable {
  table: string;
  /** the column holding the owning reseller's id */
  reseller: string;
  privileges: string;
}

/**
 * protectTenantTable for a table a reseller owns that has no tenant_id (mirrors scopeToReseller):
 * master_admin sees every row, a reseller its own, every other role none.
 */
export async function protectResellerTable(db: Kysely<any>, owned: ResellerOwnedTable): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql.raw(`grant ${owned.privileges} on ${owned.table} to dotmac_app`).execute(db);
  await sql.raw(`alter table ${owned.table} enable row level security`).execute(db);
  await sql.raw(`alter table ${owned.table} force row level security`).execute(db);
  await sql
    .raw(`create policy ${owned.table}_scope on ${owned.table} using (${ROLE} = 'master_admin' or (${ROLE} = 'reseller' and ${owned.reseller} = ${RESELLER}))`)
    .execute(db);
}

/** A platform table (no tenant_id): dotmac_app gets the privileges, and no row-level security. */
export async function grantPlatformTable(db: Kysely<any>, table: string, privileges: string): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql.raw(`grant ${privileges} on ${table} to dotmac_app`).execute(db);
}

function scopeCondition({ tenant, reseller }: TenantOwnedTable): string {
  const resellerRows = reseller ? `${reseller} = ${RESELLER}` : `${tenant} in (select id from tenants where reseller_id = ${RESELLER})`;
  return [
    `${ROLE} = 'master_admin'`,
    `(${ROLE} = 'tenant_admin' and ${tenant} = ${TENANT})`,
    `(${ROLE} = 'reseller' and ${resellerRows})`,
  ].join(' or ');
}
