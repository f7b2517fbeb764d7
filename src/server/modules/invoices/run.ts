import type { Kysely } from 'kysely';
import { addDays, addPeriods, checkPeriod, dayOf, firstDay, lastDay, periodOf, termEnd } from '../../../core/calendar.js';
import { invalid } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import type { InvoiceKind, InvoiceLineRow, InvoiceRow, SubscriptionChangeRow, SubscriptionRow, UsageMetric } from '../../../db/tables/billing.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { recordAudit } from '../audit/service.js';
import type { PriceBook } from '../pricebook/book.js';
import { storedTerms, type PriceLine } from '../pricebook/pricing.js';
import { loadPriceBook } from '../pricebook/service.js';
import { insertMrrChanges, mrrChangeRow } from '../subscriptions/changes.js';
import { priceOf } from '../subscriptions/service.js';
import { periodInvoice, type MonthUsage } from './period.js';
import { insertInvoices, invoiceRows } from './store.js';

type Made = { invoice: InvoiceRow; lines: InvoiceLineRow[] };

export interface BillingRunResult {
  period: string;
  issued: number;
  already_invoiced: number;
  converted_trials: number;
  renewed: number;
  downgraded: number;
  past_due: number;
  total_cents: number;
  invoice_ids: string[];
}

/**
 * `billing run --period P`: for every subscription in force, the period's invoice (COMMERCE.md):
 * P's fee and add-ons in advance, P−1's bands on its peak (never below the commitment) and its
 * overage in arrears, discounts. On the way it converts trials that ended (their first invoice),
 * renews terms that ended on the same price-book version, applies downgrades due at P's start, and
 * marks subscriptions past due; the MRR ledger (subscriptions/changes.ts) gets each conversion, downgrade
 * and cancellation it applies. Idempotent: one period invoice per subscription and period (a
 * unique index), so a second run writes nothing and answers `unchanged`. A future period is refused.
 */
