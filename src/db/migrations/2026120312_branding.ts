import type { Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Tenant branding (src/server/modules/branding/): one row per numbered version, each holding the
// whole branding after it; the current branding is the newest version. Tenant-owned, so backed
// up and restored with the tenant.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('branding_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('restored_from', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Two writers that both read version N race to insert N + 1: the loser's unique violation is a 409.
    .addPrimaryKeyConstraint('branding_versions_pk', ['tenant_id', 'version'])
    .execute();
  // Only ever appended by branding changes; a tenant backup's restore puts the history back as it
  // was at the backup, which takes update and delete.
  await protectTenantTable(db, { table: 'branding_versions', tenant: 'tenant_id', privileges: 'select, insert, update, delete' });
}
