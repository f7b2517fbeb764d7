// Subscriptions, usage, invoices and the billing run through the API's own client, with
// explicit dates (the test clock is "now"; every subscription starts months before it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriods, dayOf, periodOf } from '../../../../src/core/calendar.js';
import { PRICE_BOOK_2025_1 as BOOK } from '../../../../src/server/modules/pricebook/book.js';
import { priceSubscription } from '../../../../src/server/modules/pricebook/pricing.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { ApiError } from '../../../../src/client/errors.js';

let api: TestApi;
let serial = 0;
const slug = (p: string) => `${p}-${++serial}`;
let thisMonth: string;
const month = (back: number) => addPeriods(thisMonth, -back);

async function tenant(reseller: string | null = null) {
  const s = slug('bill');
  await api.admin.tenants.create({ slug: s, name: 'Billing', reseller });
  return s;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  api = await startTestApi();
  thisMonth = periodOf(dayOf(api.clock.now()));
});
afterAll(() => api?.close());

describe('price book', () => {
  it('shows the newest book and its plans, and publishes a version once', async () => {
    expect((await api.admin.pricebooks.get()).version).toBe('2025.1');
    expect((await api.admin.pricebooks.plans('2025.1')).data.map((p) => p.code)).toEqual(['starter', 'professional', 'enterprise', 'custom']);
    const next = { ...BOOK, version: slug('2026.t') };
    expect((await api.admin.pricebooks.publish(next)).version).toBe(next.version);
    expect((await api.admin.pricebooks.get(next.version)).version).toBe(next.version);
    expect((await failure(api.admin.pricebooks.publish(next))).kind).toBe('conflict');
    const bad = { ...BOOK, version: slug('bad'), plans: [{ ...BOOK.plans[0]!, bands: [{ from: 50, to: 250, unit_cents: 50 }] }] };
    expect((await failure(api.admin.pricebooks.publish(bad))).kind).toBe('invalid');
  });
});

describe('subscriptions and their first invoice', () => {
  it('issues the first invoice at once, equal to the quote\'s first-invoice total', async () => {
    const t = await tenant();
    const input = { plan: 'professional', term_months: 12, subscribers: 3_000, addons: ['premium-support'], discount_bps: 500 };
    const created = await api.admin.subscriptions.create({ tenant: t, ...input, start: `${month(2)}-10`, price_book_version: '2025.1' });
    expect(created.status).toBe('active');
    expect(created.first_invoice!.total_cents).toBe(priceSubscription(BOOK, input).first_invoice_cents);
    expect(created.first_invoice!.total_cents).toBe(102_839);
    expect(created.first_invoice).toMatchObject({ kind: 'first', period: month(2), issued_on: `${month(2)}-10`, status: 'open', recurring_cents: 52_839 });
    expect((await failure(api.admin.subscriptions.create({ tenant: t, plan: 'starter' }))).kind).toBe('conflict');
  });

  it('refuses an unknown plan, an add-on, a term, and names what is offered', async () => {
    const t = await tenant();
    for (const body of [{ plan: 'platinum' }, { plan: 'starter', addons: ['gold'] }, { plan: 'starter', term_months: 6 }, { plan: 'starter', discount_bps: 4_001 }]) {
      expect((await failure(api.admin.subscriptions.create({ tenant: t, ...body }))).kind).toBe('invalid');
    }
    expect((await api.admin.subscriptions.list({ tenant: t })).data).toEqual([]);
  });
});

