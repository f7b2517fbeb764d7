import type { Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Tenant users (issue 9): the people of an ISP instance, owned by their tenant (tenant data:
// row-level security by tenant, and part of tenant backups). An email is unique per tenant.
// The invite code is held only as its SHA-256 hash.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('invite_expires_at', 'text')
    .addColumn('invite_code_hash', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tenant_users_tenant_email').on('tenant_users').columns(['tenant_id', 'email']).unique().execute();
  await db.schema.createIndex('tenant_users_code').on('tenant_users').columns(['invite_code_hash']).execute();
  await protectTenantTable(db, { table: 'tenant_users', tenant: 'tenant_id', privileges: 'select, insert, update, delete' });
}
