import { sql, type Kysely } from 'kysely';
import { addPeriods, dayOf, periodOf } from '../../../core/calendar.js';
import type { Database } from '../../../db/database.js';
import { TENANT_PLANS, TENANT_STATUSES } from '../../../db/tables/tenants.js';
import type { ServiceContext } from '../../context.js';
import type { MasterOverview } from './schema.js';
import { openTicketsByPriority } from './tickets-by-priority.js';

// The platform staff's overview. Every figure is one aggregate query over the whole platform, so
// the answer costs the same few queries at 10 tenants or 10,000.
//
// MRR is what the billing module invoices as recurring revenue (invoices.recurring_cents: platform
// fee, bands and add-ons after discounts, never setup or overage): per subscription in force, its
// latest first or recurring invoice that is not void. No price is computed a second time here.
//
// Net revenue retention (monthly, in bps): the subscriptions invoiced recurring revenue for last
// month (base_cents), and what the same subscriptions are invoiced for this month (retained_cents;
// 0 for those cancelled, expansion and contraction included, new subscriptions left out).

const DAY_MS = 24 * 3600_000;
const num = (v: unknown) => Number(v ?? 0);
const BILLED_KINDS = ['first', 'recurring'] as const;
type SubscriptionClass = 'billed' | 'unbilled' | 'churned';

/**
 * A subscription's MRR: the recurring_cents of its latest first or recurring invoice that is not
 * void (one seek on invoices_billed; a period holds at most one such invoice).
 */
const latestRecurring = sql<number>`coalesce((select i.recurring_cents from invoices i where i.subscription_id = s.id and i.status <> 'void' and i.kind in ('first', 'recurring') order by i.period desc limit 1), 0)`;

