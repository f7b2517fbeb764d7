import type { Kysely } from 'kysely';
import { protectResellerTable, protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Pipeline (issue 8): territories (region lists held by resellers), opportunities and their stage
// history (reseller-owned, no tenant), and NPS answers (tenant-owned) for customer health.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('territories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('regions', 'text', (c) => c.notNull())
    .addColumn('reseller_id', 'text', (c) => c.references('resellers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('territories_reseller').on('territories').column('reseller_id').execute();
  await protectResellerTable(db, { table: 'territories', reseller: 'reseller_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('opportunities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
    .addColumn('prospect_name', 'text', (c) => c.notNull())
    .addColumn('prospect_email', 'text')
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('territory_id', 'text', (c) => c.references('territories.id'))
    .addColumn('value_cents', 'integer', (c) => c.notNull())
    .addColumn('close_date', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('quote_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('opportunities_reseller_stage').on('opportunities').columns(['reseller_id', 'stage']).execute();
  await db.schema.createIndex('opportunities_quote').on('opportunities').column('quote_id').execute();
  await protectResellerTable(db, { table: 'opportunities', reseller: 'reseller_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('opportunity_stage_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('opportunity_id', 'text', (c) => c.notNull().references('opportunities.id'))
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('opportunity_stage_changes_opportunity').on('opportunity_stage_changes').columns(['opportunity_id', 'at']).execute();
  await protectResellerTable(db, { table: 'opportunity_stage_changes', reseller: 'reseller_id', privileges: 'select, insert' });

  await db.schema
    .createTable('nps_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nps_responses_tenant_at').on('nps_responses').columns(['tenant_id', 'recorded_at']).execute();
  // update and delete: a tenant backup's restore puts its answers back
  await protectTenantTable(db, { table: 'nps_responses', tenant: 'tenant_id', privileges: 'select, insert, update, delete' });
}
