import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriods, periodOf } from '../../../../src/core/calendar.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;
const DAY = 24 * 3600_000;

async function resellerClient(slug: string) {
  await api.admin.resellers.create({ slug, name: slug });
  return api.as((await api.admin.tokens.create({ role: 'reseller', reseller: slug })).token);
}

async function tenant(reseller: string | null = null, plan: 'starter' | 'professional' | 'enterprise' = 'starter') {
  const slug = `cust-${++serial}`;
  await api.admin.tenants.create({ slug, name: `Customer ${serial}`, reseller, plan });
  return slug;
}

const component = (h: { components: { component: string }[] }, name: string) => h.components.find((c) => c.component === name);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('NPS answers', () => {
  it('are recorded by staff, the customer\'s reseller and its own admin, with the audit trail', async () => {
    const acme = await resellerClient('nps-acme');
    const slug = await tenant('nps-acme');
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: slug })).token);
    const before = await auditCount(api);
    expect(await api.admin.customers.recordNps(slug, { score: 3 })).toMatchObject({ tenant_slug: slug, score: 3, comment: null });
    expect(await acme.customers.recordNps(slug, { score: 8, comment: 'fine' })).toMatchObject({ score: 8, comment: 'fine' });
    expect(await admin.customers.recordNps(slug, { score: 10 })).toMatchObject({ score: 10 });
    expect(await auditCount(api)).toBe(before + 3);
    const [h] = (await api.admin.customers.health({ tenant: slug })).data;
    expect(component(h!, 'sentiment')).toMatchObject({ score: 100, input: { last_nps: 10 } });
  });

  it('refuse a score outside 0–10, a fraction, control characters, and another reseller\'s customer (404)', async () => {
    const other = await resellerClient('nps-other');
    const slug = await tenant();
    for (const body of [{ score: 11 }, { score: -1 }, { score: 7.5 }, { score: 5, comment: 'a\u0007b' }, {}]) {
      expectProblem(await api.admin.raw('POST', `/v1/tenants/${slug}/nps`, { body }), 400, 'invalid');
    }
    expectProblem(await other.raw('POST', `/v1/tenants/${slug}/nps`, { body: { score: 9 } }), 404, 'not_found');
  });
});

