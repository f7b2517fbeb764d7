import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '../../../../src/client/types.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { deployed } from '../../../support/jobs.js';

// The staff overview's money figures against subscriptions whose invoices are known: MRR is the
// recurring revenue of each subscription's latest first or recurring invoice, churn the
// subscriptions cancelled in the last 30 days, top resellers by their customers' MRR.

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('the staff overview', () => {
  it('adds up MRR, churn and the top resellers from the invoices', async () => {
    for (const slug of ['north', 'south']) await api.admin.resellers.create({ slug, name: slug });
    const subscribe = async (slug: string, reseller: string | null, plan: string, subscribers: number) => {
      await api.admin.tenants.create({ slug, name: slug, reseller });
      const sub = await api.admin.subscriptions.create({ tenant: slug, plan, term_months: 1, subscribers, price_book_version: '2025.1' });
      return { sub, recurring: sub.first_invoice!.recurring_cents };
    };
    const a = await subscribe('ov-a', 'north', 'starter', 50);
    const b = await subscribe('ov-b', 'north', 'professional', 1_000);
    const c = await subscribe('ov-c', 'south', 'enterprise', 5_000);
    const d = await subscribe('ov-d', null, 'starter', 100);
    const gone = await subscribe('ov-gone', 'south', 'professional', 600);
    await api.admin.subscriptions.cancel(gone.sub.id, { on: api.clock.now().toISOString().slice(0, 10) });

    const overview = (await api.admin.call<Overview>('GET', '/v1/overview')) as Extract<Overview, { role: 'master_admin' }>;
    const mrr = a.recurring + b.recurring + c.recurring + d.recurring;
    expect(overview.revenue).toEqual({ subscriptions_in_force: 4, mrr_cents: mrr, arr_cents: mrr * 12 });
    expect(overview.churn).toEqual({ days: 30, subscriptions: 1, mrr_cents: gone.recurring });
    const expected = [
      { slug: 'north', customers: 2, mrr_cents: a.recurring + b.recurring },
      { slug: 'south', customers: 1, mrr_cents: c.recurring },
    ].sort((x, y) => y.mrr_cents - x.mrr_cents);
    expect(overview.top_resellers.map(({ slug, customers, mrr_cents }) => ({ slug, customers, mrr_cents }))).toEqual(expected);
    expect(overview.tenants).toBe(5);
    expect(overview.by_plan.find((p) => p.key === 'starter')?.tenants).toBe(5);
  });

  it('counts each live instance by its latest probe only', async () => {
    const probes: Record<string, string[]> = { 'hc-down': ['up', 'down'], 'hc-back': ['down', 'up'], 'hc-slow': ['up', 'degraded'], 'hc-gone': ['down', 'down'] };
    const at = (minutesAgo: number) => new Date(api.clock.now().getTime() - minutesAgo * 60_000).toISOString();
    for (const [slug, statuses] of Object.entries(probes)) {
      await api.admin.tenants.create({ slug, name: slug });
      const deployment = await deployed(api, slug);
      await api.connection.db
        .insertInto('health_checks')
        .values(statuses.map((status, i) => ({ id: `hck_${slug}${i}`, tenant_id: deployment.tenant_id, deployment_id: deployment.id, at: at(10 - i), status: status as 'up', latency_ms: 50, http_status: 200, error: null })))
        .execute();
    }
    await api.connection.db.updateTable('tenants').set({ status: 'cancelled' }).where('slug', '=', 'hc-gone').execute();
    const overview = (await api.admin.call<Overview>('GET', '/v1/overview')) as Extract<Overview, { role: 'master_admin' }>;
    expect(overview.instances).toEqual({ unhealthy: 1, degraded: 1 });
  });
});
