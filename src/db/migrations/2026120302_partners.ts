import { sql, type Kysely } from 'kysely';
import { protectResellerTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// The partner programme (issue 8): partner settings on resellers, commission rules, training
// completions, commission events and payouts with their lines. Every table is the reseller's
// (master_admin sees all, a reseller its own, no other role any): commission events and account
// overrides name a customer (tenant_id) but belong to the partner, not to the customer's data.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('resellers').addColumn('kind', 'text', (c) => c.notNull().defaultTo('reseller')).execute();
  await db.schema.alterTable('resellers').addColumn('quota_cents', 'integer').execute();
  await db.schema.alterTable('resellers').addColumn('tier_source', 'text', (c) => c.notNull().defaultTo('revenue')).execute();
  await db.schema.alterTable('resellers').addColumn('default_commission_bps', 'integer').execute();
  // The foundation's entry tier `registered` is the programme's bronze. A tier staff chose above
  // it stays as chosen (manual); bronze follows revenue from now on.
  await sql`update resellers set tier_source = 'manual' where tier <> 'registered'`.execute(db);
  await sql`update resellers set tier = 'bronze' where tier = 'registered'`.execute(db);

  await db.schema
    .createTable('commission_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('bps', 'integer', (c) => c.notNull())
    .addColumn('reseller_id', 'text', (c) => c.references('resellers.id'))
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('plan', 'text')
    .addColumn('commission_type', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('active_from', 'text', (c) => c.notNull())
    .addColumn('active_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('commission_rules_reseller').on('commission_rules').columns(['reseller_id', 'priority']).execute();
  await protectResellerTable(db, { table: 'commission_rules', reseller: 'reseller_id', privileges: 'select, insert' });

  await db.schema
    .createTable('reseller_training')
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reseller_training_pk', ['reseller_id', 'module'])
    .execute();
  await protectResellerTable(db, { table: 'reseller_training', reseller: 'reseller_id', privileges: 'select, insert' });

  await db.schema
    .createTable('payouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('cutoff', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('net_cents', 'integer', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // one per reseller and run day: running the same day again writes nothing
    .addUniqueConstraint('payouts_reseller_run_on', ['reseller_id', 'run_on'])
    .execute();
  await db.schema.createIndex('payouts_run_on').on('payouts').columns(['run_on', 'reseller_id']).execute();
  await protectResellerTable(db, { table: 'payouts', reseller: 'reseller_id', privileges: 'select, insert' });

  await db.schema
    .createTable('commission_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('subscription_id', 'text')
    .addColumn('invoice_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('base_cents', 'integer', (c) => c.notNull())
    .addColumn('rate_bps', 'integer', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('eligible_on', 'text', (c) => c.notNull())
    .addColumn('payout_id', 'text', (c) => c.references('payouts.id'))
    .addColumn('reverses_id', 'text')
    .addColumn('dispute_reason', 'text')
    .addColumn('disputed_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // the key names what earned the event (type and invoice, quarter, or reversed event): a
    // second commission run inserts nothing
    .addUniqueConstraint('commission_events_reseller_key', ['reseller_id', 'key'])
    .execute();
  await db.schema.createIndex('commission_events_reseller_period').on('commission_events').columns(['reseller_id', 'period', 'id']).execute();
  await db.schema.createIndex('commission_events_status').on('commission_events').columns(['status', 'eligible_on']).execute();
  await db.schema.createIndex('commission_events_invoice').on('commission_events').columns(['invoice_id']).execute();
  await db.schema.createIndex('commission_events_subscription').on('commission_events').columns(['subscription_id']).execute();
  await protectResellerTable(db, { table: 'commission_events', reseller: 'reseller_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('payout_lines')
    .addColumn('payout_id', 'text', (c) => c.notNull().references('payouts.id'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('commission_events.id'))
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('payout_lines_pk', ['payout_id', 'event_id'])
    .execute();
  await protectResellerTable(db, { table: 'payout_lines', reseller: 'reseller_id', privileges: 'select, insert' });
}