describe('customer health', () => {
  it('scores every component it has data for, and says why for the others', async () => {
    const slug = await tenant(null, 'starter');
    await api.admin.instances.pushMetrics(slug, { points: [{ metric: 'subscribers', value: 200 }] });
    api.clock.advance(31 * DAY);
    await api.admin.instances.pushMetrics(slug, { points: [{ metric: 'subscribers', value: 240 }] });
    await api.admin.configs.change(slug, { values: { 'integrations.modules_in_use': ['billing', 'radius', 'crm', 'crm'] } });
    await api.admin.customers.recordNps(slug, { score: 7 });
    const [h] = (await api.admin.customers.health({ tenant: slug })).data;
    expect(component(h!, 'subscriber_trend')).toMatchObject({ score: 100, no_data: false, input: { change_pct: 20, from: 200, to: 240 } });
    expect(component(h!, 'module_adoption')).toMatchObject({ score: 60, input: { modules_in_use: 3 } });
    expect(component(h!, 'billing')).toMatchObject({ score: 50, no_data: true, reason: 'no data: no subscription in force and no overdue invoice' });
    expect(component(h!, 'support')).toMatchObject({ score: 50, no_data: true });
    expect(component(h!, 'platform')).toMatchObject({ score: 50, no_data: true, reason: 'no data: never probed' });
    expect(component(h!, 'sentiment')).toMatchObject({ score: 70 });
    // 25×100 + 20×60 + 20×50 + 15×50 + 10×50 + 10×70 = 6650 → 67 (yellow)
    expect(h).toMatchObject({ score: 67, band: 'yellow', expansion_opportunity: false, upgrade_required: true });
    // 240 of the starter cap of 250 is 96 %
    expect(h!.flags).toEqual(['upgrade_required: subscribers 240 of 250 (96 %, at least 95 %)']);
  });

  it('reads billing from invoices, a cancellation from the subscription, and usage against the subscribed plan', async () => {
    const slug = await tenant(null, 'starter');
    const sub = await api.admin.subscriptions.create({ tenant: slug, plan: 'professional', term_months: 1, subscribers: 100, price_book_version: '2025.1' });
    const invoice = sub.first_invoice!;
    const health = async () => (await api.admin.customers.health({ tenant: slug })).data[0]!;
    expect(component(await health(), 'billing')).toMatchObject({ score: 100, no_data: false, input: { days_overdue: 0, past_due: false } });
    // net 15: twenty days past the due day is 16–30 days overdue
    api.clock.advance(35 * DAY);
    expect(component(await health(), 'billing')).toMatchObject({ score: 30, input: { days_overdue: 20 } });
    api.clock.advance(11 * DAY);
    let h = await health();
    expect(component(h, 'billing')).toMatchObject({ score: 0, input: { days_overdue: 31 } });
    expect(h).toMatchObject({ band: 'red', forced_red: ['an invoice is 31 days overdue (over 30)'] });
    await api.admin.invoices.pay(invoice.id, { on: api.clock.now().toISOString().slice(0, 10) });
    expect(component(await health(), 'billing')).toMatchObject({ score: 100, input: { days_overdue: 0 } });
    // usage against the subscription's plan (professional: 50 users), not the tenant's starter
    await api.admin.instances.recordUsage(slug, { users: 48 });
    expect((await health()).flags).toContain('upgrade_required: users 48 of 50 (96 %, at least 95 %)');
    // a cancellation requested for a later day: still in force, and forced red until then
    await api.admin.subscriptions.cancel(sub.id, { on: new Date(api.clock.now().getTime() + 20 * DAY).toISOString().slice(0, 10) });
    h = await health();
    expect(h.forced_red).toEqual(['a cancellation was requested']);
  });

  it('counts consecutive months billed with overage: two make upgrade_required', async () => {
    const slug = await tenant(null, 'starter');
    const month = (back: number) => addPeriods(periodOf(api.clock.now().toISOString().slice(0, 10)), -back);
    await api.admin.subscriptions.create({ tenant: slug, plan: 'starter', term_months: 1, subscribers: 50, start: `${month(3)}-01`, price_book_version: '2025.1' });
    const flags = async () => (await api.admin.customers.health({ tenant: slug })).data[0]!.flags;
    await api.admin.instances.recordUsage(slug, { period: month(3), users: 12 });
    await api.admin.billing.run({ period: month(2) });
    expect(await flags()).toEqual([]);
    await api.admin.instances.recordUsage(slug, { period: month(2), users: 11 });
    await api.admin.billing.run({ period: month(1) });
    expect(await flags()).toContain('upgrade_required: 2 months of overage');
  });

  it('takes the subscribers of 30 days ago from the newest hourly roll-up before then, when the points are gone', async () => {
    const slug = await tenant(null, 'professional');
    const { id } = await api.admin.tenants.get(slug);
    const hour = (daysAgo: number) => {
      const d = new Date(api.clock.now().getTime() - daysAgo * DAY);
      d.setUTCMinutes(0, 0, 0);
      return d.toISOString();
    };
    // an older roll-up, and the newest before the 30-day mark: a mean of 1,000
    await api.connection.db.insertInto('metric_rollups').values({ tenant_id: id, metric: 'subscribers', hour: hour(33), count: 2, sum: 3000, min: 1500, max: 1500 }).execute();
    await api.connection.db.insertInto('metric_rollups').values({ tenant_id: id, metric: 'subscribers', hour: hour(31), count: 4, sum: 4000, min: 990, max: 1010 }).execute();
    await api.admin.instances.pushMetrics(slug, { points: [{ metric: 'subscribers', value: 985 }] });
    const [h] = (await api.admin.customers.health({ tenant: slug })).data;
    // 1,000 → 985 is −1.5 %: 50
    expect(component(h!, 'subscriber_trend')).toMatchObject({ score: 50, input: { change_pct: -1.5, from: 1000, to: 985 } });
  });

  it('shows staff everyone, a reseller its customers, a tenant admin its own; filters by band and reseller', async () => {
    const mine = await resellerClient('health-mine');
    await resellerClient('health-theirs');
    const a = await tenant('health-mine');
    const b = await tenant('health-theirs');
    const c = await tenant();
    const all = (await api.admin.customers.health()).data.map((h) => h.tenant_slug);
    expect(all).toEqual(expect.arrayContaining([a, b, c]));
    expect((await mine.customers.health()).data.map((h) => h.tenant_slug)).toEqual([a]);
    expectProblem(await mine.raw('GET', '/v1/customers/health', { query: { tenant: b } }), 404, 'not_found');
    expectProblem(await mine.raw('GET', '/v1/customers/health', { query: { reseller: 'health-theirs' } }), 404, 'not_found');
    expect((await api.admin.customers.health({ reseller: 'health-theirs' })).data.map((h) => h.tenant_slug)).toEqual([b]);
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: c })).token);
    expect((await admin.customers.health()).data.map((h) => h.tenant_slug)).toEqual([c]);
    // with nothing known but no NPS, everything is a neutral 50: yellow
    const yellow = (await api.admin.customers.health({ band: 'yellow' })).data.map((h) => h.tenant_slug);
    expect(yellow).toEqual(expect.arrayContaining([a, b, c]));
    expect((await api.admin.customers.health({ band: 'red' })).data.map((h) => h.tenant_slug)).not.toContain(a);
    expectProblem(await api.admin.raw('GET', '/v1/customers/health', { query: { band: 'blue' } }), 400, 'invalid');
  });

  it('reads the platform from probes: down for over 24 h since the last answer forces red', async () => {
    const probes = async (slug: string, history: [hoursAgo: number, status: 'up' | 'degraded' | 'down'][]) => {
      const tenant = await api.admin.tenants.get(slug);
      const deployment = await api.admin.deployments.create({ tenant: slug, version: '1.0.0' });
      const now = api.clock.now().getTime();
      for (const [i, [hoursAgo, status]] of history.entries()) {
        await api.connection.db
          .insertInto('health_checks')
          .values({ id: `hck_${slug}_${i}`, tenant_id: tenant.id, deployment_id: deployment.id, at: new Date(now - hoursAgo * 3600_000).toISOString(), status, latency_ms: status === 'down' ? null : 20, http_status: status === 'down' ? null : 200, error: null })
          .execute();
      }
    };
    const longDown = await tenant();
    await probes(longDown, [[40, 'up'], [30, 'down'], [10, 'down'], [0.1, 'down']]);
    const justDown = await tenant();
    await probes(justDown, [[40, 'down'], [30, 'up'], [2, 'down']]);
    const healthy = await tenant();
    await probes(healthy, [[3, 'up'], [2, 'up'], [1, 'up']]);
    const degraded = await tenant();
    await probes(degraded, [[1, 'degraded']]);
    const of = async (slug: string) => (await api.admin.customers.health({ tenant: slug })).data[0]!;
    const red = await of(longDown);
    expect(component(red, 'platform')).toMatchObject({ score: 0, input: { status: 'unhealthy', uptime_pct: 25 } });
    expect(red.band).toBe('red');
    expect(red.forced_red).toEqual(['the deployment has been unhealthy for 30 hours (over 24)']);
    const recent = await of(justDown);
    expect(component(recent, 'platform')).toMatchObject({ score: 0 });
    expect(recent.forced_red).toEqual([]);
    expect(component(await of(healthy), 'platform')).toMatchObject({ score: 100, input: { status: 'healthy', uptime_pct: 100 } });
    expect(component(await of(degraded), 'platform')).toMatchObject({ score: 50, input: { status: 'degraded' } });
  });

  it('is worst first', async () => {
    const low = await tenant();
    await api.admin.customers.recordNps(low, { score: 0 });
    const scores = (await api.admin.customers.health()).data.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((x, y) => x - y));
  });
});

