import { sql, type Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Jobs leased by workers, the steps they finished, and deployments with their events (issue 7).
// Every table is tenant-owned and held by row-level security on PostgreSQL; the worker sets the
// scope of the job's tenant for its work (src/server/modules/jobs/worker-db.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // what a worker looks for: due queued jobs, and running ones whose lease ran out
  await db.schema.createIndex('jobs_status_run_at').on('jobs').columns(['status', 'run_at']).execute();
  await db.schema.createIndex('jobs_tenant_id').on('jobs').columns(['tenant_id', 'id']).execute();
  await protectTenantTable(db, { table: 'jobs', tenant: 'tenant_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('job_steps')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_steps_pk', ['job_id', 'step'])
    .execute();
  await protectTenantTable(db, { table: 'job_steps', tenant: 'tenant_id', privileges: 'select, insert' });

  await db.schema
    .createTable('deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('job_id', 'text', (c) => c.notNull().unique().references('jobs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('replicas', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('endpoint_url', 'text')
    .addColumn('rollback_to', 'text')
    .addColumn('replaces', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('deployments_tenant_id').on('deployments').columns(['tenant_id', 'id']).execute();
  // At most one deployment in progress per tenant, even when two requests check at once.
  await db.schema
    .createIndex('deployments_one_in_progress')
    .on('deployments')
    .column('tenant_id')
    .unique()
    .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
    .execute();
  await protectTenantTable(db, { table: 'deployments', tenant: 'tenant_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('deployment_events')
    .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('step', 'text')
    .addColumn('progress', 'integer')
    .addColumn('message', 'text')
    .addPrimaryKeyConstraint('deployment_events_pk', ['deployment_id', 'seq'])
    .execute();
  await protectTenantTable(db, { table: 'deployment_events', tenant: 'tenant_id', privileges: 'select, insert' });
}