export async function masterOverview(ctx: ServiceContext): Promise<MasterOverview> {
  const db = ctx.db;
  const now = ctx.clock.now();
  const today = dayOf(now);
  const period = periodOf(today);
  const basePeriod = addPeriods(period, -1);
  const churnSince = dayOf(new Date(now.getTime() - 30 * DAY_MS));
  const failedSince = new Date(now.getTime() - 7 * DAY_MS).toISOString();

  const [byStatusAndPlan, subscriptions, resellers, nrr, deployments, instances, tickets] = await Promise.all([
    db.selectFrom('tenants').select(['status', 'plan', (eb) => eb.fn.countAll<number>().as('tenants')]).groupBy(['status', 'plan']).execute(),
    // every subscription in force, and those cancelled in the churn window, summed by class and
    // by its customer's reseller in SQL: revenue, churn and the top resellers from one scan
    db
      .selectFrom('subscriptions as s')
      .innerJoin('tenants as t', 't.id', 's.tenant_id')
      .where((eb) => eb.or([eb('s.status', '<>', 'cancelled'), eb('s.cancelled_on', '>=', churnSince)]))
      .select([
        sql<SubscriptionClass>`case when s.status = 'cancelled' then 'churned' when s.status in ('active', 'past_due') then 'billed' else 'unbilled' end`.as('class'),
        't.reseller_id',
        (eb) => eb.fn.countAll<number>().as('subscriptions'),
        sql<number>`count(distinct s.tenant_id)`.as('customers'),
        sql<number>`sum(${latestRecurring})`.as('mrr'),
      ])
      .groupBy([sql`1`, 't.reseller_id'])
      .execute(),
    db.selectFrom('resellers').select(['id', 'slug', 'name']).execute(),
    db
      .selectFrom('invoices as b')
      .leftJoin(
        db
          .selectFrom('invoices as c')
          .where('c.period', '=', period)
          .where('c.status', '<>', 'void')
          .where('c.kind', 'in', BILLED_KINDS)
          .select(['c.subscription_id', sql<number>`sum(c.recurring_cents)`.as('cents')])
          .groupBy('c.subscription_id')
          .as('cur'),
        'cur.subscription_id',
        'b.subscription_id',
      )
      .where('b.period', '=', basePeriod)
      .where('b.status', '<>', 'void')
      .where('b.kind', 'in', BILLED_KINDS)
      .select([sql<number>`coalesce(sum(b.recurring_cents), 0)`.as('base'), sql<number>`coalesce(sum(cur.cents), 0)`.as('retained')])
      .executeTakeFirst(),
    db
      .selectFrom('deployments')
      .select([
        sql<number>`sum(case when status = 'queued' then 1 else 0 end)`.as('queued'),
        sql<number>`sum(case when status = 'running' then 1 else 0 end)`.as('running'),
        sql<number>`sum(case when status = 'failed' and updated_at >= ${failedSince} then 1 else 0 end)`.as('failed'),
      ])
      .where((eb) => eb.or([eb('status', 'in', ['queued', 'running']), eb.and([eb('status', '=', 'failed'), eb('updated_at', '>=', failedSince)])]))
      .executeTakeFirst(),
    // each live tenant's latest probe (one seek per tenant on health_checks_tenant_at), counted
    // for the bad ones
    db
      .selectFrom(
        db
          .selectFrom('tenants as t')
          .where('t.status', '<>', 'cancelled')
          .select(sql<string | null>`(select h.status from health_checks h where h.tenant_id = t.id order by h.at desc limit 1)`.as('status'))
          .as('latest'),
      )
      .where('latest.status', 'in', ['down', 'degraded'])
      .select(['latest.status', (eb) => eb.fn.countAll<number>().as('tenants')])
      .groupBy('latest.status')
      .execute(),
    openTicketsByPriority(ctx, db),
  ]);
  const byStatus = TENANT_STATUSES.map((key) => ({ key, tenants: byStatusAndPlan.filter((r) => r.status === key).reduce((n, r) => n + num(r.tenants), 0) }));
  const byPlan = TENANT_PLANS.map((key) => ({ key, tenants: byStatusAndPlan.filter((r) => r.plan === key).reduce((n, r) => n + num(r.tenants), 0) }));
  const revenue = { subscriptions: 0, mrr: 0 };
  const churn = { subscriptions: 0, mrr: 0 };
  const byReseller = new Map<string, { customers: number; mrr: number }>();
  for (const group of subscriptions) {
    const mrr = num(group.mrr);
    if (group.class === 'churned') {
      churn.subscriptions += num(group.subscriptions);
      churn.mrr += mrr;
      continue;
    }
    revenue.subscriptions += num(group.subscriptions);
    if (group.class === 'unbilled') continue;
    revenue.mrr += mrr;
    // one subscription in force per tenant: the group's subscriptions are its customers
    if (group.reseller_id !== null) byReseller.set(group.reseller_id, { customers: num(group.customers), mrr });
  }
  const top = resellers
    .filter((r) => byReseller.has(r.id))
    .map((r) => ({ reseller_id: r.id, slug: r.slug, name: r.name, customers: byReseller.get(r.id)!.customers, mrr: byReseller.get(r.id)!.mrr }))
    .sort((a, b) => b.mrr - a.mrr || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .slice(0, 5);
  const mrr = revenue.mrr;
  const base = num(nrr?.base);
  const retained = num(nrr?.retained);
  return {
    role: 'master_admin',
    as_of: now.toISOString(),
    tenants: byStatus.reduce((sum, s) => sum + s.tenants, 0),
    by_status: byStatus,
    by_plan: byPlan,
    revenue: { subscriptions_in_force: revenue.subscriptions, mrr_cents: mrr, arr_cents: mrr * 12 },
    churn: { days: 30, subscriptions: churn.subscriptions, mrr_cents: churn.mrr },
    net_revenue_retention: { period, base_period: basePeriod, base_cents: base, retained_cents: retained, bps: base === 0 ? null : Math.floor((retained * 10_000 + base / 2) / base) },
    deployments: { queued: num(deployments?.queued), running: num(deployments?.running), failed_7d: num(deployments?.failed) },
    instances: { unhealthy: num(instances.find((i) => i.status === 'down')?.tenants), degraded: num(instances.find((i) => i.status === 'degraded')?.tenants) },
    tickets,
    top_resellers: top.map((r) => ({ reseller_id: r.reseller_id, slug: r.slug, name: r.name, customers: r.customers, mrr_cents: r.mrr })),
  };
}
