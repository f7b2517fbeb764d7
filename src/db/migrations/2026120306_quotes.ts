import { sql, type Kysely } from 'kysely';
import { protectResellerTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Quotes (issue 8). A quote belongs to its reseller of record (reseller_id), or to the platform's
// staff when that is null (a direct quote to a prospect): it is held by the reseller policy
// (master_admin sees every quote, a reseller its own, nobody else any). Its customer is a
// prospect (name, email) or an existing tenant (customer_tenant_id, deliberately not `tenant_id`:
// a quote is the reseller's commercial record, not tenant data, and stays out of tenant backups).
// Tokens gain the staff's discount authority (COMMERCE.md § Quotes).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('discount_authority_bps', 'integer').execute();

  await db.schema
    .createTable('quotes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('quotes.id'))
    .addColumn('reseller_id', 'text', (c) => c.references('resellers.id'))
    .addColumn('customer_tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('prospect_name', 'text')
    .addColumn('prospect_email', 'text')
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('term_months', 'integer', (c) => c.notNull())
    .addColumn('subscribers', 'integer', (c) => c.notNull())
    .addColumn('addons', 'text', (c) => c.notNull())
    .addColumn('discount_bps', 'integer', (c) => c.notNull())
    .addColumn('waive_setup', 'integer', (c) => c.notNull())
    .addColumn('platform_fee_cents', 'integer')
    .addColumn('setup_fee_cents', 'integer')
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('price_book_version', 'text', (c) => c.notNull().references('price_books.version'))
    .addColumn('pricing', 'text', (c) => c.notNull())
    .addColumn('monthly_cents', 'bigint', (c) => c.notNull())
    .addColumn('first_invoice_cents', 'bigint', (c) => c.notNull())
    .addColumn('required_authority_bps', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_authority_bps', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('refused_by', 'text')
    .addColumn('refusal_reason', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('viewed_at', 'text')
    .addColumn('accepted_on', 'text')
    .addColumn('rejection_reason', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('onboarded_tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('opportunity_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quotes_number_revision').on('quotes').columns(['number', 'revision']).unique().execute();
  await db.schema.createIndex('quotes_reseller').on('quotes').columns(['reseller_id', 'id']).execute();
  await db.schema.createIndex('quotes_status_valid_until').on('quotes').columns(['status', 'valid_until']).execute();
  // One revision per quote number can be accepted (COMMERCE.md), whatever two writers do at once.
  await sql`create unique index quotes_one_accepted on quotes (number) where status = 'accepted'`.execute(db);
  await protectResellerTable(db, { table: 'quotes', reseller: 'reseller_id', privileges: 'select, insert, update' });
}
