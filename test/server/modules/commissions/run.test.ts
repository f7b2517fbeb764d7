// The commission run through the API's own client: invoices paid in a period earn their events
// once, the quarter's last month writes the bonus, a refund within 90 days claws back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriods, dayOf, periodOf } from '../../../../src/core/calendar.js';
import { monthNumber } from '../../../../src/server/modules/commissions/run.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

let api: TestApi;
let thisMonth: string;
const month = (back: number) => addPeriods(thisMonth, -back);

beforeAll(async () => {
  api = await startTestApi();
  thisMonth = periodOf(dayOf(api.clock.now()));
});
afterAll(() => api?.close());

describe('month number', () => {
  it('counts from the billing start\'s month, 1-based', () => {
    expect(monthNumber('2026-01-20', '2026-01')).toBe(1);
    expect(monthNumber('2026-01-20', '2026-12')).toBe(12);
    expect(monthNumber('2025-11-01', '2026-11')).toBe(13);
  });
});

describe('commissions run', () => {
  it('records the paid invoices\' events once, refuses a future period, and claws back a refund', async () => {
    await api.admin.resellers.create({ slug: 'runner', name: 'Runner Channel' });
    await api.admin.resellers.update('runner', { tier: 'gold' });
    await api.admin.tenants.create({ slug: 'run-isp', name: 'Run ISP', reseller: 'runner' });
    const sub = await api.admin.subscriptions.create({ tenant: 'run-isp', plan: 'professional', term_months: 12, subscribers: 3_000, start: `${month(2)}-01`, price_book_version: '2025.1' });
    const first = sub.first_invoice!;
    await api.admin.invoices.pay(first.id, { on: `${month(2)}-05` });

    await expect(api.admin.commissions.run({ period: addPeriods(thisMonth, 1) })).rejects.toMatchObject({ status: 400 });
    const run = await api.admin.commissions.run({ period: month(2) });
    expect(run.changed).toBe(true);
    expect(run.value).toMatchObject({ period: month(2), invoices: 1, written: 2, clawbacks: 0 });
    const events = (await api.admin.commissions.list({ period: month(2) })).data.filter((e) => e.invoice_id === first.id);
    const recurring = events.find((e) => e.type === 'recurring')!;
    const initial = events.find((e) => e.type === 'initial')!;
    // gold reseller 2,500 bps on the recurring revenue, + 5 % contract bonus on a 12-month term
    const commission = Math.floor((first.recurring_cents * 2_500 + 5_000) / 10_000);
    expect(recurring).toMatchObject({ base_cents: first.recurring_cents, rate_bps: 2_500, amount_cents: commission + Math.floor((commission * 500 + 5_000) / 10_000) });
    expect(initial).toMatchObject({ base_cents: commission, amount_cents: Math.floor((commission * 5_000 + 5_000) / 10_000) });
    expect(run.value.earned_cents).toBe(recurring.amount_cents + initial.amount_cents);

    const again = await api.admin.commissions.run({ period: month(2) });
    expect(again.changed).toBe(false);
    expect(again.value).toMatchObject({ written: 0, earned_cents: 0, invoices: 1 });

    // month 2 billed, paid; then the first invoice refunded in part within 90 days
    await api.admin.billing.run({ period: month(1) });
    const second = (await api.admin.invoices.list({ tenant: 'run-isp', period: month(1) })).data[0]!;
    await api.admin.invoices.pay(second.id, { on: `${month(1)}-03` });
    await api.admin.invoices.refund(first.id, { on: `${month(1)}-10`, amount_cents: Math.floor(first.total_cents / 2) });
    const next = await api.admin.commissions.run({ period: month(1) });
    expect(next.value).toMatchObject({ invoices: 1, clawbacks: 2 });
    const recurring2 = (await api.admin.commissions.list({ period: month(1), type: 'recurring' })).data.find((e) => e.invoice_id === second.id)!;
    expect(recurring2.base_cents).toBe(second.recurring_cents);
    const claws = (await api.admin.commissions.list({ type: 'clawback' })).data.filter((e) => e.invoice_id === first.id);
    expect(claws.map((c) => c.reverses_id).sort()).toEqual([initial.id, recurring.id].sort());
    const refunded = Math.floor(first.total_cents / 2);
    for (const c of claws) {
      const original = c.reverses_id === recurring.id ? recurring : initial;
      expect(c.amount_cents).toBe(-Math.floor((original.amount_cents * refunded * 2 + first.total_cents) / (2 * first.total_cents)));
    }
    expect((await api.admin.commissions.run({ period: month(1) })).changed).toBe(false);

    // one audit event per run that wrote
    const audit = (await api.admin.audit.list({ action: 'commission.run' })).data;
    expect(audit.length).toBe(2);
  });

  it('rates each invoice by the reseller\'s revenue paid before it, and pays the initial share on the subscription\'s first payment only', async () => {
    // two resellers following revenue; one has $50,000 of recurring revenue paid long before
    for (const slug of ['climber', 'starter-ch']) await api.admin.resellers.create({ slug, name: slug });
    const subscribe = async (tenant: string, reseller: string) => {
      await api.admin.tenants.create({ slug: tenant, name: tenant, reseller });
      return api.admin.subscriptions.create({ tenant, plan: 'starter', term_months: 1, subscribers: 100, start: `${month(1)}-01`, price_book_version: '2025.1' });
    };
    const climbing = await subscribe('climb-isp', 'climber');
    const fresh = await subscribe('fresh-isp', 'starter-ch');
    const earlier = `${month(6)}-05`;
    await api.connection.db
      .insertInto('invoices')
      .values({
        id: 'inv_history0000000000000000', tenant_id: climbing.tenant_id, subscription_id: climbing.id, reseller_id: climbing.reseller_id, period: month(6), kind: 'recurring', status: 'paid',
        issued_on: earlier, due_on: earlier, paid_on: earlier, voided_on: null, total_cents: 5_000_000, recurring_cents: 5_000_000, refunded_cents: 0, refunded_on: null, first_paid: 1, created_at: `${earlier}T00:00:00.000Z`,
      })
      .execute();
    for (const sub of [climbing, fresh]) await api.admin.invoices.pay(sub.first_invoice!.id, { on: `${month(1)}-05` });

    await api.admin.commissions.run({ period: month(1) });
    const typesOf = async (invoice: string) => (await api.admin.commissions.list({ period: month(1) })).data.filter((e) => e.invoice_id === invoice);
    const climbed = await typesOf(climbing.first_invoice!.id);
    const started = await typesOf(fresh.first_invoice!.id);
    // silver from $50,000 of lifetime revenue (COMMERCE.md: recurring 2,000 bps), bronze below it (1,500)
    expect(climbed.find((e) => e.type === 'recurring')?.rate_bps).toBe(2_000);
    expect(started.find((e) => e.type === 'recurring')?.rate_bps).toBe(1_500);
    // the older invoice was the subscription's first payment: no initial share now
    expect(climbed.map((e) => e.type)).toEqual(['recurring']);
    expect(started.map((e) => e.type).sort()).toEqual(['initial', 'recurring']);
  });

  it('writes the quarter\'s bonus in its last month only, once', async () => {
    let qEnd = thisMonth;
    while (Number(qEnd.slice(5, 7)) % 3 !== 0) qEnd = addPeriods(qEnd, -1);
    const qStart = addPeriods(qEnd, -2);
    await api.admin.resellers.create({ slug: 'bonus-co', name: 'Bonus Co' });
    await api.admin.resellers.update('bonus-co', { tier: 'silver', quota_cents: 1_000 });
    await api.admin.tenants.create({ slug: 'bonus-isp', name: 'Bonus ISP', reseller: 'bonus-co' });
    const sub = await api.admin.subscriptions.create({ tenant: 'bonus-isp', plan: 'starter', subscribers: 150, start: `${qStart}-01`, price_book_version: '2025.1' });
    await api.admin.invoices.pay(sub.first_invoice!.id, { on: `${qStart}-02` });
    if (qStart !== qEnd) expect((await api.admin.commissions.run({ period: qStart })).value.bonuses).toBe(0);
    const run = await api.admin.commissions.run({ period: qEnd });
    expect(run.value.bonuses).toBe(1);
    const [bonus] = (await api.admin.commissions.list({ reseller: 'bonus-co', type: 'bonus' })).data;
    const collected = sub.first_invoice!.recurring_cents;
    // silver reseller bonus 500 bps; attainment far above 12,500 bps: × 1.5, one rounding
    expect(bonus).toMatchObject({ period: qEnd, base_cents: collected, rate_bps: 500, amount_cents: Math.floor((collected * 500 * 3 + 10_000) / 20_000) });
    expect((await api.admin.commissions.run({ period: qEnd })).value).toMatchObject({ bonuses: 0, written: 0 });
  });

  it('a cancellation within 90 days of the first payment cancels the unpaid initial commission', async () => {
    await api.admin.resellers.create({ slug: 'quitter-co', name: 'Quitter Co' });
    await api.admin.tenants.create({ slug: 'quit-isp', name: 'Quit ISP', reseller: 'quitter-co' });
    const sub = await api.admin.subscriptions.create({ tenant: 'quit-isp', plan: 'starter', subscribers: 150, start: `${month(1)}-01`, price_book_version: '2025.1' });
    await api.admin.invoices.pay(sub.first_invoice!.id, { on: `${month(1)}-02` });
    expect((await api.admin.commissions.run({ period: month(1) })).value.written).toBeGreaterThanOrEqual(2);
    await api.admin.subscriptions.cancel(sub.id, { on: `${month(1)}-20` });
    const run = await api.admin.commissions.run({ period: month(1) });
    expect(run.changed).toBe(true);
    expect(run.value).toMatchObject({ cancelled: 1, clawbacks: 0 });
    const initial = (await api.admin.commissions.list({ reseller: 'quitter-co', type: 'initial' })).data[0]!;
    expect(initial.status).toBe('cancelled');
    expect((await api.admin.commissions.run({ period: month(1) })).changed).toBe(false);
  });

  it('pays upsell on the expansion MRR of an upgrade for the 12 periods after its month, the recurring rate on the rest', async () => {
    await api.admin.resellers.create({ slug: 'upseller', name: 'Upseller' });
    await api.admin.resellers.update('upseller', { tier: 'gold' });
    await api.admin.tenants.create({ slug: 'grow-isp', name: 'Grow ISP', reseller: 'upseller' });
    // starter, monthly term, 100 subscribers (all included): MRR 4,900
    const sub = await api.admin.subscriptions.create({ tenant: 'grow-isp', plan: 'starter', subscribers: 100, start: `${month(3)}-01`, price_book_version: '2025.1' });
    await api.admin.invoices.pay(sub.first_invoice!.id, { on: `${month(3)}-02` });
    await api.admin.billing.run({ period: month(2) });
    const second = (await api.admin.invoices.list({ tenant: 'grow-isp', period: month(2) })).data.find((i) => i.kind === 'recurring')!;
    await api.admin.invoices.pay(second.id, { on: `${month(2)}-03` });
    // premium-support (19,900) on the 15th: an upgrade, MRR 4,900 → 24,800, expansion 19,900
    const up = await api.admin.subscriptions.changePlan(sub.id, { add_addons: ['premium-support'], on: `${month(2)}-15` });
    await api.admin.invoices.pay(up.value.proration_invoice!.id, { on: `${month(2)}-16` });
    await api.admin.billing.run({ period: month(1) });
    const third = (await api.admin.invoices.list({ tenant: 'grow-isp', period: month(1) })).data.find((i) => i.kind === 'recurring')!;
    expect(third.recurring_cents).toBe(24_800);
    await api.admin.invoices.pay(third.id, { on: `${month(1)}-03` });

    // the upgrade's own month: the period invoice (old terms) earns the recurring rate only, the proration invoice nothing
    const before = await api.admin.commissions.run({ period: month(2) });
    expect(before.value).toMatchObject({ upsells: 0 });
    const mine = async (period: string) => (await api.admin.commissions.list({ reseller: 'upseller', period })).data;
    // gold 2,500 bps: 4,900 × 2,500 / 10,000 = 1,225; monthly term, no contract bonus
    expect((await mine(month(2))).map((e) => [e.type, e.invoice_id, e.base_cents, e.amount_cents])).toEqual([['recurring', second.id, 4_900, 1_225]]);

    // the month after: recurring on 24,800 − 19,900 = 4,900 → 1,225; upsell 19,900 × 2,500 / 10,000 = 4,975;
    // 6,200 in all, under the cap of 5,000 bps of 24,800 = 12,400
    const after = await api.admin.commissions.run({ period: month(1) });
    expect(after.value).toMatchObject({ written: 2, upsells: 1, earned_cents: 6_200 });
    const events = await mine(month(1));
    const upsell = events.find((e) => e.type === 'upsell')!;
    expect(upsell).toMatchObject({ invoice_id: third.id, base_cents: 19_900, rate_bps: 2_500, amount_cents: 4_975 });
    expect(events.find((e) => e.type === 'recurring')).toMatchObject({ invoice_id: third.id, base_cents: 4_900, amount_cents: 1_225 });
    const explained = await api.admin.commissions.explain(upsell.id);
    expect(explained.explanation.join('\n')).toMatch(/19900 cents of expansion MRR of invoice .*upgrades/);
    expect((await api.admin.commissions.run({ period: month(1) })).changed).toBe(false);

    // an upgrade dated back into month 3 after month 2 was commissioned: month 2's invoice keeps what it earned
    await api.admin.subscriptions.changePlan(sub.id, { add_addons: ['sandbox'], on: `${month(3)}-20` });
    expect((await api.admin.commissions.run({ period: month(2) })).changed).toBe(false);
  });

  it('is master_admin only', async () => {
    await api.admin.resellers.create({ slug: 'nosy', name: 'Nosy' });
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'nosy' })).token);
    await expect((await reseller).commissions.run({ period: month(1) })).rejects.toMatchObject({ status: 403 });
  });
});
