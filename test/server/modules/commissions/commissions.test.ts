import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../src/client/api-client.js';
import { clawbacksForCancellation, commissionsForPaidInvoice, quarterBonus, clawbacksForRefund, type RecordedEvent } from '../../../../src/server/modules/commissions/rules.js';
import { applyClawback, recordCommissionEvents } from '../../../../src/server/modules/commissions/service.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { recordPartnerEvent } from '../../../support/commissions.js';

/** The call fails with this HTTP status (the client's typed error). */
const expectProblem = (call: Promise<unknown>, status: number) => expect(call).rejects.toMatchObject({ status });

let api: TestApi;
let partner: ApiClient;
let stranger: ApiClient;
let ispAdmin: ApiClient;
let acmeId: string;
let fibernetId: string;

const acmePartner = (tier = 'gold') => ({ id: acmeId, kind: 'reseller' as const, tier, tier_source: 'manual' as const, default_commission_bps: null });

/** What the commission run will do for one paid invoice, recorded the way it will. */
async function earn(invoice: string, paidOn: string, month: number, recurring = 49_900, total = recurring) {
  const events = commissionsForPaidInvoice({
    reseller: acmePartner(),
    rules: [],
    subscription: { id: 'sub_fibernet', tenant_id: fibernetId, plan: 'enterprise', term_months: 24, started_on: '2026-01-01' },
    invoice: { id: invoice, period: paidOn.slice(0, 7), paid_on: paidOn, recurring_cents: recurring, total_cents: total },
    month,
    first_paid: month === 1,
    expansion_mrr_cents: 0,
  });
  return api.connection.db.transaction().execute((trx) => recordCommissionEvents(trx, events));
}

beforeAll(async () => {
  api = await startTestApi();
  const admin = api.admin;
  acmeId = (await admin.resellers.create({ slug: 'acme', name: 'Acme Channel' })).id;
  await admin.resellers.create({ slug: 'zenith', name: 'Zenith', kind: 'referral' });
  fibernetId = (await admin.tenants.create({ slug: 'fibernet', name: 'FiberNet', reseller: 'acme' })).id;
  const token = async (body: Parameters<ApiClient['tokens']['create']>[0]) => api.as((await admin.tokens.create(body)).token);
  partner = await token({ role: 'reseller', reseller: 'acme' });
  stranger = await token({ role: 'reseller', reseller: 'zenith' });
  ispAdmin = await token({ role: 'tenant_admin', tenant: 'fibernet' });
});
afterAll(() => api.close());

describe('partner settings', () => {
  it('start at bronze following revenue, take a manual tier, and go back with auto', async () => {
    expect(await partner.resellers.get('acme')).toMatchObject({ tier: 'bronze', tier_source: 'revenue', kind: 'reseller', quota_cents: null, default_commission_bps: null, lifetime_revenue_cents: 0 });
    const set = await api.admin.resellers.update('acme', { tier: 'gold', quota_cents: 500_000, default_commission_bps: 1_700 });
    expect(set.changed).toBe(true);
    expect(set.value).toMatchObject({ tier: 'gold', tier_source: 'manual', quota_cents: 500_000, default_commission_bps: 1_700 });
    expect((await api.admin.resellers.update('acme', { tier: 'gold' })).changed).toBe(false);
    expect((await api.admin.resellers.update('acme', { tier: 'auto' })).value).toMatchObject({ tier: 'bronze', tier_source: 'revenue' });
    await api.admin.resellers.update('acme', { tier: 'gold', default_commission_bps: null });
    await expectProblem(partner.resellers.update('acme', { tier: 'platinum' }), 403);
    await expectProblem(api.admin.resellers.update('acme', { default_commission_bps: 10_001 }), 400);
    await expectProblem(api.admin.resellers.update('nobody', { kind: 'referral' }), 404);
  });

  it('list training against the tier\'s required modules; a reseller sees its own only', async () => {
    const before = await partner.resellers.training('acme');
    expect(before).toMatchObject({ tier: 'gold', certified: false, missing: ['platform-basics', 'sales-cert', 'technical-cert'] });
    for (const module of ['platform-basics', 'sales-cert', 'technical-cert'] as const) await api.admin.resellers.completeTraining('acme', { module, on: '2026-06-01' });
    expect((await api.admin.resellers.completeTraining('acme', { module: 'sales-cert' })).changed).toBe(false);
    expect(await partner.resellers.training('acme')).toMatchObject({ certified: true, missing: [] });
    await expectProblem(stranger.resellers.training('acme'), 404);
    await expectProblem(partner.resellers.completeTraining('acme', { module: 'advanced-support' }), 403);
    await expectProblem(api.admin.resellers.completeTraining('acme', { module: 'juggling' as never }), 400);
  });

  it('records training without an Idempotency-Key too (its own transaction, read inside it)', async () => {
    const { token } = await api.admin.tokens.create({ role: 'master_admin', email: 'trainer@example.test' });
    const res = await api.app.request('/v1/resellers/zenith/training', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ module: 'platform-basics' }),
    });
    expect(res.status).toBe(200);
    expect((await partner.resellers.training('acme')).modules.length).toBe(4);
  });
});

