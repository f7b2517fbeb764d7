// Reseller KPIs through the API's own client, over months of business driven with explicit dates:
// subscriptions with a start day, billing runs, payments, an upgrade, a refund, a cancellation, a
// downgrade, commission runs, opportunities won and lost, a quote sent and accepted. Every figure
// is worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriods, dayOf, periodOf } from '../../../../src/core/calendar.js';
import { quarterOf } from '../../../../src/server/modules/commissions/days.js';
import { daysInMonth } from '../../../../src/server/modules/pricebook/pricing.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

let api: TestApi;
let thisMonth: string;
const month = (back: number) => addPeriods(thisMonth, -back);
const halfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

beforeAll(async () => {
  api = await startTestApi();
  thisMonth = periodOf(dayOf(api.clock.now()));
});
afterAll(() => api?.close());

describe('reseller KPIs', () => {
  it('figure every KPI of months of business exactly; a reseller sees only its own', async () => {
    await api.admin.resellers.create({ slug: 'kpi-co', name: 'KPI Co' });
    await api.admin.resellers.update('kpi-co', { quota_cents: 40_000 });
    await api.admin.resellers.create({ slug: 'other-co', name: 'Other Co' });
    await api.admin.territories.create({ name: 'KPI lands', regions: ['us-east'] });
    await api.admin.territories.assign('KPI lands', { reseller: 'kpi-co' });
    const mine = await api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'kpi-co' })).token);
    const other = await api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'other-co' })).token);
    await api.admin.tenants.create({ slug: 'kpi-a', name: 'KPI A', reseller: 'kpi-co' });
    await api.admin.tenants.create({ slug: 'kpi-b', name: 'KPI B', reseller: 'kpi-co' });

    // month 3: A starter (MRR 4,900, no setup) and B professional 1,000 subscribers (MRR 14,900, setup 50,000)
    const a = await api.admin.subscriptions.create({ tenant: 'kpi-a', plan: 'starter', subscribers: 100, start: `${month(3)}-01`, price_book_version: '2025.1' });
    const b = await api.admin.subscriptions.create({ tenant: 'kpi-b', plan: 'professional', subscribers: 1_000, start: `${month(3)}-10`, price_book_version: '2025.1' });
    expect([a.first_invoice!.total_cents, b.first_invoice!.total_cents]).toEqual([4_900, 64_900]);
    await api.admin.invoices.pay(a.first_invoice!.id, { on: `${month(3)}-02` });
    await api.admin.invoices.pay(b.first_invoice!.id, { on: `${month(3)}-12` });
    await api.admin.commissions.run({ period: month(3) });

    // month 2: both billed 4,900 and 14,900 and paid; A upgraded on the 15th (+premium-support 19,900:
    // MRR 24,800), its proration invoice paid; A's invoice refunded 1,000 on the 25th; B cancelled on the 20th
    await api.admin.billing.run({ period: month(2) });
    const inv2 = (await api.admin.invoices.list({ period: month(2) })).data;
    const a2 = inv2.find((i) => i.subscription_id === a.id && i.kind === 'recurring')!;
    const b2 = inv2.find((i) => i.subscription_id === b.id && i.kind === 'recurring')!;
    expect([a2.total_cents, b2.total_cents]).toEqual([4_900, 14_900]);
    await api.admin.invoices.pay(a2.id, { on: `${month(2)}-03` });
    await api.admin.invoices.pay(b2.id, { on: `${month(2)}-05` });
    const up = await api.admin.subscriptions.changePlan(a.id, { add_addons: ['premium-support'], on: `${month(2)}-15` });
    const proration = up.value.proration_invoice!;
    const days = daysInMonth(month(2));
    const left = days - 15 + 1;
    expect(proration.total_cents).toBe(halfUp(24_800 * left, days) - halfUp(4_900 * left, days));
    await api.admin.invoices.pay(proration.id, { on: `${month(2)}-16` });
    await api.admin.invoices.refund(a2.id, { amount_cents: 1_000, on: `${month(2)}-25` });
    await api.admin.subscriptions.cancel(b.id, { on: `${month(2)}-20` });
    await api.admin.commissions.run({ period: month(2) });

    // month 1: A billed 24,800; a downgrade asked on the 10th waits for this month, when the billing run applies it
    await api.admin.billing.run({ period: month(1) });
    const down = await api.admin.subscriptions.changePlan(a.id, { remove_addons: ['premium-support'], on: `${month(1)}-10` });
    expect(down.value.effective_on).toBe(`${thisMonth}-01`);
    await api.admin.billing.run({ period: thisMonth });

    // this month's pipeline: two open (100,000 at proposal 50 %, 30,000 at negotiation 75 %), one won, two lost
    const opp = (value: number) => mine.opportunities.create({ prospect_name: `Prospect ${value}`, region: 'us-east', value_cents: value });
    await mine.opportunities.move((await opp(100_000)).id, { stage: 'proposal' });
    await mine.opportunities.move((await opp(30_000)).id, { stage: 'negotiation' });
    await mine.opportunities.move((await opp(50_000)).id, { stage: 'won' });
    await mine.opportunities.move((await opp(60_000)).id, { stage: 'lost' });
    await mine.opportunities.move((await opp(70_000)).id, { stage: 'lost' });

    const kpis = (period: string) => api.admin.resellers.kpis('kpi-co', { period });

    // month 3: revenue 4,900 + 64,900; new MRR 4,900 + 14,900; no MRR at its start; commissions (bronze
    // 1,500 bps): A 735 + initial 368 (367.5), B 2,235 + initial 1,118 cancelled later by B's cancellation
    // within 90 days → 735 + 368 + 2,235 = 3,338; booked 19,800 of the 40,000 quota → 4,950 bps
    expect(await kpis(month(3))).toMatchObject({
      slug: 'kpi-co', period: month(3),
      revenue_cents: 69_800, start_mrr_cents: 0, new_mrr_cents: 19_800, expansion_mrr_cents: 0, contraction_mrr_cents: 0, churned_mrr_cents: 0,
      net_revenue_retention_bps: null, commissions_earned_cents: 3_338, commissions_paid_cents: 0,
      booked_cents: 19_800, quota_cents: 40_000, attainment_bps: 4_950,
    });

    // month 2: revenue 4,900 + 14,900 + the proration − the 1,000 refund; MRR at its start 19,800,
    // expansion 19,900, churn 14,900 → NRR (19,800 + 19,900 − 14,900) × 10,000 / 19,800 = 12,525.25 → 12,525;
    // commissions 735 (A) + 2,235 (B) − round(735 × 1,000 / 4,900) = 150 clawed back → 2,820;
    // booked: the quarter's subscriptions to month 2's end (A and B only when month 3 is in the same quarter)
    const sameQuarter = quarterOf(month(3)) === quarterOf(month(2));
    expect(await kpis(month(2))).toMatchObject({
      revenue_cents: 4_900 + 14_900 + proration.total_cents - 1_000,
      start_mrr_cents: 19_800, new_mrr_cents: 0, expansion_mrr_cents: 19_900, contraction_mrr_cents: 0, churned_mrr_cents: 14_900,
      net_revenue_retention_bps: 12_525, commissions_earned_cents: 2_820,
      booked_cents: sameQuarter ? 19_800 : 0, attainment_bps: sameQuarter ? 4_950 : 0,
    });

    // this month: A's downgrade (24,800 → 4,900) → contraction 19,900, NRR 4,900 × 10,000 / 24,800 = 1,975.8 → 1,976;
    // pipeline 50,000 + 22,500; win rate 1 of 3 → 3,333 bps; no quote accepted yet
    expect(await kpis(thisMonth)).toMatchObject({
      revenue_cents: 0, start_mrr_cents: 24_800, new_mrr_cents: 0, expansion_mrr_cents: 0, contraction_mrr_cents: 19_900, churned_mrr_cents: 0,
      net_revenue_retention_bps: 1_976, pipeline_weighted_cents: 72_500, won: 1, lost: 2, win_rate_bps: 3_333,
      quotes_accepted: 0, quote_to_close_days: null,
    });

    // the default period is the current month; the table of every reseller holds both, other-co all zeros
    expect((await mine.resellers.kpis('kpi-co')).period).toBe(thisMonth);
    const all = await api.admin.resellers.allKpis({ period: month(2) });
    expect(all.data.map((r) => r.slug)).toEqual(expect.arrayContaining(['kpi-co', 'other-co']));
    expect(all.data.find((r) => r.slug === 'other-co')).toMatchObject({ revenue_cents: 0, start_mrr_cents: 0, net_revenue_retention_bps: null, win_rate_bps: null, attainment_bps: null });
    expect(all.data.find((r) => r.slug === 'kpi-co')).toEqual(await kpis(month(2)));

    // isolation: a reseller sees its own (same figures), never another's (404); a tenant admin is refused
    expect(await mine.resellers.kpis('kpi-co', { period: month(2) })).toEqual(await kpis(month(2)));
    await expect(other.resellers.kpis('kpi-co')).rejects.toMatchObject({ status: 404 });
    expect((await other.resellers.allKpis()).data.map((r) => r.slug)).toEqual(['other-co']);
    expect((await mine.resellers.allKpis({ period: month(2) })).data).toEqual([await kpis(month(2))]);
    const tenantAdmin = await api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'kpi-a' })).token);
    await expect(tenantAdmin.resellers.kpis('kpi-co')).rejects.toMatchObject({ status: 403 });
    await expect(api.admin.resellers.kpis('kpi-co', { period: addPeriods(thisMonth, 1) })).rejects.toMatchObject({ status: 400 });
    await expect(api.admin.resellers.kpis('kpi-co', { period: '2026-13' })).rejects.toMatchObject({ status: 400 });

    // a quote sent, accepted two days later: quote-to-close 2 days; its customer's MRR is new in the acceptance month
    const quote = await mine.quotes.create({ prospect_name: 'Late Fibre', prospect_email: 'buy@late.example', region: 'us-east', plan: 'starter', term_months: 1, subscribers: 100 });
    expect((await mine.quotes.submit(quote.id)).value.status).toBe('sent');
    api.clock.advance(2 * 86_400_000);
    await mine.quotes.accept(quote.id);
    const acceptedIn = periodOf(dayOf(api.clock.now()));
    const after = await kpis(acceptedIn);
    expect(after).toMatchObject({ quotes_accepted: 1, quote_to_close_days: 2 });
    expect(after.new_mrr_cents).toBe(4_900);
  });
});
