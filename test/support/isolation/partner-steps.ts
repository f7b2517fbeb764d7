import fc from 'fast-check';
import { expect } from 'vitest';
import type { Commission, CommissionRule, CommissionStatement, Page, Payout, PayoutDetail, PayoutRun, Reseller, ResellerKpis, ResellerKpisList, ResellerTraining } from '../../../src/client/types.js';
import { isFinal, weightedValue } from '../../../src/server/modules/pipeline/stages.js';
import { byId, recordEvent, seesReseller, seesTenant, tenantById, type Model, type Principal } from './model.js';
import { refreshReseller, type CommissionState, type PayoutState } from './partner-model.js';
import { call, expectStatus, gate, pickReseller, pickTenant, targetArb, type AnyStep, type StepKind, type Target } from './step.js';

/**
 * Steps on the partner programme. Every row is a reseller's: master sees all, a reseller its own
 * (another's is 404), tenant admins and agents are refused at the route.
 */

const ownsRow = (p: Principal, row: { reseller_id: string | null }) => p.role === 'master_admin' || (p.role === 'reseller' && row.reseller_id === p.resellerId);
const today = (ctx: { r: { api: { clock: { now(): Date } } } }) => ctx.r.api.clock.now().toISOString().slice(0, 10);
const lastDay = (period: string) => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).toISOString().slice(0, 10);
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function pick<T extends { id: string }>(rows: T[], target: Target, visible: (row: T) => boolean): T | undefined {
  if (target === 'unknown') return undefined;
  const all = byId(rows);
  const pool = target.own && all.some(visible) ? all.filter(visible) : all;
  return pool[target.pick % Math.max(pool.length, 1)];
}

const resellerView = ({ created_at: _c, updated_at: _u, ...rest }: Reseller) => rest;

type Patch = { tier: string } | { quota_cents: number | null } | { kind: 'reseller' | 'referral' } | { default_commission_bps: number | null };
const patchArb: fc.Arbitrary<Patch> = fc.oneof(
  fc.constantFrom('bronze', 'silver', 'gold', 'platinum', 'auto').map((tier) => ({ tier })),
  fc.constantFrom(null, 0, 250_000).map((quota_cents) => ({ quota_cents })),
  fc.constantFrom('reseller' as const, 'referral' as const).map((kind) => ({ kind })),
  fc.constantFrom(null, 1_700).map((default_commission_bps) => ({ default_commission_bps })),
);

