import fc from 'fast-check';
import { expect } from 'vitest';
import type { AuditEvent, Page, Quote, QuoteSummary } from '../../../src/client/types.js';
import { byId, configsFromDatabase, eventOf, readBilling, readDeployments, readPipeline, readQuotes, recordEvent, seesTenant, tenantOf, type Model, type Principal, type QuoteState } from './model.js';
import { readAll } from '../pages.js';
import { partnersFromSystem } from './partner-model.js';
import type { Tenant } from '../../../src/client/types.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepContext, type StepKind, type Target } from './step.js';

/**
 * Steps on quotes: owned by their reseller of record (a reseller sees its own, staff every one,
 * nobody else any), moved through COMMERCE.md's states with discount authority (a reseller 500 bps,
 * the model's master token the default 1,000). Accepting and onboarding make a tenant, its
 * configuration and a deployment: after one succeeds the model takes those from the system (and
 * checks that what the caller got back stays in its scope), predicting only who may do it.
 */

const seesQuote = (p: Principal, q: QuoteState) => p.role === 'master_admin' || (p.role === 'reseller' && q.reseller_id !== null && q.reseller_id === p.resellerId);
const authority = (p: Principal) => (p.role === 'reseller' ? 500 : p.role === 'master_admin' ? 1000 : 0);
const OPEN = ['draft', 'pending_approval', 'approved', 'sent', 'viewed'];

function pickQuote(m: Model, p: Principal, pick: Target): { quote?: QuoteState; ref: string } {
  if (pick === 'unknown' || m.quotes.length === 0) return { ref: 'quo_00000000000000000000000000' };
  const all = byId(m.quotes);
  const pool = pick.own && all.some((q) => seesQuote(p, q)) ? all.filter((q) => seesQuote(p, q)) : all;
  const quote = pool[pick.pick % pool.length]!;
  // by number only when it names this revision (a number means the latest)
  const latest = Math.max(...m.quotes.filter((q) => q.number === quote.number).map((q) => q.revision));
  return { quote, ref: pick.form === 'slug' && quote.revision === latest ? quote.number : quote.id };
}

/** The usual start of a step on one quote: refused by the gate, or not found out of scope (undefined: go on). */
function reach(ctx: StepContext<unknown>, answer: Awaited<ReturnType<typeof call>>, quote: QuoteState | undefined, write: boolean): QuoteState | undefined {
  const refused = gate(ctx, write);
  if (refused) {
    expectStatus(answer, refused.status, refused.code);
    return undefined;
  }
  if (!quote || !seesQuote(ctx.p, quote)) {
    expectStatus(answer, 404, 'not_found');
    return undefined;
  }
  return quote;
}

function moved(m: Model, quote: QuoteState, to: string, action: string): void {
  quote.status = to;
  recordEvent(m, action, quote.id, quote.customer_tenant_id, quote.reseller_id);
}

const terms = (subscribers: number, discount: number, plan = 'starter') => ({ plan, term_months: 12, subscribers, discount_bps: discount });

/** The regions a reseller's territories cover (a reseller's quotes are limited to them; staff's own, without a reseller, are not). */
const regionsOf = (m: Model, resellerId: string) => new Set(m.territories.filter((t) => t.reseller_id === resellerId).flatMap((t) => t.regions));

/** A reseller's quote goes out and is accepted only while the reseller still holds its region (territories move). */
const stillHeld = (m: Model, quote: QuoteState) => quote.reseller_id === null || regionsOf(m, quote.reseller_id).has(quote.region);

const createQuote: StepKind<{ tenant: Target | 'prospect'; discount: number; plan: string; subscribers: number; region: string | undefined }> = {
  args: fc.record({
    tenant: fc.oneof(fc.constant('prospect' as const), targetArb),
    discount: fc.constantFrom(0, 300, 800, 5000),
    plan: fc.constantFrom('starter', 'starter', 'nope'),
    subscribers: fc.constantFrom(50, 120),
    // mostly the world's territories' regions, sometimes none (the tenant's, else eu-west) or one nobody holds
    region: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('iso-a', 'iso-b', 'iso-c') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'iso-z') }),
  }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const picked = args.tenant === 'prospect' ? undefined : pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const customer = picked ? { tenant: picked.ref } : { prospect_name: 'Model Prospect', prospect_email: 'buyer@model.test' };
    const answer = await call(ctx, 'POST', '/v1/quotes', { body: { ...customer, ...terms(args.subscribers, args.discount, args.plan), ...(args.region === undefined ? {} : { region: args.region }) } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    const tenant = picked?.tenant;
    if (picked && (!tenant || !seesTenant(p, tenant))) return expectStatus(answer, 404, 'not_found');
    if (tenant?.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    const resellerId = p.role === 'reseller' ? p.resellerId : (tenant?.reseller_id ?? null);
    const region = args.region ?? tenant?.region ?? 'eu-west';
    if (resellerId !== null && !regionsOf(m, resellerId).has(region)) return expectStatus(answer, 403, 'outside_territory');
    if (args.plan === 'nope' || args.discount > 4000) return expectStatus(answer, 400, 'invalid');
    expectStatus(answer, 201);
    const quote = answer.body as Quote;
    expect(quote.region).toBe(region);
    expect(quote).toMatchObject({ status: 'draft', revision: 1, reseller_id: resellerId, customer_tenant_id: tenant?.id ?? null, author_id: p.userId });
    m.quotes.push({ id: quote.id, number: quote.number, revision: 1, reseller_id: resellerId, customer_tenant_id: tenant?.id ?? null, region, status: 'draft', author_id: p.userId!, author_authority_bps: authority(p), subscribers: args.subscribers, required_authority_bps: args.discount });
    recordEvent(m, 'quote.create', quote.id, tenant?.id ?? null, resellerId);
  },
};

const listQuotes: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/quotes', { query: { limit: 200 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as Page<QuoteSummary>).data.map((q) => q.id).sort()).toEqual(byId(m.quotes.filter((q) => seesQuote(p, q))).map((q) => q.id));
  },
};