describe('commission rules', () => {
  it('are created by master_admin and listed to the reseller they are for', async () => {
    const rule = await api.admin.commissions.createRule({ priority: 10, bps: 2_800, reseller: 'acme', plan: 'enterprise', description: 'Enterprise push', active_from: '2026-01-01', active_to: '2026-12-31' });
    const override = await api.admin.commissions.createRule({ bps: 3_100, tenant: 'fibernet', reseller: 'acme', description: 'FiberNet deal' });
    await api.admin.commissions.createRule({ bps: 1_000, reseller: 'zenith', description: 'Zenith' });
    expect(override).toMatchObject({ tenant_id: fibernetId, reseller_id: acmeId, priority: 100 });
    expect((await partner.commissions.rules()).data.map((r) => r.id)).toEqual([rule.id, override.id]);
    expect((await api.admin.commissions.rules()).data).toHaveLength(3);
    await expectProblem(partner.commissions.createRule({ bps: 9_000, description: 'mine' }), 403);
    await expectProblem(ispAdmin.commissions.rules(), 403);
    await expectProblem(api.admin.commissions.createRule({ bps: 100, description: 'backwards', active_from: '2026-05-01', active_to: '2026-04-01' }), 400);
    await expectProblem(api.admin.commissions.createRule({ bps: 100, description: 'nobody', tenant: 'nowhere' }), 404);
  });
});