const updateReseller: StepKind<{ reseller: Target; patch: Patch }> = {
  args: fc.record({ reseller: targetArb, patch: patchArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { reseller, ref } = pickReseller(m, args.reseller, (r) => seesReseller(p, r));
    const answer = await call(ctx, 'PATCH', `/v1/resellers/${encodeURIComponent(ref)}`, { body: args.patch });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const before = { ...reseller };
    if ('tier' in args.patch) {
      if (args.patch.tier === 'auto') reseller.tier_source = 'revenue';
      else Object.assign(reseller, { tier: args.patch.tier, tier_source: 'manual' });
    } else Object.assign(reseller, args.patch);
    refreshReseller(m, reseller);
    // a manual tier set again, or the same value: nothing written
    const changed = 'tier' in args.patch ? args.patch.tier === 'auto' ? before.tier_source !== 'revenue' : before.tier_source !== 'manual' || before.tier !== args.patch.tier : JSON.stringify(before) !== JSON.stringify(reseller);
    if (changed) recordEvent(m, 'reseller.update', reseller.id, null, reseller.id);
    expect(resellerView(answer.body as Reseller)).toEqual(reseller);
  },
};

const MODULES = ['platform-basics', 'sales-cert', 'technical-cert', 'advanced-support'] as const;

const listResellerTraining: StepKind<{ reseller: Target }> = {
  args: fc.record({ reseller: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { reseller, ref } = pickReseller(m, args.reseller, (r) => seesReseller(p, r));
    const answer = await call(ctx, 'GET', `/v1/resellers/${encodeURIComponent(ref)}/training`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller || !seesReseller(p, reseller)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const done = (answer.body as ResellerTraining).modules.filter((mod) => mod.completed_on !== null).map((mod) => mod.module);
    expect(done).toEqual(m.partners.training[reseller.id] ?? []);
  },
};

/** The open pipeline the model holds for a reseller, weighted as the pipeline weighs it. */
const modelPipeline = (m: Model, resellerId: string) => m.opportunities.filter((o) => o.reseller_id === resellerId && !isFinal(o.stage)).reduce((sum, o) => sum + weightedValue(o.value_cents, o.stage), 0);

const getResellerKpis: StepKind<{ reseller: Target }> = {
  args: fc.record({ reseller: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { reseller, ref } = pickReseller(m, args.reseller, (r) => seesReseller(p, r));
    const answer = await call(ctx, 'GET', `/v1/resellers/${encodeURIComponent(ref)}/kpis`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller || !seesReseller(p, reseller)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const kpis = answer.body as ResellerKpis;
    expect(kpis.reseller_id).toBe(reseller.id);
    expect(kpis.pipeline_weighted_cents).toBe(modelPipeline(m, reseller.id));
  },
};

const listResellerKpis: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/resellers/kpis');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const rows = (answer.body as ResellerKpisList).data;
    expect(rows.map((r) => r.reseller_id).sort()).toEqual(byId(m.resellers.filter((r) => seesReseller(p, r))).map((r) => r.id));
    for (const row of rows) expect(row.pipeline_weighted_cents).toBe(modelPipeline(m, row.reseller_id));
  },
};

const completeResellerTraining: StepKind<{ reseller: Target; module: (typeof MODULES)[number] }> = {
  args: fc.record({ reseller: targetArb, module: fc.constantFrom(...MODULES) }),
  async perform(ctx) {
    const { m, args } = ctx;
    const { reseller, ref } = pickReseller(m, args.reseller, () => true);
    const answer = await call(ctx, 'POST', `/v1/resellers/${encodeURIComponent(ref)}/training`, { body: { module: args.module } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const done = (m.partners.training[reseller.id] ??= []);
    if (!done.includes(args.module)) {
      done.splice(0, done.length, ...MODULES.filter((mod) => mod === args.module || done.includes(mod)));
      recordEvent(m, 'reseller.training_complete', reseller.id, null, reseller.id);
    }
  },
};

/** The rules a principal reads: a reseller's own, less overrides on customers it no longer has. */
const seesRule = (m: Model, p: Principal, rule: { reseller_id: string | null; tenant_id: string | null }) =>
  p.role === 'master_admin' || (ownsRow(p, rule) && (rule.tenant_id === null || (tenantById(m, rule.tenant_id) !== undefined && seesTenant(p, tenantById(m, rule.tenant_id)!))));

const listCommissionRules: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/commission-rules', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as Page<CommissionRule>).data.map((r) => r.id)).toEqual(byId(m.partners.rules.filter((r) => seesRule(m, p, r))).map((r) => r.id));
  },
};

const createCommissionRule: StepKind<{ reseller: Target | null; tenant: Target | null }> = {
  args: fc.record({ reseller: fc.option(targetArb), tenant: fc.option(targetArb) }),
  async perform(ctx) {
    const { m, args } = ctx;
    const reseller = args.reseller === null ? null : pickReseller(m, args.reseller, () => true);
    const tenant = args.tenant === null ? null : pickTenant(m, args.tenant, () => true);
    const body = { bps: 2_000, description: 'model rule', ...(reseller ? { reseller: reseller.ref } : {}), ...(tenant ? { tenant: tenant.ref } : {}) };
    const answer = await call(ctx, 'POST', '/v1/commission-rules', { body });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (reseller && !reseller.reseller) return expectStatus(answer, 404, 'not_found');
    if (tenant && !tenant.tenant) return expectStatus(answer, 404, 'not_found');
    if (reseller?.reseller && tenant?.tenant && tenant.tenant.reseller_id !== reseller.reseller.id) return expectStatus(answer, 400, 'invalid');
    expectStatus(answer, 201);
    const rule = answer.body as CommissionRule;
    expect(rule).toMatchObject({ reseller_id: reseller?.reseller?.id ?? null, tenant_id: tenant?.tenant?.id ?? null });
    m.partners.rules.push({ id: rule.id, reseller_id: rule.reseller_id, tenant_id: rule.tenant_id });
    recordEvent(m, 'commission_rule.create', rule.id, null, rule.reseller_id);
  },
};

const listCommissions: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/commissions', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as Page<Commission>).data.map((c) => c.id)).toEqual(byId(m.partners.commissions.filter((c) => ownsRow(p, c))).map((c) => c.id));
  },
};

const explainCommission: StepKind<{ event: Target }> = {
  args: fc.record({ event: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const event = pick(m.partners.commissions, args.event, (c) => ownsRow(p, c));
    const answer = await call(ctx, 'GET', `/v1/commissions/${encodeURIComponent(event?.id ?? 'com_nothing')}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!event || !ownsRow(p, event)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ id: event.id, status: event.status, amount_cents: event.amount_cents });
  },
};

const disputeCommission: StepKind<{ event: Target }> = {
  args: fc.record({ event: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const event = pick(m.partners.commissions, args.event, (c) => ownsRow(p, c));
    const answer = await call(ctx, 'POST', `/v1/commissions/${encodeURIComponent(event?.id ?? 'com_nothing')}/dispute`, { body: { reason: 'wrong rate' } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!event || !ownsRow(p, event)) return expectStatus(answer, 404, 'not_found');
    if (event.status === 'disputed') return expectStatus(answer, 200);
    if (event.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    if (today(ctx) > plusDays(lastDay(event.period), 60)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    event.status = 'disputed';
    recordEvent(m, 'commission.dispute', event.id, null, event.reseller_id);
  },
};

const resolveCommission: StepKind<{ event: Target; cancel: boolean }> = {
  args: fc.record({ event: targetArb, cancel: fc.boolean() }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const event = pick(m.partners.commissions, args.event, (c) => ownsRow(p, c));
    const answer = await call(ctx, 'POST', `/v1/commissions/${encodeURIComponent(event?.id ?? 'com_nothing')}/resolve`, { body: { cancel: args.cancel } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!event) return expectStatus(answer, 404, 'not_found');
    if (event.status !== 'disputed') return expectStatus(answer, args.cancel && event.status !== 'cancelled' ? 409 : 200);
    if (args.cancel && event.payout_id !== null) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    event.status = args.cancel ? 'cancelled' : event.payout_id !== null ? 'paid' : event.eligible_on <= today(ctx) ? 'eligible' : 'pending';
    recordEvent(m, 'commission.resolve', event.id, null, event.reseller_id);
    const reseller = m.resellers.find((r) => r.id === event.reseller_id);
    if (reseller) refreshReseller(m, reseller);
  },
};

/**
 * A commission run over a period no invoice of the world was paid in (or a future one, refused):
 * what it may write for paid invoices is the commission run's own test's business; here it is the
 * gate (master only) and that it writes nothing it should not.
 */
const runCommissions: StepKind<{ period: 'long-ago' | 'future' }> = {
  args: fc.record({ period: fc.constantFrom('long-ago' as const, 'future' as const) }),
  async perform(ctx) {
    const { args } = ctx;
    const now = today(ctx);
    const future = new Date(Date.UTC(Number(now.slice(0, 4)), Number(now.slice(5, 7)), 1)).toISOString().slice(0, 7);
    const period = args.period === 'long-ago' ? '2019-03' : future;
    const answer = await call(ctx, 'POST', '/v1/commissions/run', { body: { period } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (args.period === 'future') return expectStatus(answer, 400, 'invalid');
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ period, invoices: 0, written: 0, cancelled: 0 });
  },
};

const runPayouts: StepKind<{ on: 'long-ago' | 'last-year' | 'today' | 'future' }> = {
  args: fc.record({ on: fc.constantFrom('long-ago' as const, 'last-year' as const, 'today' as const, 'future' as const) }),
  async perform(ctx) {
    const { m, args } = ctx;
    const now = today(ctx);
    const on = { 'long-ago': '2019-03-15', 'last-year': `${Number(now.slice(0, 4)) - 1}-06-15`, today: now, future: plusDays(now, 1) }[args.on];
    const answer = await call(ctx, 'POST', '/v1/payouts/runs', { body: { on } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (on > now) return expectStatus(answer, 400, 'invalid');
    expectStatus(answer, 200);
    const run = answer.body as PayoutRun;
    if (m.partners.payouts.some((x) => x.run_on === on)) {
      expect(run.written).toBe(0);
      return;
    }
    const cutoff = new Date(Date.UTC(Number(on.slice(0, 4)), Number(on.slice(5, 7)) - 1, 0)).toISOString().slice(0, 10);
    const payable = m.partners.commissions.filter((c) => c.payout_id === null && (c.status === 'pending' || c.status === 'eligible') && c.eligible_on <= cutoff);
    const owners = [...new Set(payable.map((c) => c.reseller_id))].sort();
    expect(run.payouts.map((x) => x.reseller_id)).toEqual(owners);
    for (const owner of owners) {
      const events: CommissionState[] = payable.filter((c) => c.reseller_id === owner);
      const net = events.reduce((sum, c) => sum + c.amount_cents, 0);
      const made = run.payouts.find((x) => x.reseller_id === owner)!;
      const payout: PayoutState = { id: made.id, reseller_id: owner, run_on: on, status: net >= 10_000 ? 'paid' : 'carried_forward', net_cents: net, amount_cents: net >= 10_000 ? net : 0, event_count: events.length };
      expect({ ...made, created_at: undefined, cutoff: undefined }).toEqual({ ...payout, created_at: undefined, cutoff: undefined });
      m.partners.payouts.push(payout);
      if (payout.status === 'paid') for (const c of events) Object.assign(c, { status: 'paid', payout_id: made.id });
    }
    if (owners.length > 0) recordEvent(m, 'payout.run', on, null, null);
  },
};

const listPayouts: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/payouts', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as Page<Payout>).data.map((x) => x.id)).toEqual(byId(m.partners.payouts.filter((x) => ownsRow(p, x))).map((x) => x.id));
  },
};

const getPayout: StepKind<{ payout: Target }> = {
  args: fc.record({ payout: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const payout = pick(m.partners.payouts, args.payout, (x) => ownsRow(p, x));
    const answer = await call(ctx, 'GET', `/v1/payouts/${encodeURIComponent(payout?.id ?? 'pay_nothing')}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!payout || !ownsRow(p, payout)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const lines = (answer.body as PayoutDetail).lines.map((l) => l.event_id).sort();
    expect(lines).toEqual(m.partners.commissions.filter((c) => c.payout_id === payout.id).map((c) => c.id).sort());
  },
};

const getCommissionStatement: StepKind<{ reseller: Target; period: string }> = {
  args: fc.record({ reseller: targetArb, period: fc.constantFrom('2019-01', new Date().toISOString().slice(0, 7)) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { reseller, ref } = pickReseller(m, args.reseller, (r) => seesReseller(p, r));
    const answer = await call(ctx, 'GET', `/v1/resellers/${encodeURIComponent(ref)}/statements/${args.period}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller || !seesReseller(p, reseller)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const statement = answer.body as CommissionStatement;
    expect(statement.events.map((e) => e.id)).toEqual(byId(m.partners.commissions.filter((c) => c.reseller_id === reseller.id && c.period === args.period)).map((c) => c.id));
  },
};

export const PARTNER_STEPS: Record<string, AnyStep> = {
  updateReseller,
  listResellerTraining,
  getResellerKpis,
  listResellerKpis,
  completeResellerTraining,
  listCommissionRules,
  createCommissionRule,
  listCommissions,
  explainCommission,
  disputeCommission,
  resolveCommission,
  runCommissions,
  runPayouts,
  listPayouts,
  getPayout,
  getCommissionStatement,
};
