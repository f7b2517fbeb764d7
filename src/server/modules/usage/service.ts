import { sql } from 'kysely';
import { checkPeriod, dayOf, periodOf } from '../../../core/calendar.js';
import { conflict, invalid } from '../../../core/errors.js';
import { USAGE_METRICS, type UsageMetric } from '../../../db/tables/billing.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { recordAudit } from '../audit/service.js';
import { billedSubscribers } from '../invoices/period.js';
import type { PlanPrice } from '../pricebook/book.js';
import { bandLines, findPlan, overageLines } from '../pricebook/pricing.js';
import { loadPriceBook } from '../pricebook/service.js';
import { getTenant } from '../tenants/service.js';
import type { RecordUsageInput, TenantUsage } from './schema.js';

/**
 * Stores a tenant's figures for a month. A reading is the month's figure so far (the peak of
 * subscribers, the users, devices and GB in use, the API calls counted since the month began),
 * and the stored figure only ever rises to it: an agent's retry, a re-send or a late, lower
 * reading changes nothing, and the billing run bills the highest. An instance agent's pushes are
 * telemetry (not audited, like its metrics); staff's `usage record` is audited.
 */
export async function recordUsage(ctx: ServiceContext, ref: string, input: RecordUsageInput) {
  const tenant = await getTenant(ctx, ref);
  if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled and takes no usage`);
  const thisMonth = periodOf(dayOf(ctx.clock.now()));
  const period = input.period === undefined ? thisMonth : checkPeriod(input.period);
  if (period > thisMonth) throw invalid(`period ${period} is in the future; usage is recorded for this month (${thisMonth}) or earlier`);
  const now = ctx.clock.now().toISOString();
  const rows = USAGE_METRICS.filter((m) => input[m] !== undefined).map((metric) => ({ tenant_id: tenant.id, period, metric, value: input[metric]!, updated_at: now }));
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    await trx
      .insertInto('usage_readings')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'period', 'metric']).doUpdateSet({
          value: sql`case when excluded.value > usage_readings.value then excluded.value else usage_readings.value end`,
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        }),
      )
      .execute();
    const stored = await trx
      .selectFrom('usage_readings')
      .select(['metric', 'value'])
      .where(scopeTo(ctx.principal, { tenant: 'usage_readings.tenant_id' }))
      .where('tenant_id', '=', tenant.id)
      .where('period', '=', period)
      .execute();
    if (ctx.principal.role !== 'instance') {
      await recordAudit(trx, ctx, { action: 'usage.record', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, details: { period, ...Object.fromEntries(rows.map((r) => [r.metric, r.value])) } });
    }
    return { tenant_id: tenant.id, period, values: Object.fromEntries(stored.map((r) => [r.metric, Number(r.value)])) };
  });
}

/** Each tenant's month against its plan's allowances and hard cap: percent used and what it would bill so far. */
export async function showUsage(ctx: ServiceContext, query: { tenant?: string; period?: string }) {
  const period = query.period === undefined ? periodOf(dayOf(ctx.clock.now())) : checkPeriod(query.period);
  const tenant = query.tenant === undefined ? undefined : await getTenant(ctx, query.tenant);
  let subs = ctx.db
    .selectFrom('subscriptions')
    .innerJoin('tenants', 'tenants.id', 'subscriptions.tenant_id')
    .select(['subscriptions.id', 'subscriptions.tenant_id', 'tenants.slug', 'subscriptions.plan', 'subscriptions.term_months', 'subscriptions.subscribers', 'subscriptions.addons', 'subscriptions.discount_bps', 'subscriptions.platform_fee_cents', 'subscriptions.price_book_version'])
    .where(scopeTo(ctx.principal, { tenant: 'subscriptions.tenant_id' }))
    .where('subscriptions.status', '<>', 'cancelled')
    .orderBy('tenants.slug')
    .limit(500);
  if (tenant) subs = subs.where('subscriptions.tenant_id', '=', tenant.id);
  const rows = await subs.execute();
  let readings = ctx.db
    .selectFrom('usage_readings')
    .select(['tenant_id', 'metric', 'value'])
    .where(scopeTo(ctx.principal, { tenant: 'usage_readings.tenant_id' }))
    .where('period', '=', period);
  if (tenant) readings = readings.where('tenant_id', '=', tenant.id);
  const values = new Map<string, Partial<Record<UsageMetric, number>>>();
  for (const r of await readings.execute()) values.set(r.tenant_id, { ...values.get(r.tenant_id), [r.metric]: Number(r.value) });
  const data: TenantUsage[] = [];
  for (const row of rows) {
    const book = await loadPriceBook(ctx.db, row.price_book_version);
    const plan = findPlan(book, row.plan);
    const figures = values.get(row.tenant_id) ?? {};
    const terms = { plan: row.plan, term_months: Number(row.term_months), subscribers: Number(row.subscribers), addons: [], discount_bps: 0, platform_fee_cents: null };
    const counted = billedSubscribers(book, terms, figures.subscribers ?? null);
    data.push({
      tenant_id: row.tenant_id,
      tenant_slug: row.slug,
      period,
      subscription_id: row.id,
      plan: row.plan,
      metrics: metricsAgainst(plan, figures, counted),
      upgrade_required: plan.hard_cap !== null && counted > plan.hard_cap,
    });
  }
  if (tenant && data.length === 0) {
    const figures = values.get(tenant.id) ?? {};
    data.push({ tenant_id: tenant.id, tenant_slug: tenant.slug, period, subscription_id: null, plan: null, metrics: USAGE_METRICS.map((metric) => ({ metric, value: figures[metric] ?? null, allowance: null, limit: null, percent: null, overage_cents: 0 })), upgrade_required: false });
  }
  return { period, data };
}

function metricsAgainst(plan: PlanPrice, figures: Partial<Record<UsageMetric, number>>, countedSubscribers: number) {
  const overage = overageLines(plan, { users: figures.users ?? 0, devices: figures.devices ?? 0, storage_gb: figures.storage_gb ?? 0, api_calls: figures.api_calls ?? 0 });
  const overageOf = (code: string) => overage.filter((l) => l.code === code).reduce((s, l) => s + l.amount_cents, 0);
  const pct = (value: number | undefined, of: number | null | undefined) => (value === undefined || !of ? null : Math.round((value * 1000) / of) / 10);
  const allowance = (m: 'users' | 'devices' | 'storage_gb' | 'api_calls') => plan.allowances?.[m] ?? null;
  return [
    {
      metric: 'subscribers' as const,
      value: figures.subscribers ?? null,
      allowance: plan.included_subscribers,
      limit: plan.hard_cap,
      percent: pct(figures.subscribers, plan.hard_cap),
      overage_cents: bandLines(plan, countedSubscribers).reduce((s, l) => s + l.amount_cents, 0),
    },
    ...(['users', 'devices', 'storage_gb', 'api_calls'] as const).map((metric) => ({
      metric,
      value: figures[metric] ?? null,
      allowance: allowance(metric),
      limit: null,
      percent: pct(figures[metric], allowance(metric)),
      overage_cents: overageOf(metric === 'api_calls' ? 'api_calls_1k' : metric),
    })),
  ];
}