describe('the billing run', () => {
  it('bills the fee in advance, the previous month\'s peak in arrears above what the first invoice charged, overage, and runs once', async () => {
    const t = await tenant();
    const sub = await api.admin.subscriptions.create({ tenant: t, plan: 'starter', subscribers: 150, start: `${month(2)}-20`, price_book_version: '2025.1' });
    expect(sub.first_invoice!.total_cents).toBe(4_900 + 50 * 50);
    await api.admin.instances.recordUsage(t, { period: month(2), subscribers: 200, users: 12, api_calls: 10_001 });
    await api.admin.instances.recordUsage(t, { period: month(2), subscribers: 180 }); // lower: ignored
    const run = await api.admin.billing.run({ period: month(1) });
    expect(run.changed).toBe(true);
    const invoices = (await api.admin.invoices.list({ tenant: t, period: month(1) })).data;
    expect(invoices).toHaveLength(1);
    const invoice = await api.admin.invoices.get(invoices[0]!.id);
    expect(invoice.lines.map((l) => [l.kind, l.code, l.amount_cents])).toEqual([
      ['platform_fee', 'starter', 4_900],
      ['band', '101-250', 50 * 50], // 200 peak, 150 already billed by the first invoice
      ['overage', 'users', 400],
      ['overage', 'api_calls_1k', 5],
    ]);
    expect(invoice).toMatchObject({ kind: 'recurring', total_cents: 7_805, recurring_cents: 7_400, due_on: `${month(1)}-16` });
    const again = await api.admin.billing.run({ period: month(1) });
    expect(again.changed).toBe(false);
    expect(again.value.issued).toBe(0);
    expect((await api.admin.invoices.list({ tenant: t, period: month(1) })).data).toHaveLength(1);
  });

  it('never bills below the commitment on a 12-month term, and refuses a future period', async () => {
    const t = await tenant();
    await api.admin.subscriptions.create({ tenant: t, plan: 'starter', term_months: 12, subscribers: 200, start: `${month(3)}-01`, price_book_version: '2025.1' });
    await api.admin.instances.recordUsage(t, { period: month(2), subscribers: 120 });
    await api.admin.billing.run({ period: month(1) });
    const [invoice] = (await api.admin.invoices.list({ tenant: t, period: month(1) })).data;
    const lines = (await api.admin.invoices.get(invoice!.id)).lines;
    expect(lines.find((l) => l.kind === 'band')!.quantity).toBe(100); // 200 committed, not the 120 peak
    expect((await failure(api.admin.billing.run({ period: addPeriods(thisMonth, 1) }))).kind).toBe('invalid');
  });

  it('converts a trial that ended with its first invoice, and does not invoice the trial', async () => {
    const t = await tenant();
    const sub = await api.admin.subscriptions.create({ tenant: t, plan: 'starter', start: `${month(3)}-25`, trial: true, price_book_version: '2025.1' });
    expect(sub).toMatchObject({ status: 'trialing', first_invoice: null, trial_ends_on: `${month(2)}-${String(Number(sub.trial_ends_on!.slice(8))).padStart(2, '0')}` });
    await api.admin.billing.run({ period: month(3) });
    expect((await api.admin.invoices.list({ tenant: t })).data).toEqual([]);
    await api.admin.billing.run({ period: month(2) });
    const invoices = (await api.admin.invoices.list({ tenant: t })).data;
    expect(invoices.map((i) => [i.kind, i.period, i.issued_on])).toEqual([['first', month(2), sub.trial_ends_on]]);
    // converted, and its first invoice (issued two months ago, unpaid) is already past due
    expect((await api.admin.subscriptions.get(sub.id)).status).toBe('past_due');
  });
});

describe('payments, refunds and voids', () => {
  it('pays, refunds in part and in full, never more than paid, and never pays a void invoice', async () => {
    const t = await tenant();
    const created = await api.admin.subscriptions.create({ tenant: t, plan: 'starter', start: `${month(1)}-01`, price_book_version: '2025.1' });
    const id = created.first_invoice!.id;
    const paid = await api.admin.invoices.pay(id, { on: `${month(1)}-05` });
    expect(paid.value).toMatchObject({ status: 'paid', paid_on: `${month(1)}-05`, first_paid: true });
    expect((await failure(api.admin.invoices.refund(id, { on: `${month(1)}-06`, amount_cents: 5_000 }))).kind).toBe('invalid');
    expect((await api.admin.invoices.refund(id, { on: `${month(1)}-06`, amount_cents: 900 })).value.refunded_cents).toBe(900);
    expect((await api.admin.invoices.refund(id, { on: `${month(1)}-07` })).value).toMatchObject({ refunded_cents: 4_900, refunded_on: `${month(1)}-07` });
    expect((await failure(api.admin.invoices.void(id))).kind).toBe('conflict');

    const t2 = await tenant();
    const other = await api.admin.subscriptions.create({ tenant: t2, plan: 'starter', start: `${month(1)}-01`, price_book_version: '2025.1' });
    await api.admin.invoices.void(other.first_invoice!.id);
    expect((await failure(api.admin.invoices.pay(other.first_invoice!.id, { on: `${month(1)}-02` }))).kind).toBe('conflict');
  });

  it('marks a subscription past due when an invoice is unpaid past its due date, and active again when paid', async () => {
    const t = await tenant();
    const created = await api.admin.subscriptions.create({ tenant: t, plan: 'starter', start: `${month(2)}-01`, price_book_version: '2025.1' });
    await api.admin.billing.run({ period: month(1) });
    expect((await api.admin.subscriptions.get(created.id)).status).toBe('past_due');
    const open = (await api.admin.invoices.list({ tenant: t, status: 'open' })).data;
    for (const invoice of open) await api.admin.invoices.pay(invoice.id, { on: dayOf(api.clock.now()) });
    expect((await api.admin.subscriptions.get(created.id)).status).toBe('active');
  });
});