const getQuote: StepKind<{ quote: Target }> = {
  args: fc.record({ quote: targetArb }),
  async perform(ctx) {
    const { quote: picked, ref } = pickQuote(ctx.m, ctx.p, ctx.args.quote);
    const answer = await call(ctx, 'GET', `/v1/quotes/${encodeURIComponent(ref)}`);
    const quote = reach(ctx, answer, picked, false);
    if (!quote) return;
    expectStatus(answer, 200);
    expect((answer.body as Quote).id).toBe(quote.id);
  },
};

const previewQuote: StepKind<{ discount: number }> = {
  args: fc.record({ discount: fc.constantFrom(0, 800, 4001) }),
  async perform(ctx) {
    const answer = await call(ctx, 'POST', '/v1/quotes/preview', { body: terms(120, ctx.args.discount) });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (ctx.args.discount > 4000) return expectStatus(answer, 400, 'invalid');
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ needs_approval: ctx.args.discount > authority(ctx.p), your_authority_bps: authority(ctx.p) });
  },
};

const updateQuote: StepKind<{ quote: Target; subscribers: number }> = {
  args: fc.record({ quote: targetArb, subscribers: fc.constantFrom(50, 120) }),
  async perform(ctx) {
    const { m, args } = ctx;
    const { quote: picked, ref } = pickQuote(m, ctx.p, args.quote);
    const answer = await call(ctx, 'PATCH', `/v1/quotes/${encodeURIComponent(ref)}`, { body: { subscribers: args.subscribers } });
    const quote = reach(ctx, answer, picked, true);
    if (!quote) return;
    if (!['draft', 'pending_approval', 'approved'].includes(quote.status)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    if (quote.subscribers === args.subscribers) return;
    quote.subscribers = args.subscribers;
    moved(m, quote, 'draft', 'quote.update');
  },
};

const submitQuote: StepKind<{ quote: Target }> = {
  args: fc.record({ quote: targetArb }),
  async perform(ctx) {
    const { quote: picked, ref } = pickQuote(ctx.m, ctx.p, ctx.args.quote);
    const answer = await call(ctx, 'POST', `/v1/quotes/${encodeURIComponent(ref)}/submit`);
    const quote = reach(ctx, answer, picked, true);
    if (!quote) return;
    if (quote.status !== 'draft') return expectStatus(answer, 409, 'conflict');
    if (!stillHeld(ctx.m, quote)) return expectStatus(answer, 403, 'outside_territory');
    expectStatus(answer, 200);
    moved(ctx.m, quote, quote.required_authority_bps > quote.author_authority_bps ? 'pending_approval' : 'sent', 'quote.submit');
    expect((answer.body as Quote).status).toBe(quote.status);
  },
};

function decision(verb: 'approve' | 'refuse'): StepKind<{ quote: Target }> {
  return {
    args: fc.record({ quote: targetArb }),
    async perform(ctx) {
      const { quote: picked, ref } = pickQuote(ctx.m, ctx.p, ctx.args.quote);
      const answer = await call(ctx, 'POST', `/v1/quotes/${encodeURIComponent(ref)}/${verb}`, verb === 'refuse' ? { body: { reason: 'too deep' } } : {});
      const quote = reach(ctx, answer, picked, true);
      if (!quote) return;
      if (quote.status !== 'pending_approval') return expectStatus(answer, 409, 'conflict');
      if (quote.author_id === ctx.p.userId || quote.required_authority_bps > authority(ctx.p)) return expectStatus(answer, 403, 'forbidden');
      expectStatus(answer, 200);
      moved(ctx.m, quote, verb === 'approve' ? 'approved' : 'draft', `quote.${verb}`);
    },
  };
}

/** A verb that moves `from` → `to`; `again`: asking in the end state is unchanged, not a conflict. */
function move(verb: string, from: string[], to: string, again = false, body?: unknown): StepKind<{ quote: Target }> {
  return {
    args: fc.record({ quote: targetArb }),
    async perform(ctx) {
      const { quote: picked, ref } = pickQuote(ctx.m, ctx.p, ctx.args.quote);
      const answer = await call(ctx, 'POST', `/v1/quotes/${encodeURIComponent(ref)}/${verb}`, body ? { body } : {});
      const quote = reach(ctx, answer, picked, true);
      if (!quote) return;
      if (again && quote.status === to) return expectStatus(answer, 200);
      if (!from.includes(quote.status)) return expectStatus(answer, 409, 'conflict');
      expectStatus(answer, 200);
      moved(ctx.m, quote, to, `quote.${verb}`);
    },
  };
}

const reviseQuote: StepKind<{ quote: Target }> = {
  args: fc.record({ quote: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { quote: picked, ref } = pickQuote(m, p, ctx.args.quote);
    const answer = await call(ctx, 'POST', `/v1/quotes/${encodeURIComponent(ref)}/revise`);
    const quote = reach(ctx, answer, picked, true);
    if (!quote) return;
    if (!['sent', 'viewed', 'rejected', 'expired'].includes(quote.status)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const revision = answer.body as Quote;
    moved(m, quote, 'revised', 'quote.revise');
    m.quotes.push({ ...quote, id: revision.id, revision: quote.revision + 1, status: 'draft', author_id: p.userId!, author_authority_bps: authority(p) });
    recordEvent(m, 'quote.create', revision.id, quote.customer_tenant_id, quote.reseller_id);
  },
};

/**
 * After a success that onboarded a customer: the model takes the tenant, configuration, deployment,
 * subscription and first invoice, initial commission, won opportunity and events the system made.
 */
async function takeOnboardingFromSystem(ctx: StepContext<unknown>): Promise<void> {
  const { m, r } = ctx;
  const admin = r.api.admin;
  const [tenants, configs, deployments, quotes, audit, billing, pipeline, partners] = await Promise.all([
    readAll<Tenant>(admin, '/v1/tenants'),
    configsFromDatabase(r.api.connection.db, r.api.auditKey),
    readDeployments(admin),
    readQuotes(admin),
    admin.call<Page<AuditEvent>>('GET', '/v1/audit', { query: { limit: m.events.length + 20 } }),
    readBilling(admin),
    readPipeline(admin),
    partnersFromSystem(admin),
  ]);
  m.tenants = byId(tenants.map(tenantOf));
  m.subscriptions = billing.subscriptions;
  m.invoices = billing.invoices;
  m.opportunities = pipeline.opportunities;
  m.partners.commissions = partners.commissions;
  m.configs = configs;
  m.deployments = deployments;
  m.quotes = quotes;
  const since = audit.data.filter((e) => e.seq > m.baseSeq).reverse().map(eventOf);
  const added = since.slice(m.events.length);
  expect(added.map((e) => e.action)).toContain('tenant.onboard');
  m.events.push(...added);
}

const acceptQuote: StepKind<{ quote: Target }> = {
  args: fc.record({ quote: targetArb }),
  async perform(ctx) {
    const { m } = ctx;
    const { quote: picked, ref } = pickQuote(m, ctx.p, ctx.args.quote);
    const answer = await call(ctx, 'POST', `/v1/quotes/${encodeURIComponent(ref)}/accept`, { body: {} });
    const quote = reach(ctx, answer, picked, true);
    if (!quote) return;
    if (!['sent', 'viewed'].includes(quote.status)) return expectStatus(answer, 409, 'conflict');
    const customer = quote.customer_tenant_id ? m.tenants.find((t) => t.id === quote.customer_tenant_id) : undefined;
    // an existing customer that is not active may not take a new deployment: a conflict, and nothing changes
    if (customer && customer.status !== 'active' && answer.status === 409) return;
    if (!stillHeld(m, quote)) return expectStatus(answer, 403, 'outside_territory');
    expectStatus(answer, 200);
    const accepted = answer.body as Quote & { onboarding: { tenant_id: string } };
    expect(accepted.status).toBe('accepted');
    if (customer) expect(accepted.onboarding.tenant_id).toBe(customer.id);
    await takeOnboardingFromSystem(ctx);
  },
};

const onboardTenant: StepKind<{ n: number }> = {
  args: fc.record({ n: fc.nat({ max: 1000 }) }),
  async perform(ctx) {
    const slug = `onb-${ctx.r.serial.next++}`;
    const answer = await call(ctx, 'POST', '/v1/tenants/onboard', { body: { name: 'Onboarded', slug, plan: 'starter', term_months: 1, subscribers: 10 } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 201);
    await takeOnboardingFromSystem(ctx);
    expect(ctx.m.tenants.some((t) => t.slug === slug && t.reseller_id === null)).toBe(true);
  },
};

export const QUOTE_STEPS: Record<string, AnyStep> = {
  createQuote,
  listQuotes,
  getQuote,
  previewQuote,
  updateQuote,
  submitQuote,
  approveQuote: decision('approve'),
  refuseQuote: decision('refuse'),
  sendQuote: move('send', ['approved'], 'sent'),
  viewQuote: move('view', ['sent'], 'viewed', true),
  rejectQuote: move('reject', ['sent', 'viewed'], 'rejected', false, { reason: 'price' }),
  reviseQuote,
  cancelQuote: move('cancel', OPEN, 'cancelled', true),
  acceptQuote,
  onboardTenant,
};
