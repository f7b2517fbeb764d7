import { SqliteAdapter, type Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Tenant backups (src/server/modules/backups/): the compressed snapshots themselves, and each
// tenant's backup schedule. Both are tenant-owned and protected like every such table. The
// snapshot bytes are a blob on SQLite and bytea on PostgreSQL: the one type that differs.
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof SqliteAdapter ? 'blob' : 'bytea';
  await db.schema
    .createTable('backups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('format_version', 'integer', (c) => c.notNull())
    .addColumn('schema_migration', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('content', bytes as 'blob', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('backups_tenant').on('backups').columns(['tenant_id', 'id']).execute();
  // Retention deletes the oldest backups, so the API may delete here; a backup is never updated.
  await protectTenantTable(db, { table: 'backups', tenant: 'tenant_id', privileges: 'select, insert, delete' });

  await db.schema
    .createTable('backup_schedules')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('every_seconds', 'integer', (c) => c.notNull())
    .addColumn('keep', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await protectTenantTable(db, { table: 'backup_schedules', tenant: 'tenant_id', privileges: 'select, insert, update' });
}
