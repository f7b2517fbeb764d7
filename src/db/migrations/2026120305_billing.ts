import { sql, type Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Billing (issue 8): subscriptions, monthly usage readings, invoices and their lines. All
// tenant-owned, under row-level security; resellers reach them through their tenants. Money is
// integer cents; dates are YYYY-MM-DD text, periods YYYY-MM.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('reseller_id', 'text', (c) => c.references('resellers.id'))
    .addColumn('quote_id', 'text')
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('term_months', 'integer', (c) => c.notNull())
    .addColumn('price_book_version', 'text', (c) => c.notNull().references('price_books.version'))
    .addColumn('subscribers', 'integer', (c) => c.notNull())
    .addColumn('addons', 'text', (c) => c.notNull())
    .addColumn('discount_bps', 'integer', (c) => c.notNull())
    .addColumn('waive_setup', 'integer', (c) => c.notNull())
    .addColumn('platform_fee_cents', 'bigint')
    .addColumn('setup_cents', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('trial_ends_on', 'text')
    .addColumn('billing_starts_on', 'text')
    .addColumn('term_ends_on', 'text')
    .addColumn('cancel_on', 'text')
    .addColumn('cancelled_on', 'text')
    .addColumn('pending_change', 'text')
    .addColumn('pending_on', 'text')
    .addColumn('upgrade_required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One subscription in force per tenant, even when two requests check at once.
  await db.schema
    .createIndex('subscriptions_one_in_force')
    .on('subscriptions')
    .column('tenant_id')
    .unique()
    .where(sql.ref('status'), '<>', sql.lit('cancelled'))
    .execute();
  await protectTenantTable(db, { table: 'subscriptions', tenant: 'tenant_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('usage_readings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_readings_pk', ['tenant_id', 'period', 'metric'])
    .execute();
  await db.schema.createIndex('usage_readings_period').on('usage_readings').columns(['period', 'tenant_id']).execute();
  await protectTenantTable(db, { table: 'usage_readings', tenant: 'tenant_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id'))
    .addColumn('reseller_id', 'text', (c) => c.references('resellers.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('paid_on', 'text')
    .addColumn('voided_on', 'text')
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('recurring_cents', 'bigint', (c) => c.notNull())
    .addColumn('refunded_cents', 'bigint', (c) => c.notNull())
    .addColumn('refunded_on', 'text')
    .addColumn('first_paid', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The billing run's idempotency: one period invoice (first, recurring or final) per subscription and period.
  await db.schema
    .createIndex('invoices_one_per_period')
    .on('invoices')
    .columns(['subscription_id', 'period'])
    .unique()
    .where(sql.ref('kind'), 'in', sql`('first', 'recurring', 'final')`)
    .execute();
  await db.schema.createIndex('invoices_tenant').on('invoices').columns(['tenant_id', 'id']).execute();
  // past due: a subscription's open invoices by due date
  await db.schema.createIndex('invoices_subscription_open').on('invoices').columns(['subscription_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('invoices_period').on('invoices').columns(['period', 'id']).execute();
  await protectTenantTable(db, { table: 'invoices', tenant: 'tenant_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('invoice_lines')
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('unit_cents', 'bigint', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('recurring', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('invoice_lines_pk', ['invoice_id', 'position'])
    .execute();
  await protectTenantTable(db, { table: 'invoice_lines', tenant: 'tenant_id', privileges: 'select, insert' });
}
