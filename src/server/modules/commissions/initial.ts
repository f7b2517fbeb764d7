import type { Kysely } from 'kysely';
import { addDays, dayOf } from '../../../core/calendar.js';
import type { Database } from '../../../db/database.js';
import type { ServiceContext } from '../../context.js';
import { readAcrossTenants } from '../analytics/platform-wide.js';
import type { CommissionRule } from './rates.js';
import { ELIGIBLE_AFTER_DAYS, commissionsForPaidInvoice } from './rules.js';
import { partnerOf, revenueBefore } from './run.js';
import { insertCommissionEvents } from './service.js';

/**
 * The initial commission of an accepted quote (COMMERCE.md: accepting writes "the initial
 * commission for the reseller of record"): 50 % of the month-1 recurring commission on the first
 * invoice, at the partner's rate on the day of acceptance. It waits as `awaiting_payment` (never
 * paid out) until that invoice is paid, then is pending until 30 days after the payment
 * (`settleInitialCommission`); voiding the invoice, or cancelling the subscription before it is
 * paid, cancels it. It has the key the commission run gives it, so the run never writes it again.
 * None for a direct customer, or when the share rounds to nothing.
 */
export async function recordInitialCommission(trx: Kysely<Database>, ctx: ServiceContext, invoiceId: string): Promise<{ id: string } | null> {
  const invoice = await trx.selectFrom('invoices').select(['id', 'subscription_id', 'reseller_id', 'period', 'recurring_cents', 'total_cents']).where('id', '=', invoiceId).executeTakeFirstOrThrow();
  if (invoice.reseller_id === null) return null;
  const resellerId = invoice.reseller_id;
  const sub = await trx.selectFrom('subscriptions').select(['id', 'tenant_id', 'plan', 'term_months', 'started_on']).where('id', '=', invoice.subscription_id).executeTakeFirstOrThrow();
  const today = dayOf(ctx.clock.now());
  // the programme's rates and the partner's revenue are the platform's, whoever accepts: on
  // PostgreSQL a reseller's own scope hides the rules every partner shares
  // inside the onboarding transaction: on SQLite its one connection is held, and a read on
  // ctx.db outside it would wait for it for ever
  const { reseller, rules, lifetime } = await readAcrossTenants({ ...ctx, db: trx }, async (db) => ({
    reseller: await db.selectFrom('resellers').selectAll().where('id', '=', resellerId).executeTakeFirstOrThrow(),
    rules: await db.selectFrom('commission_rules').selectAll().where((eb) => eb.or([eb('reseller_id', 'is', null), eb('reseller_id', '=', resellerId)])).execute(),
    lifetime: (await revenueBefore(db, today, resellerId))[0],
  }));
  const initial = commissionsForPaidInvoice({
    reseller: partnerOf(reseller),
    lifetime_revenue_cents: Number(lifetime?.cents ?? 0),
    rules: rules.map((r): CommissionRule => ({ ...r, priority: Number(r.priority), bps: Number(r.bps) })),
    subscription: { id: sub.id, tenant_id: sub.tenant_id, plan: sub.plan, term_months: Number(sub.term_months), started_on: sub.started_on },
    invoice: { id: invoice.id, period: invoice.period, paid_on: today, recurring_cents: Number(invoice.recurring_cents), total_cents: Number(invoice.total_cents) },
    month: 1,
    first_paid: true,
    expansion_mrr_cents: 0,
  }).find((e) => e.type === 'initial');
  if (!initial) return null;
  const [written] = await insertCommissionEvents(trx, [initial], ctx.clock.now(), 'awaiting_payment');
  return written ? { id: written.id } : null;
}

/** The invoice was paid on `paidOn`: its initial commission, if one awaits, is pending until 30 days later. */
export async function settleInitialCommission(trx: Kysely<Database>, invoiceId: string, paidOn: string, now: Date): Promise<void> {
  await trx
    .updateTable('commission_events')
    .set({ status: 'pending', eligible_on: addDays(paidOn, ELIGIBLE_AFTER_DAYS), updated_at: now.toISOString() })
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'awaiting_payment')
    .execute();
}

/** The invoice was voided before it was paid: its initial commission was never earned. */
export async function cancelAwaitingCommission(trx: Kysely<Database>, invoiceId: string, now: Date): Promise<void> {
  await trx.updateTable('commission_events').set({ status: 'cancelled', updated_at: now.toISOString() }).where('invoice_id', '=', invoiceId).where('status', '=', 'awaiting_payment').execute();
}