describe('the support component, from tickets', () => {
  const support = async (slug: string) => component((await api.admin.customers.health({ tenant: slug })).data[0]!, 'support');
  const ticket = (slug: string, priority: 'p1' | 'p2' | 'p3' | 'p4') => api.admin.tickets.create({ tenant: slug, subject: 'Support input', priority });
  const closedWith = async (slug: string, csat: number) => api.admin.tickets.close((await ticket(slug, 'p4')).id, { csat });

  it('has no data for a tenant without tickets in the last 90 days', async () => {
    const slug = await tenant();
    expect(await support(slug)).toMatchObject({ score: 50, no_data: true, reason: 'no data: no support tickets in the last 90 days' });
  });

  it('scores 100 with none open and CSAT ≥ 4, 60 with CSAT below 4 and none open, and says why', async () => {
    const good = await tenant();
    await closedWith(good, 5);
    await closedWith(good, 4);
    await closedWith(good, 4);
    expect(await support(good)).toMatchObject({ score: 100, no_data: false, input: { open_p1_p2: 0, csat: 4.33 }, reason: '0 open P1/P2, CSAT 4.33 → 100' });
    const poor = await tenant();
    await closedWith(poor, 4);
    await closedWith(poor, 3);
    expect(await support(poor)).toMatchObject({ score: 60, input: { open_p1_p2: 0, csat: 3.5 } });
  });

  it('counts open and in-progress P1/P2 tickets: 1–2 → 60, 3 or more → 20; P3/P4 and resolved ones do not count', async () => {
    const slug = await tenant();
    await closedWith(slug, 5);
    await ticket(slug, 'p3');
    const first = await ticket(slug, 'p1');
    expect(await support(slug)).toMatchObject({ score: 60, input: { open_p1_p2: 1 } });
    await api.admin.tickets.assign(first.id, { to: 'admin@dotmac.local' });
    await ticket(slug, 'p2');
    await ticket(slug, 'p2');
    expect(await support(slug)).toMatchObject({ score: 20, input: { open_p1_p2: 3 } });
    await api.admin.tickets.resolve(first.id);
    expect(await support(slug)).toMatchObject({ score: 60, input: { open_p1_p2: 2 } });
  });

  it('averages only ratings of tickets closed in the last 90 days', async () => {
    const slug = await tenant();
    await closedWith(slug, 1);
    api.clock.advance(91 * DAY);
    await closedWith(slug, 5);
    expect(await support(slug)).toMatchObject({ score: 100, input: { open_p1_p2: 0, csat: 5 } });
  });
});
