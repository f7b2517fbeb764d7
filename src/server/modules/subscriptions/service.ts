import type { Kysely } from 'kysely';
import { addPeriods, checkDay, dayOf, firstDay, periodOf, termEnd, addDays } from '../../../core/calendar.js';
import { conflict, invalid, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { SubscriptionRow, SubscriptionStatus } from '../../../db/tables/billing.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import type { InvoiceDetail } from '../invoices/schema.js';
import { insertInvoices, invoiceRows, recordOwner, toInvoiceDetail } from '../invoices/store.js';
import type { PriceBook } from '../pricebook/book.js';
import { inAdvanceMonthlyCents, priceSubscription, prorationLines, storedPriceInput, storedTerms, type Pricing } from '../pricebook/pricing.js';
import { loadPriceBook } from '../pricebook/service.js';
import { getTenant } from '../tenants/service.js';
import { recordMrrChange } from './changes.js';
import type { ChangePlanInput, CreateSubscriptionInput, Subscription } from './schema.js';

const SCOPE = { tenant: 'subscriptions.tenant_id' };

export const today = (ctx: Pick<ServiceContext, 'clock'>) => dayOf(ctx.clock.now());

/** Every read of subscriptions starts here. */
export function scopedSubscriptions(ctx: ServiceContext, db: Kysely<Database> = ctx.db) {
  return db.selectFrom('subscriptions').selectAll().where(scopeTo(ctx.principal, SCOPE));
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    ...row,
    ...storedTerms(row, row.setup_cents),
    plan: row.plan as Subscription['plan'],
    pending_change: row.pending_change === null ? null : (JSON.parse(row.pending_change) as Subscription['pending_change']),
    upgrade_required: Number(row.upgrade_required) === 1,
  };
}

/** The pricing of a subscription's terms (its first invoice's lines), on its own price-book version. */
export function priceOf(book: PriceBook, row: SubscriptionRow): Pricing {
  return priceSubscription(book, storedPriceInput(storedTerms(row, row.setup_cents)));
}

/**
 * Creates a tenant's subscription inside the caller's open transaction, with its audit event
 * (onboarding calls this, then issueFirstInvoice, in its own transaction). Priced on the price
 * book named (a quote's) or the newest; one subscription in force per tenant (409).
 */