describe('plan changes and cancellation', () => {
  it('upgrades at once with a proration invoice, and downgrades at the end of the period', async () => {
    const t = await tenant();
    const sub = await api.admin.subscriptions.create({ tenant: t, plan: 'starter', start: `${month(2)}-01`, price_book_version: '2025.1' });
    const up = await api.admin.subscriptions.changePlan(sub.id, { plan: 'professional', on: `${month(2)}-11` });
    expect(up.value.plan).toBe('professional');
    const invoice = up.value.proration_invoice!;
    expect(invoice.kind).toBe('proration');
    expect(invoice.lines.map((l) => l.kind)).toEqual(['proration_credit', 'proration_charge']);
    const down = await api.admin.subscriptions.changePlan(sub.id, { plan: 'starter', on: `${month(2)}-20` });
    expect(down.value).toMatchObject({ plan: 'professional', pending_change: { plan: 'starter', addons: [] }, pending_on: `${month(1)}-01`, proration_invoice: null });
    await api.admin.billing.run({ period: month(1) });
    const [recurring] = (await api.admin.invoices.list({ tenant: t, period: month(1) })).data;
    const lines = (await api.admin.invoices.get(recurring!.id)).lines;
    expect(lines[0]).toMatchObject({ kind: 'platform_fee', code: 'starter' });
    expect((await api.admin.subscriptions.get(sub.id)).plan).toBe('starter');
  });

  it('cancels: no in-advance charges after the cancellation month, a final invoice for its usage', async () => {
    const t = await tenant();
    const sub = await api.admin.subscriptions.create({ tenant: t, plan: 'starter', start: `${month(3)}-01`, price_book_version: '2025.1' });
    const cancelled = await api.admin.subscriptions.cancel(sub.id, { on: `${month(3)}-20` });
    expect(cancelled.value).toMatchObject({ status: 'cancelled', cancelled_on: `${month(3)}-20` });
    expect((await api.admin.subscriptions.cancel(sub.id, {})).changed).toBe(false);
    await api.admin.instances.recordUsage(t, { period: month(3), users: 11 });
    await api.admin.billing.run({ period: month(2) });
    await api.admin.billing.run({ period: month(1) });
    const invoices = (await api.admin.invoices.list({ tenant: t })).data;
    expect(invoices.map((i) => [i.kind, i.period, i.total_cents])).toEqual([['first', month(3), 4_900], ['final', month(2), 200]]);
  });
});

describe('usage', () => {
  it('shows the month against the allowances and hard cap', async () => {
    const t = await tenant();
    await api.admin.subscriptions.create({ tenant: t, plan: 'starter', price_book_version: '2025.1' });
    await api.admin.instances.recordUsage(t, { subscribers: 260, users: 5 });
    const { data } = await api.admin.usage.show({ tenant: t });
    expect(data[0]!.upgrade_required).toBe(true);
    expect(data[0]!.metrics.find((m) => m.metric === 'subscribers')).toMatchObject({ value: 260, limit: 250, percent: 104, overage_cents: 160 * 50 });
    expect(data[0]!.metrics.find((m) => m.metric === 'users')).toMatchObject({ value: 5, allowance: 10, percent: 50, overage_cents: 0 });
    expect((await failure(api.admin.instances.recordUsage(t, { period: addPeriods(thisMonth, 1), users: 1 }))).kind).toBe('invalid');
  });
});

describe('scope', () => {
  it('shows a reseller its customers\' invoices and a tenant admin its own, and nobody else\'s (404)', async () => {
    await api.admin.resellers.create({ slug: 'bill-partner', name: 'Partner' });
    const mine = await tenant('bill-partner');
    const theirs = await tenant();
    const a = await api.admin.subscriptions.create({ tenant: mine, plan: 'starter', price_book_version: '2025.1' });
    const b = await api.admin.subscriptions.create({ tenant: theirs, plan: 'starter', price_book_version: '2025.1' });
    expect(a.reseller_id).not.toBeNull();
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'bill-partner' })).token);
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: theirs })).token);
    expect((await reseller.invoices.list()).data.map((i) => i.tenant_id)).toEqual([a.tenant_id]);
    expect((await failure(reseller.invoices.get(b.first_invoice!.id))).kind).toBe('not_found');
    expect((await failure(reseller.subscriptions.get(b.id))).kind).toBe('not_found');
    expect((await admin.invoices.list()).data.map((i) => i.id)).toEqual([b.first_invoice!.id]);
    expect((await failure(admin.invoices.get(a.first_invoice!.id))).kind).toBe('not_found');
  });
});
