import type { Kysely } from 'kysely';
import { grantPlatformTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Feature flags (issue 9): platform-owned, no tenant_id. The tenants a flag is forced on or off for
// are JSON arrays of tenant ids on the flag itself: flags are the platform's decision, not tenant
// data, so they are neither scoped by row-level security nor part of a tenant's backup.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feature_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('rollout_bps', 'integer', (c) => c.notNull())
    .addColumn('tenant_ids', 'text', (c) => c.notNull())
    .addColumn('except_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // delete: `flags delete` removes the row (the audit trail keeps what it was)
  await grantPlatformTable(db, 'feature_flags', 'select, insert, update, delete');
}