export async function createSubscription(trx: Kysely<Database>, ctx: ServiceContext, input: CreateSubscriptionInput): Promise<{ subscription: SubscriptionRow; pricing: Pricing }> {
  const tenant = await getTenant(ctx, input.tenant, trx);
  if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled and cannot subscribe`);
  const book = await loadPriceBook(trx, input.price_book_version);
  const plan = book.plans.find((p) => p.code === input.plan);
  const pricing = priceSubscription(book, {
    plan: input.plan,
    term_months: input.term_months ?? 1,
    subscribers: input.subscribers ?? Math.max(1, plan?.included_subscribers ?? 1),
    addons: input.addons ?? [],
    discount_bps: input.discount_bps ?? 0,
    waive_setup: input.waive_setup ?? false,
    platform_fee_cents: input.platform_fee_cents,
    setup_cents: input.setup_cents,
  });
  const start = input.start === undefined ? today(ctx) : checkDay(input.start, 'start');
  const existing = await scopedSubscriptions(ctx, trx).where('subscriptions.tenant_id', '=', tenant.id).where('status', '<>', 'cancelled').executeTakeFirst();
  if (existing) throw conflict(`tenant "${tenant.slug}" already has subscription ${existing.id} (${existing.status}); change its plan or cancel it first`);
  const trial = input.trial ?? false;
  const now = ctx.clock.now().toISOString();
  const row: SubscriptionRow = {
    id: newId('subscription'),
    tenant_id: tenant.id,
    reseller_id: tenant.reseller_id,
    quote_id: input.quote_id ?? null,
    plan: pricing.plan,
    term_months: pricing.term_months,
    price_book_version: book.version,
    subscribers: pricing.subscribers,
    addons: JSON.stringify(pricing.addons),
    discount_bps: pricing.discount_bps,
    waive_setup: input.waive_setup ? 1 : 0,
    platform_fee_cents: input.platform_fee_cents ?? null,
    setup_cents: input.setup_cents ?? null,
    status: trial ? 'trialing' : 'active',
    started_on: start,
    trial_ends_on: trial ? addDays(start, book.trial_days) : null,
    billing_starts_on: trial ? null : start,
    term_ends_on: trial ? null : termEnd(start, pricing.term_months),
    cancel_on: null,
    cancelled_on: null,
    pending_change: null,
    pending_on: null,
    upgrade_required: pricing.flags.includes('upgrade_required') ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('subscriptions').values(row).execute();
  if (!trial) await recordMrrChange(trx, row, { kind: 'new', effective_on: start, from_mrr_cents: 0, to_mrr_cents: pricing.monthly_cents }, ctx.clock.now());
  await recordAudit(trx, ctx, {
    action: 'subscription.create',
    targetType: 'subscription',
    targetId: row.id,
    tenantId: tenant.id,
    details: { plan: row.plan, term_months: row.term_months, subscribers: row.subscribers, price_book_version: row.price_book_version, trial, started_on: start, quote_id: row.quote_id },
  });
  return { subscription: row, pricing };
}

/**
 * The first invoice, inside the caller's open transaction, with its audit event: the whole first
 * month (fee, add-ons, the bands for the subscribed count) plus setup, exactly the lines of
 * priceSubscription, so it equals the quote's first-invoice total. Issued on the day billing
 * starts, for that day's month.
 */
export async function issueFirstInvoice(trx: Kysely<Database>, ctx: ServiceContext, subscription: SubscriptionRow): Promise<InvoiceDetail> {
  if (!subscription.billing_starts_on) throw conflict(`subscription ${subscription.id} is trialing; its first invoice comes when the trial converts`);
  const book = await loadPriceBook(trx, subscription.price_book_version);
  const made = invoiceRows(ctx, { subscription, period: periodOf(subscription.billing_starts_on), kind: 'first', issued_on: subscription.billing_starts_on, lines: priceOf(book, subscription).lines });
  await insertInvoices(trx, [made]);
  await recordAudit(trx, ctx, { action: 'invoice.issue', targetType: 'invoice', targetId: made.invoice.id, tenantId: subscription.tenant_id, details: { kind: 'first', period: made.invoice.period, total_cents: made.invoice.total_cents } });
  return toInvoiceDetail(made.invoice, made.lines);
}

/** `subscriptions create`: the subscription and, unless it is a trial, its first invoice, in one transaction. */
export async function subscribe(ctx: ServiceContext, input: CreateSubscriptionInput) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { subscription, pricing } = await createSubscription(trx, ctx, input);
    const firstInvoice = subscription.status === 'trialing' ? null : await issueFirstInvoice(trx, ctx, subscription);
    return { ...toSubscription(subscription), first_invoice: firstInvoice, warnings: pricing.warnings };
  });
}

export async function listSubscriptions(ctx: ServiceContext, filter: { limit: number; cursor?: string; tenant?: string; status?: SubscriptionStatus }) {
  let query = scopedSubscriptions(ctx).orderBy('subscriptions.id').limit(filter.limit + 1);
  if (filter.cursor) query = query.where('subscriptions.id', '>', decodeCursor(filter.cursor));
  if (filter.tenant) query = query.where('subscriptions.tenant_id', '=', (await getTenant(ctx, filter.tenant)).id);
  if (filter.status) query = query.where('subscriptions.status', '=', filter.status);
  return pageFrom((await query.execute()).map((row) => ({ ...toSubscription(row), reseller_id: recordOwner(ctx.principal, row.reseller_id) })), filter.limit, (s) => s.id);
}

export async function findSubscription(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<SubscriptionRow> {
  const row = hasPrefix(id, 'subscription') ? await scopedSubscriptions(ctx, db).where('subscriptions.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound(`subscription "${id}" was not found`);
  return row;
}

export async function getSubscription(ctx: ServiceContext, id: string): Promise<Subscription> {
  const row = await findSubscription(ctx, id);
  return { ...toSubscription(row), reseller_id: recordOwner(ctx.principal, row.reseller_id) };
}

/**
 * An upgrade (a higher monthly in-advance charge) takes effect on the change day with a proration
 * invoice: credit for the old price and charge for the new one over the days left, the change day
 * included. Anything else (a cheaper plan, fewer add-ons, the same price) is a downgrade: it waits
 * for the first day of the next period, with no credit.
 */
export async function changePlan(ctx: ServiceContext, id: string, input: ChangePlanInput): Promise<Outcome<Subscription & { effective_on: string; proration_invoice: InvoiceDetail | null; warnings: string[] }>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findSubscription(ctx, id, trx);
    if (row.status === 'cancelled' || row.cancel_on !== null) throw conflict(`subscription ${row.id} is ${row.status === 'cancelled' ? 'cancelled' : `cancelled from ${row.cancel_on}`}; its plan cannot change`);
    const on = input.on === undefined ? today(ctx) : checkDay(input.on, 'on');
    if (on < (row.billing_starts_on ?? row.started_on)) throw invalid(`the change day ${on} is before the subscription started (${row.billing_starts_on ?? row.started_on})`);
    const oldAddons = JSON.parse(row.addons) as string[];
    const both = input.add_addons.filter((a) => input.remove_addons.includes(a));
    if (both.length) throw invalid(`add-on ${both[0]} cannot be both added and removed`);
    const missing = input.remove_addons.filter((a) => !oldAddons.includes(a));
    if (missing.length) throw invalid(`the subscription has no add-on ${missing[0]} to remove; it has ${oldAddons.length ? oldAddons.join(', ') : 'none'}`);
    const addons = [...oldAddons.filter((a) => !input.remove_addons.includes(a)), ...input.add_addons.filter((a) => !oldAddons.includes(a))];
    const plan = input.plan ?? row.plan;
    const book = await loadPriceBook(trx, row.price_book_version);
    const next = { ...row, plan, addons: JSON.stringify(addons), platform_fee_cents: plan === row.plan ? row.platform_fee_cents : null, setup_cents: plan === row.plan ? row.setup_cents : null };
    const pricing = priceOf(book, next); // validates the plan, add-ons and cap on the subscription's own version
    if (plan === row.plan && addons.length === oldAddons.length && addons.every((a) => oldAddons.includes(a))) {
      return { value: { ...toSubscription(row), effective_on: on, proration_invoice: null, warnings: [] }, changed: false };
    }
    const monthly = (r: SubscriptionRow) =>
      inAdvanceMonthlyCents(book, { plan: r.plan, term_months: Number(r.term_months), addons: JSON.parse(r.addons) as string[], discount_bps: Number(r.discount_bps), platform_fee_cents: r.platform_fee_cents === null ? undefined : Number(r.platform_fee_cents) });
    const before = monthly(row);
    const after = monthly(next);
    const now = ctx.clock.now().toISOString();
    let invoice: InvoiceDetail | null = null;
    let effective: string;
    let updated: SubscriptionRow;
    if (after > before && row.status !== 'trialing') {
      effective = on;
      updated = { ...next, pending_change: null, pending_on: null, upgrade_required: pricing.flags.includes('upgrade_required') ? 1 : 0, updated_at: now };
      const made = invoiceRows(ctx, { subscription: row, period: periodOf(on), kind: 'proration', issued_on: on, lines: prorationLines(before, after, on) });
      await insertInvoices(trx, [made]);
      await recordAudit(trx, ctx, { action: 'invoice.issue', targetType: 'invoice', targetId: made.invoice.id, tenantId: row.tenant_id, details: { kind: 'proration', period: made.invoice.period, total_cents: made.invoice.total_cents } });
      invoice = toInvoiceDetail(made.invoice, made.lines);
      await recordMrrChange(trx, row, { kind: 'upgrade', effective_on: on, from_mrr_cents: priceOf(book, row).monthly_cents, to_mrr_cents: pricing.monthly_cents }, ctx.clock.now());
    } else if (row.status === 'trialing') {
      // nothing has been invoiced yet: a trial's terms simply change
      effective = on;
      updated = { ...next, upgrade_required: pricing.flags.includes('upgrade_required') ? 1 : 0, updated_at: now };
    } else {
      effective = firstDay(addPeriods(periodOf(on), 1));
      updated = { ...row, pending_change: JSON.stringify({ plan, addons }), pending_on: effective, updated_at: now };
    }
    await trx
      .updateTable('subscriptions')
      .set({ plan: updated.plan, addons: updated.addons, platform_fee_cents: updated.platform_fee_cents, setup_cents: updated.setup_cents, pending_change: updated.pending_change, pending_on: updated.pending_on, upgrade_required: updated.upgrade_required, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, ctx, {
      action: 'subscription.change_plan',
      targetType: 'subscription',
      targetId: row.id,
      tenantId: row.tenant_id,
      details: { from: { plan: row.plan, addons: oldAddons }, to: { plan, addons }, effective_on: effective, upgrade: invoice !== null },
    });
    return { value: { ...toSubscription(updated), effective_on: effective, proration_invoice: invoice, warnings: pricing.warnings }, changed: true };
  });
}

/**
 * Cancels on a day (default today): service and in-advance charges end with that day's month
 * (already invoiced, no credit); the billing run for the month after issues a final invoice for
 * that month's usage in arrears. A cancellation day in the past or today takes effect at once.
 */
export async function cancelSubscription(ctx: ServiceContext, id: string, input: { on?: string }): Promise<Outcome<Subscription>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findSubscription(ctx, id, trx);
    if (row.status === 'cancelled') return { value: toSubscription(row), changed: false };
    const on = input.on === undefined ? today(ctx) : checkDay(input.on, 'on');
    if (on < row.started_on) throw invalid(`the cancellation day ${on} is before the subscription started (${row.started_on})`);
    const now = ctx.clock.now().toISOString();
    const effective = on <= today(ctx);
    const updated: SubscriptionRow = { ...row, cancel_on: on, cancelled_on: effective ? on : null, status: effective ? 'cancelled' : row.status, pending_change: null, pending_on: null, updated_at: now };
    await trx.updateTable('subscriptions').set({ cancel_on: on, cancelled_on: updated.cancelled_on, status: updated.status, pending_change: null, pending_on: null, updated_at: now }).where('id', '=', row.id).execute();
    // a trial never billed has no MRR to lose; a later day's cancellation is recorded by the billing run that applies it
    if (effective && row.billing_starts_on !== null) {
      const book = await loadPriceBook(trx, row.price_book_version);
      await recordMrrChange(trx, row, { kind: 'cancel', effective_on: on, from_mrr_cents: priceOf(book, row).monthly_cents, to_mrr_cents: 0 }, ctx.clock.now());
    }
    await recordAudit(trx, ctx, { action: 'subscription.cancel', targetType: 'subscription', targetId: row.id, tenantId: row.tenant_id, details: { cancel_on: on, effective_now: effective } });
    return { value: toSubscription(updated), changed: true };
  });
}
