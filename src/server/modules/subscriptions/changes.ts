import type { Kysely } from 'kysely';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { SubscriptionChangeKind, SubscriptionChangeRow, SubscriptionRow } from '../../../db/tables/billing.js';

// The MRR ledger (table subscription_changes): every change of a subscription's monthly recurring
// revenue, written in the transaction that makes the change. MRR is the recurring total of a full
// month's invoice on the subscription's terms (platform fee, bands on the subscribed or committed
// count, add-ons, term and negotiated discounts): priceOf(book, row).monthly_cents, never priced a
// second way. A trial has no MRR: its `new` row is written when it converts.
//   new        subscriptions create / onboarding (not a trial), or a trial converting in the billing run
//   upgrade    change-plan that takes effect at once (with its proration invoice)
//   downgrade  a pending change, when the billing run applies it at the start of a period
//   cancel     a cancellation, when it takes effect (at once, or in the billing run)

export interface MrrChange {
  kind: SubscriptionChangeKind;
  effective_on: string;
  from_mrr_cents: number;
  to_mrr_cents: number;
}

export function mrrChangeRow(subscription: Pick<SubscriptionRow, 'id' | 'tenant_id' | 'reseller_id'>, change: MrrChange, at: Date): SubscriptionChangeRow {
  return {
    id: newId('subscriptionChange'),
    subscription_id: subscription.id,
    tenant_id: subscription.tenant_id,
    reseller_id: subscription.reseller_id,
    ...change,
    created_at: at.toISOString(),
  };
}

const CHUNK = 400;

/** Inserts MRR changes inside the caller's open transaction. */
export async function insertMrrChanges(trx: Kysely<Database>, rows: readonly SubscriptionChangeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('subscription_changes').values(rows.slice(i, i + CHUNK)).execute();
}

export async function recordMrrChange(trx: Kysely<Database>, subscription: Pick<SubscriptionRow, 'id' | 'tenant_id' | 'reseller_id'>, change: MrrChange, at: Date): Promise<void> {
  await insertMrrChanges(trx, [mrrChangeRow(subscription, change, at)]);
}
