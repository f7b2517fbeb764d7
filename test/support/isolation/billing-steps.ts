import fc from 'fast-check';
import { expect } from 'vitest';
import type { Invoice, InvoiceDetail, Page, PlanList, PriceBook, Subscription, SubscriptionCreated, UsageList } from '../../../src/client/types.js';
import { PRICE_BOOK_2025_1 } from '../../../src/server/modules/pricebook/book.js';
import { byId, invoiceOf, recordEvent, seesTenant, subscriptionOf, tenantById, type InvoiceState, type Model, type SubscriptionState } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepKind, type Target } from './step.js';

/**
 * Steps on price books, subscriptions, usage and invoices. The model follows subscriptions (status,
 * add-ons) and invoices (status, refunds); who sees them follows their tenant. Dates are today's,
 * so a billing run of this month meets only subscriptions whose first invoice covers it: it writes
 * nothing, which is what the model predicts.
 */

const today = (m: Model) => new Date().toISOString().slice(0, 10);
const sees = (m: Model, p: Parameters<typeof seesTenant>[0], row: { tenant_id: string }) => {
  const tenant = tenantById(m, row.tenant_id);
  return !!tenant && seesTenant(p, tenant);
};

function pickRow<T extends { id: string; tenant_id: string }>(rows: T[], pick: Target, visible: (row: T) => boolean): T | undefined {
  if (pick === 'unknown') return undefined;
  const all = byId(rows);
  const pool = pick.own && all.some(visible) ? all.filter(visible) : all;
  return pool.length ? pool[pick.pick % pool.length] : undefined;
}

const getPriceBook: StepKind<{ version: string | undefined }> = {
  args: fc.record({ version: fc.constantFrom(undefined, '2025.1', 'no-such-version') }),
  async perform(ctx) {
    const answer = await call(ctx, 'GET', '/v1/pricebooks', { query: { version: ctx.args.version } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (ctx.args.version === 'no-such-version') return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    if (ctx.args.version) expect((answer.body as PriceBook).version).toBe(ctx.args.version);
  },
};

const listPlans: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const answer = await call(ctx, 'GET', '/v1/plans', { query: { version: '2025.1' } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as PlanList).data.map((p) => p.code)).toEqual(['starter', 'professional', 'enterprise', 'custom']);
  },
};

const publishPriceBook: StepKind<{ existing: boolean }> = {
  args: fc.record({ existing: fc.boolean() }),
  async perform(ctx) {
    const version = ctx.args.existing ? '2025.1' : `iso.${ctx.r.serial.next++}`;
    const answer = await call(ctx, 'POST', '/v1/pricebooks', { body: { ...PRICE_BOOK_2025_1, version } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (ctx.args.existing) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    recordEvent(ctx.m, 'pricebook.publish', version, null, null);
  },
};

const createSubscription: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', '/v1/subscriptions', { body: { tenant: ref, plan: 'starter', price_book_version: '2025.1' } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    if (m.subscriptions.some((s) => s.tenant_id === tenant.id && s.status !== 'cancelled')) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const created = answer.body as SubscriptionCreated;
    expect(created.first_invoice!.total_cents).toBe(4_900);
    m.subscriptions.push(subscriptionOf(created));
    m.invoices.push(invoiceOf(created.first_invoice!));
    recordEvent(m, 'subscription.create', created.id, tenant.id);
    recordEvent(m, 'invoice.issue', created.first_invoice!.id, tenant.id);
  },
};

const listSubscriptions: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/subscriptions', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as Page<Subscription>).data.map(subscriptionOf)).toEqual(byId(m.subscriptions.filter((s) => sees(m, p, s))));
  },
};

