import { sql, type Kysely } from 'kysely';

// Frozen once shipped: never edit it; add a new migration instead.
// MRR is a subscription's latest first or recurring invoice that is not void (the overview, the
// commission run's upsell): an index on the subscription and period of exactly those invoices
// answers it with one seek, however many periods a subscription has been billed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('invoices_billed')
    .on('invoices')
    .columns(['subscription_id', 'period'])
    .where(sql<boolean>`status <> 'void' and kind in ('first', 'recurring')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invoices_billed').execute();
}
