import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen once shipped: never edit it; add a new migration instead.
// PostgreSQL's row-level security, the second wall behind the service layer's scopeTo (DESIGN §4).
// The API's queries run as the role dotmac_app and set the caller's scope in each transaction
// (src/db/row-scope.ts); every table holding a tenant_id, and tenants itself, gets one policy that
// mirrors scopeTo, enabled and forced (FORCE holds the table owner to it too). SQLite has no
// row-level security: there the scoping helper is the only wall.

const ROLE = `current_setting('dotmac.role', true)`;
const TENANT = `current_setting('dotmac.tenant_id', true)`;
const RESELLER = `current_setting('dotmac.reseller_id', true)`;

/** What scopeTo is given for a table: where its tenant's id is, and its reseller_id when it has one. */
interface Scoped {
  table: string;
  tenant: string;
  reseller?: string;
}

const SCOPED: Scoped[] = [
  { table: 'tenants', tenant: 'id', reseller: 'reseller_id' },
  { table: 'users', tenant: 'tenant_id', reseller: 'reseller_id' },
  { table: 'tokens', tenant: 'tenant_id', reseller: 'reseller_id' },
  { table: 'audit_events', tenant: 'tenant_id', reseller: 'reseller_id' },
];

/** What the API does to each table, and nothing more: audit events are only ever appended. */
const GRANTS: Record<string, string> = {
  tenants: 'select, insert, update',
  resellers: 'select, insert, update',
  users: 'select, insert',
  tokens: 'select, insert, update',
  audit_events: 'select, insert',
  audit_chain: 'select, update',
  idempotency_keys: 'select, insert, update, delete',
  rate_limits: 'select, insert, update, delete',
  // so that a server whose login role is only a member of dotmac_app can see that nothing is pending
  kysely_migration: 'select',
  kysely_migration_lock: 'select',
};

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await createAppRole(db);
  await sql`do $$ begin execute format('grant usage on schema %I to dotmac_app', current_schema()); end $$`.execute(db);
  for (const [table, privileges] of Object.entries(GRANTS)) await sql.raw(`grant ${privileges} on ${table} to dotmac_app`).execute(db);
  for (const scoped of SCOPED) {
    await sql.raw(`alter table ${scoped.table} enable row level security`).execute(db);
    await sql.raw(`alter table ${scoped.table} force row level security`).execute(db);
    // USING serves as WITH CHECK too: no role can write a row it could not read.
    await sql.raw(`create policy ${scoped.table}_scope on ${scoped.table} using (${scopeCondition(scoped)})`).execute(db);
  }
}

/**
 * scopeTo in SQL: master_admin all; tenant_admin its tenant's rows; reseller the rows whose
 * reseller_id is its own, or, on a table without one, the rows of tenants it owns. With no scope
 * set every branch is false, so nothing is visible.
 */
function scopeCondition({ tenant, reseller }: Scoped): string {
  const resellerRows = reseller ? `${reseller} = ${RESELLER}` : `${tenant} in (select id from tenants where reseller_id = ${RESELLER})`;
  return [
    `${ROLE} = 'master_admin'`,
    `(${ROLE} = 'tenant_admin' and ${tenant} = ${TENANT})`,
    `(${ROLE} = 'reseller' and ${resellerRows})`,
  ].join(' or ');
}

/**
 * Roles belong to the whole cluster, and many databases or schemas may be migrated at once (the
 * test suite does): creating the role tolerates another migration creating it meanwhile. The
 * migrating user joins it so that it may SET ROLE to it (a superuser already may).
 */
async function createAppRole(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = 'dotmac_app') then
        begin
          create role dotmac_app nologin nosuperuser nocreatedb nocreaterole nobypassrls;
        exception when duplicate_object or unique_violation then
          null;
        end;
      end if;
      if not pg_has_role(current_user, 'dotmac_app', 'member') then
        begin
          execute format('grant dotmac_app to %I', current_user);
        exception when unique_violation then
          null;
        end;
      end if;
    end $$`.execute(db);
}
