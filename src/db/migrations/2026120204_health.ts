import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Instance health (issue 7): probe results, raw metric points pushed by instance agents, and the
// hourly roll-ups that outlive the raw points. Plain tenant-owned tables, under row-level security.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('health_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'integer')
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('health_checks_tenant_at').on('health_checks').columns(['tenant_id', 'at']).execute();
  await protectTenantTable(db, { table: 'health_checks', tenant: 'tenant_id', privileges: 'select, insert, delete' });

  await db.schema
    .createTable('metric_points')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    // a point pushed twice (an agent's retry) is one point
    .addPrimaryKeyConstraint('metric_points_pk', ['tenant_id', 'metric', 'at'])
    .execute();
  await db.schema.createIndex('metric_points_tenant_at').on('metric_points').columns(['tenant_id', 'at']).execute();
  await protectTenantTable(db, { table: 'metric_points', tenant: 'tenant_id', privileges: 'select, insert, update, delete' });

  await db.schema
    .createTable('metric_rollups')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('sum', 'double precision', (c) => c.notNull())
    .addColumn('min', 'double precision', (c) => c.notNull())
    .addColumn('max', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_rollups_pk', ['tenant_id', 'metric', 'hour'])
    .execute();
  await protectTenantTable(db, { table: 'metric_rollups', tenant: 'tenant_id', privileges: 'select, insert, update' });

  // The roll-up job deletes probe jobs (one a minute per tenant) a day after they finish.
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`grant delete on jobs, job_steps to dotmac_app`.execute(db);
}
