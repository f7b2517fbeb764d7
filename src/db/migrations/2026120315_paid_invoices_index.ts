import { sql, type Kysely } from 'kysely';

// Frozen once shipped: never edit it; add a new migration instead.
// The commission run reads a reseller's paid invoices in payment order (lifetime revenue before
// each one, the first paid invoice of each subscription, the period's invoices): an index on the
// payment day, over the invoices that have a reseller of record, spares it a sort of every invoice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('invoices_paid').on('invoices').columns(['paid_on', 'id']).where(sql.ref('reseller_id'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invoices_paid').execute();
}