export async function runBilling(ctx: ServiceContext, input: { period: string }): Promise<Outcome<BillingRunResult>> {
  const period = checkPeriod(input.period);
  const today = dayOf(ctx.clock.now());
  if (period > periodOf(today)) throw invalid(`period ${period} is in the future; the latest period that can be billed is ${periodOf(today)}`);
  const previous = addPeriods(period, -1);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const subs = await trx
      .selectFrom('subscriptions')
      .selectAll()
      .where(scopeTo(ctx.principal, { tenant: 'subscriptions.tenant_id' }))
      .where((eb) => eb.or([eb('status', '<>', 'cancelled'), eb('cancel_on', '>=', firstDay(previous))]))
      .where('started_on', '<=', lastDay(period))
      .orderBy('id')
      .execute();
    const invoiced = await periodInvoices(ctx, trx, [previous, period]);
    const usage = await monthUsage(ctx, trx, previous);
    const books = new Map<string, PriceBook>();
    const bookOf = async (version: string) => books.get(version) ?? books.set(version, await loadPriceBook(trx, version)).get(version)!;

    const made: Made[] = [];
    const result: BillingRunResult = { period, issued: 0, already_invoiced: 0, converted_trials: 0, renewed: 0, downgraded: 0, past_due: 0, total_cents: 0, invoice_ids: [] };
    const updates: { id: string; set: Partial<SubscriptionRow> }[] = [];
    // the MRR ledger: a trial converting is new MRR, a downgrade applied, a cancellation taking effect
    const mrrChanges: SubscriptionChangeRow[] = [];
    const now = ctx.clock.now();
    const issue = (sub: SubscriptionRow, p: string, kind: InvoiceKind, issuedOn: string, lines: PriceLine[]) => {
      const m = invoiceRows(ctx, { subscription: sub, period: p, kind, issued_on: issuedOn, lines });
      made.push(m);
      invoiced.add(`${sub.id} ${p}`);
    };

    for (const original of subs) {
      let sub = original;
      const book = await bookOf(sub.price_book_version);
      const set: Partial<SubscriptionRow> = {};
      if (sub.status === 'trialing') {
        const ends = sub.trial_ends_on!;
        if (ends > lastDay(period) || ends > today || (sub.cancel_on !== null && sub.cancel_on < ends)) continue;
        // the trial converts on the day it ends: billing starts, the term runs from that day's month
        Object.assign(set, { status: 'active', billing_starts_on: ends, term_ends_on: termEnd(ends, Number(sub.term_months)) });
        sub = { ...sub, ...set } as SubscriptionRow;
        result.converted_trials++;
        mrrChanges.push(mrrChangeRow(sub, { kind: 'new', effective_on: ends, from_mrr_cents: 0, to_mrr_cents: priceOf(book, sub).monthly_cents }, now));
        if (!invoiced.has(`${sub.id} ${periodOf(ends)}`)) issue(sub, periodOf(ends), 'first', ends, priceOf(book, sub).lines);
      }
      const firstPeriod = periodOf(sub.billing_starts_on ?? sub.started_on);
      if (firstPeriod >= period) {
        if (Object.keys(set).length) updates.push({ id: sub.id, set });
        continue;
      }
      if (invoiced.has(`${sub.id} ${period}`)) {
        result.already_invoiced++;
        if (Object.keys(set).length) updates.push({ id: sub.id, set });
        continue;
      }
      const cancelMonth = sub.cancel_on === null ? null : periodOf(sub.cancel_on);
      if (cancelMonth !== null && cancelMonth < previous) continue;
      const inAdvance = cancelMonth === null || period <= cancelMonth;
      const arrearsTerms = storedTerms(sub, sub.setup_cents);
      if (inAdvance && sub.term_ends_on !== null && sub.term_ends_on < firstDay(period)) {
        let ends = sub.term_ends_on;
        while (ends < firstDay(period)) ends = termEnd(addDays(ends, 1), Number(sub.term_months));
        set.term_ends_on = ends;
        result.renewed++;
      }
      if (inAdvance && sub.pending_change !== null && sub.pending_on !== null && sub.pending_on <= firstDay(period)) {
        const pending = JSON.parse(sub.pending_change) as { plan: string; addons: string[] };
        const downgradeOn = sub.pending_on;
        Object.assign(set, { plan: pending.plan, addons: JSON.stringify(pending.addons), pending_change: null, pending_on: null });
        if (pending.plan !== sub.plan) Object.assign(set, { platform_fee_cents: null, setup_cents: null });
        result.downgraded++;
        mrrChanges.push(mrrChangeRow(sub, { kind: 'downgrade', effective_on: downgradeOn, from_mrr_cents: priceOf(book, sub).monthly_cents, to_mrr_cents: priceOf(book, { ...sub, ...set } as SubscriptionRow).monthly_cents }, now));
      }
      if (Object.keys(set).length) sub = { ...sub, ...set } as SubscriptionRow;
      const invoice = periodInvoice(book, {
        inAdvance: inAdvance ? storedTerms(sub, sub.setup_cents) : null,
        arrears: arrearsTerms,
        usage: usage.get(sub.tenant_id) ?? { subscribers: null, users: 0, devices: 0, storage_gb: 0, api_calls: 0 },
        prepaidSubscribers: previous === firstPeriod ? Number(original.subscribers) : null,
      });
      const flagged = invoice.flags.includes('upgrade_required') ? 1 : 0;
      if (flagged !== Number(sub.upgrade_required) && flagged === 1) set.upgrade_required = 1;
      if (inAdvance || invoice.lines.length > 0) issue(sub, period, inAdvance ? 'recurring' : 'final', firstDay(period), invoice.lines);
      if (Object.keys(set).length) updates.push({ id: sub.id, set });
    }

    await insertInvoices(trx, made);
    const stamp = now.toISOString();
    for (const { id, set } of updates) await trx.updateTable('subscriptions').set({ ...set, updated_at: stamp }).where('id', '=', id).execute();
    // a cancellation whose day has come (its MRR lost, unless it never billed); then past due: an open invoice past its due date
    const ending = await trx.selectFrom('subscriptions').selectAll().where('status', '<>', 'cancelled').where('cancel_on', '<=', today).where('billing_starts_on', 'is not', null).execute();
    for (const sub of ending) mrrChanges.push(mrrChangeRow(sub, { kind: 'cancel', effective_on: sub.cancel_on!, from_mrr_cents: priceOf(await bookOf(sub.price_book_version), sub).monthly_cents, to_mrr_cents: 0 }, now));
    await insertMrrChanges(trx, mrrChanges);
    await trx.updateTable('subscriptions').set({ status: 'cancelled', cancelled_on: (eb) => eb.ref('cancel_on'), updated_at: stamp }).where('status', '<>', 'cancelled').where('cancel_on', '<=', today).execute();
    const overdue = (eb: any) => eb.exists(eb.selectFrom('invoices').select('invoices.id').whereRef('invoices.subscription_id', '=', 'subscriptions.id').where('invoices.status', '=', 'open').where('invoices.due_on', '<', today));
    const lapsed = await trx.updateTable('subscriptions').set({ status: 'past_due', updated_at: stamp }).where('status', '=', 'active').where(overdue).executeTakeFirst();
    result.past_due = Number(lapsed.numUpdatedRows);

    result.issued = made.length;
    result.total_cents = made.reduce((sum, m) => sum + m.invoice.total_cents, 0);
    result.invoice_ids = made.slice(0, 100).map((m) => m.invoice.id);
    const changed = made.length > 0 || updates.length > 0 || result.past_due > 0 || mrrChanges.length > 0;
    if (changed) {
      await recordAudit(trx, ctx, {
        action: 'billing.run',
        targetType: 'billing_run',
        targetId: period,
        tenantId: null,
        details: { period, issued: result.issued, total_cents: result.total_cents, converted_trials: result.converted_trials, renewed: result.renewed, downgraded: result.downgraded, past_due: result.past_due },
      });
    }
    return { value: result, changed };
  });
}

/** "subscription period" of every period invoice (first, recurring, final) of these periods. */
async function periodInvoices(ctx: ServiceContext, trx: Kysely<Database>, periods: string[]): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('invoices')
    .select(['subscription_id', 'period'])
    .where(scopeTo(ctx.principal, { tenant: 'invoices.tenant_id' }))
    .where('period', 'in', periods)
    .where('kind', 'in', ['first', 'recurring', 'final'])
    .execute();
  return new Set(rows.map((r) => `${r.subscription_id} ${r.period}`));
}

/** Each tenant's figures for a month: the highest reading of each metric (readings only rise). */
async function monthUsage(ctx: ServiceContext, trx: Kysely<Database>, period: string): Promise<Map<string, MonthUsage>> {
  const rows = await trx
    .selectFrom('usage_readings')
    .select(['tenant_id', 'metric', 'value'])
    .where(scopeTo(ctx.principal, { tenant: 'usage_readings.tenant_id' }))
    .where('period', '=', period)
    .execute();
  const out = new Map<string, MonthUsage>();
  for (const row of rows) {
    const usage = out.get(row.tenant_id) ?? { subscribers: null, users: 0, devices: 0, storage_gb: 0, api_calls: 0 };
    usage[row.metric as UsageMetric] = Number(row.value);
    out.set(row.tenant_id, usage);
  }
  return out;
}