const getSubscription: StepKind<{ sub: Target }> = {
  args: fc.record({ sub: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const sub = pickRow(m.subscriptions, ctx.args.sub, (s) => sees(m, p, s));
    const answer = await call(ctx, 'GET', `/v1/subscriptions/${sub?.id ?? 'sub_00000000000000000000000000'}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!sub || !sees(m, p, sub)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(subscriptionOf(answer.body as Subscription)).toEqual(sub);
  },
};

/** Adding the sandbox add-on is an upgrade: at once, with a proration invoice. */
const changeSubscriptionPlan: StepKind<{ sub: Target }> = {
  args: fc.record({ sub: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const sub = pickRow(m.subscriptions, ctx.args.sub, (s) => sees(m, p, s));
    const answer = await call(ctx, 'POST', `/v1/subscriptions/${sub?.id ?? 'sub_00000000000000000000000000'}/change-plan`, { body: { add_addons: ['sandbox'] } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!sub) return expectStatus(answer, 404, 'not_found');
    if (sub.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    if (sub.addons.includes('sandbox')) return;
    const invoice = (answer.body as { proration_invoice: InvoiceDetail }).proration_invoice;
    sub.addons = [...sub.addons, 'sandbox'];
    m.invoices.push(invoiceOf(invoice));
    recordEvent(m, 'invoice.issue', invoice.id, sub.tenant_id);
    recordEvent(m, 'subscription.change_plan', sub.id, sub.tenant_id);
  },
};

const cancelSubscription: StepKind<{ sub: Target }> = {
  args: fc.record({ sub: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const sub = pickRow(m.subscriptions, ctx.args.sub, (s) => sees(m, p, s));
    const answer = await call(ctx, 'POST', `/v1/subscriptions/${sub?.id ?? 'sub_00000000000000000000000000'}/cancel`, { body: {} });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!sub) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    if (sub.status === 'cancelled') return;
    sub.status = 'cancelled';
    recordEvent(m, 'subscription.cancel', sub.id, sub.tenant_id);
  },
};

const recordUsage: StepKind<{ tenant: Target; users: number }> = {
  args: fc.record({ tenant: targetArb, users: fc.nat({ max: 40 }) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', `/v1/instances/${encodeURIComponent(ref)}/usage`, { body: { users: args.users } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    // staff's readings are audited; an agent's are telemetry
    if (p.role !== 'instance') recordEvent(m, 'usage.record', tenant.id, tenant.id);
  },
};

const showUsage: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/usage');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const expected = m.subscriptions.filter((s) => s.status !== 'cancelled' && sees(m, p, s)).map((s) => s.tenant_id);
    expect((answer.body as UsageList).data.map((u) => u.tenant_id).sort()).toEqual(expected.sort());
  },
};

const runBilling: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const answer = await call(ctx, 'POST', '/v1/billing/runs', { body: { period: today(ctx.m).slice(0, 7) } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ issued: 0 });
  },
};

const listInvoices: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/invoices', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as Page<Invoice>).data.map(invoiceOf)).toEqual(byId(m.invoices.filter((i) => sees(m, p, i))));
  },
};

const getInvoice: StepKind<{ invoice: Target }> = {
  args: fc.record({ invoice: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const invoice = pickRow(m.invoices, ctx.args.invoice, (i) => sees(m, p, i));
    const answer = await call(ctx, 'GET', `/v1/invoices/${invoice?.id ?? 'inv_00000000000000000000000000'}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!invoice || !sees(m, p, invoice)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(invoiceOf(answer.body as Invoice)).toEqual(invoice);
  },
};

/** pay, refund (in full) and void, each from the state the model holds. */
function invoiceVerb(verb: 'pay' | 'refund' | 'void', next: (m: Model, invoice: InvoiceState) => { status: number; action?: string } | null): StepKind<{ invoice: Target }> {
  return {
    args: fc.record({ invoice: targetArb }),
    async perform(ctx) {
      const { m, p } = ctx;
      const invoice = pickRow(m.invoices, ctx.args.invoice, (i) => sees(m, p, i));
      const body = verb === 'void' ? {} : { on: today(m) };
      const answer = await call(ctx, 'POST', `/v1/invoices/${invoice?.id ?? 'inv_00000000000000000000000000'}/${verb}`, { body });
      const refused = gate(ctx, true);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (!invoice) return expectStatus(answer, 404, 'not_found');
      const outcome = next(m, invoice);
      if (!outcome) return expectStatus(answer, 409, 'conflict');
      expectStatus(answer, outcome.status);
      Object.assign(invoice, invoiceOf(answer.body as Invoice));
      if (outcome.action) recordEvent(m, outcome.action, invoice.id, invoice.tenant_id);
    },
  };
}

const payInvoice = invoiceVerb('pay', (_m, i) => (i.status === 'open' ? { status: 200, action: 'invoice.pay' } : i.status === 'paid' ? { status: 200 } : null));
const refundInvoice = invoiceVerb('refund', (_m, i) => (i.status === 'paid' && i.refunded_cents < i.total_cents ? { status: 200, action: 'invoice.refund' } : null));
const voidInvoice = invoiceVerb('void', (_m, i) => (i.status === 'open' ? { status: 200, action: 'invoice.void' } : i.status === 'void' ? { status: 200 } : null));

export const BILLING_STEPS: Record<string, AnyStep> = {
  getPriceBook,
  publishPriceBook,
  listPlans,
  createSubscription,
  listSubscriptions,
  getSubscription,
  changeSubscriptionPlan,
  cancelSubscription,
  recordUsage,
  showUsage,
  runBilling,
  listInvoices,
  getInvoice,
  payInvoice,
  refundInvoice,
  voidInvoice,
};