describe('commission events and payouts', () => {
  it('records a run once, explains each event, and pays by the cutoff net of clawbacks', async () => {
    expect(await earn('inv_jan', '2026-01-10', 1)).toBe(2);
    expect(await earn('inv_jan', '2026-01-10', 1)).toBe(0);
    expect(await earn('inv_feb', '2026-02-10', 2)).toBe(1);

    const listed = (await partner.commissions.list({ period: '2026-01' })).data;
    expect(listed.map((e) => [e.type, e.amount_cents, e.status])).toEqual([['recurring', 13_723, 'eligible'], ['initial', 6_238, 'eligible']]);
    expect((await stranger.commissions.list()).data).toEqual([]);
    await expectProblem(stranger.commissions.explain(listed[0]!.id), 404);
    await expectProblem(ispAdmin.commissions.list(), 403);

    const explained = await partner.commissions.explain(listed[0]!.id);
    expect(explained).toMatchObject({ base_cents: 49_900, rate_bps: 2_500, invoice_id: 'inv_jan', rule: null });
    expect(explained.explanation.join('\n')).toContain('round-half-up(49900 × 2500 / 10,000) = 12475 cents');

    // March 15th pays what was eligible by Feb 28th: January's two events (eligible Feb 9th)
    const march = await api.admin.payouts.run({ on: '2026-03-15' });
    expect(march).toMatchObject({ cutoff: '2026-02-28', written: 1, paid_cents: 19_961 });
    expect((await api.admin.payouts.run({ on: '2026-03-15' })).written).toBe(0);
    const payout = await partner.payouts.get(march.payouts[0]!.id);
    expect(payout.lines.map((l) => l.amount_cents).sort()).toEqual([13_723, 6_238]);
    await expectProblem(stranger.payouts.get(payout.id), 404);
    await expectProblem(partner.payouts.run({ on: '2026-03-15' }), 403);
    await expectProblem(api.admin.payouts.run({ on: '2099-01-15' }), 400);

    // a full refund of January within 90 days: the paid events come back as clawbacks
    const book = (await api.connection.db.selectFrom('commission_events').selectAll().where('invoice_id', '=', 'inv_jan').execute()) as RecordedEvent[];
    const clawback = clawbacksForRefund({ events: book, invoice: { id: 'inv_jan', total_cents: 49_900 }, refund: { id: 'ref_1', on: '2026-03-20', refunded_cents: 49_900 }, first_paid_on: '2026-01-10' });
    await api.connection.db.transaction().execute((trx) => applyClawback(trx, clawback));
    // April 15th: February's recurring 13,723 less 19,961 clawed back is negative: carried forward
    const april = await api.admin.payouts.run({ on: '2026-04-15' });
    expect(april.payouts[0]).toMatchObject({ status: 'carried_forward', net_cents: 13_723 - 19_961, amount_cents: 0, event_count: 3 });

    const statement = await partner.resellers.statement('acme', '2026-01');
    expect(statement.totals).toMatchObject({ earned_cents: 19_961, paid_cents: 0, unpaid_balance_cents: 13_723 - 19_961 });
    expect((await partner.resellers.statement('acme', '2026-03')).totals.paid_cents).toBe(19_961);
    await expectProblem(stranger.resellers.statement('acme', '2026-01'), 404);
  });

  it('keeps a disputed event out of payouts until resolved, within 60 days of its statement', async () => {
    const today = api.clock.now().toISOString().slice(0, 10);
    const recent = new Date(Date.parse(`${today}T00:00:00Z`) - 35 * 86_400_000).toISOString().slice(0, 10);
    await earn('inv_recent', recent, 5, 200_000);
    const [event] = (await partner.commissions.list({ period: recent.slice(0, 7), type: 'recurring' })).data;
    const disputed = await partner.commissions.dispute(event!.id, { reason: 'rate should be the deal rate' });
    expect(disputed.value).toMatchObject({ status: 'disputed', dispute_reason: 'rate should be the deal rate' });
    expect((await partner.commissions.dispute(event!.id, { reason: 'again' })).changed).toBe(false);
    await api.admin.payouts.run({ on: today });
    expect(await api.admin.commissions.explain(event!.id)).toMatchObject({ status: 'disputed', payout_id: null });
    await expectProblem(partner.commissions.resolve(event!.id), 403);
    const resolved = await api.admin.commissions.resolve(event!.id);
    expect(resolved.value.status).toBe('eligible');
    const old = (await partner.commissions.list({ period: '2026-02' })).data[0]!;
    await expectProblem(partner.commissions.dispute(old.id, { reason: 'too late' }), 409);
  });

  it('cancels an unpaid initial commission when the subscription is cancelled within 90 days, once', async () => {
    await earn('inv_q', '2026-06-10', 1);
    const book = (await api.connection.db.selectFrom('commission_events').selectAll().where('invoice_id', '=', 'inv_q').execute()) as RecordedEvent[];
    const clawback = clawbacksForCancellation({ events: book, first_paid_on: '2026-06-10', cancelled_on: '2026-07-01' });
    expect(await api.connection.db.transaction().execute((trx) => applyClawback(trx, clawback))).toEqual({ cancelled: 1, written: 0 });
    expect(await api.connection.db.transaction().execute((trx) => applyClawback(trx, clawback))).toEqual({ cancelled: 0, written: 0 });
    const initial = (await partner.commissions.list({ period: '2026-06', type: 'initial' })).data[0]!;
    expect(initial.status).toBe('cancelled');
    await expectProblem(partner.commissions.dispute(initial.id, { reason: 'why' }), 409);
  });

  it('writes a quarterly bonus once', async () => {
    const bonus = quarterBonus({ reseller: acmePartner('silver'), rules: [], quarter: '2026-Q1', quota_cents: 100_000, booked_cents: 130_000, collected_cents: 149_700 })!;
    expect(await api.connection.db.transaction().execute((trx) => recordCommissionEvents(trx, [bonus]))).toBe(1);
    expect(await api.connection.db.transaction().execute((trx) => recordCommissionEvents(trx, [bonus]))).toBe(0);
    // 149,700 × 500 bps × 1.5 = 11,227.5 → 11,228
    expect((await partner.commissions.list({ type: 'bonus' })).data[0]).toMatchObject({ amount_cents: 11_228, period: '2026-03' });
  });
});

describe('a customer that moved to another reseller', () => {
  it('leaves the old reseller its events, naming no customer that is now another\'s', async () => {
    const admin = api.admin;
    await admin.resellers.create({ slug: 'rival', name: 'Rival Channel' });
    const moving = await admin.tenants.create({ slug: 'moving-isp', name: 'Moving ISP', reseller: 'acme' });
    const id = await recordPartnerEvent(api, { reseller: 'acme', key: 'moved-jan', period: '2026-01', eligible_on: '2026-02-01', amount_cents: 4_000, tenant_id: moving.id });
    expect((await partner.commissions.explain(id)).tenant_id).toBe(moving.id);
    await admin.tenants.update('moving-isp', { reseller: 'rival' });

    // the money stays acme's; the customer's id is rival's business now
    expect(await partner.commissions.explain(id)).toMatchObject({ id, amount_cents: 4_000, tenant_id: null });
    expect((await partner.commissions.list({ period: '2026-01' })).data.find((e) => e.id === id)?.tenant_id).toBeNull();
    expect((await partner.resellers.statement('acme', '2026-01')).events.find((e) => e.id === id)?.tenant_id).toBeNull();
    // staff see every id
    expect((await admin.commissions.explain(id)).tenant_id).toBe(moving.id);
  });
});
