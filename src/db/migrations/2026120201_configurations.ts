import type { Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Tenant configurations (current values) and their numbered versions, both plain tenant-owned tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('configurations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('secret', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('configurations_pk', ['tenant_id', 'key'])
    .execute();

  await db.schema
    .createTable('configuration_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('restored_from', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Two writers that both read version N race to insert N + 1: the loser's unique violation is a 409.
    .addPrimaryKeyConstraint('configuration_versions_pk', ['tenant_id', 'version'])
    .execute();

  await protectTenantTable(db, { table: 'configurations', tenant: 'tenant_id', privileges: 'select, insert, update, delete' });
  // Only ever appended by configuration changes; a tenant backup's restore puts the history back as
  // it was at the backup, which takes update and delete.
  await protectTenantTable(db, { table: 'configuration_versions', tenant: 'tenant_id', privileges: 'select, insert, update, delete' });
}
