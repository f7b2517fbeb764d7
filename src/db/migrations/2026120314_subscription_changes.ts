import type { Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Every change of a subscription's monthly recurring revenue (issue 8: expansion MRR for upsell
// commissions, and the reseller KPIs): new, upgrade, downgrade, cancel, with the MRR before and
// after in integer cents, written in the transaction that made the change. Append-only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscription_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('reseller_id', 'text', (c) => c.references('resellers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('from_mrr_cents', 'bigint', (c) => c.notNull())
    .addColumn('to_mrr_cents', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscription_changes_subscription').on('subscription_changes').columns(['subscription_id', 'effective_on']).execute();
  await db.schema.createIndex('subscription_changes_reseller').on('subscription_changes').columns(['reseller_id', 'effective_on']).execute();
  await protectTenantTable(db, { table: 'subscription_changes', tenant: 'tenant_id', reseller: 'reseller_id', privileges: 'select, insert' });
}
