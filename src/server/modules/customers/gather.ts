import { addPeriods, dayOf, daysBetween, periodOf } from '../../../core/calendar.js';
import type { PriceBook } from '../pricebook/book.js';
import { loadPriceBook } from '../pricebook/service.js';
import type { TenantPlan } from '../../../db/tables/tenants.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { HealthSummary } from '../health/schema.js';
import type { HealthInputs, NoData } from './health-score.js';
import { supportSource } from '../tickets/health-source.js';
import { storedEntry, UNOPENED } from '../configs/sealing.js';

// Where each input of the health score comes from. One source per input: it loads what it needs
// for every tenant at once and answers per tenant. A tenant the platform holds nothing about for an
// input (no subscription, no probe) gets a NoData with the reason, and the score leaves it out.
// Support reads tickets (tickets/health-source.ts).

export interface CustomerTenant {
  id: string;
  slug: string;
  name: string;
  plan: TenantPlan;
  reseller_id: string | null;
}

export interface GatherContext {
  ctx: ServiceContext;
  tenants: readonly CustomerTenant[];
  /** the health module's summary of each tenant (latest metrics, last probe, uptime) */
  summaries: ReadonlyMap<string, HealthSummary>;
}

export type InputSource<K extends keyof HealthInputs> = (g: GatherContext) => Promise<(tenant: CustomerTenant) => HealthInputs[K]>;
export type InputSources = { [K in keyof HealthInputs]: InputSource<K> };

const DAY_MS = 24 * 3600_000;
/** The configuration key listing the modules a tenant uses (its count is module adoption). */
export const MODULES_KEY = 'integrations.modules_in_use';
const noData = (reason: string): NoData => ({ noData: reason });

/** Above this many tenants a query reads its rows by scope alone (rows of others are ignored), not by a list of ids. */
const MAX_LISTED_TENANTS = 500;

/** Narrows a query to the tenants being scored when they are few; the caller's scope always applies. */
function among<Q extends { where: (...args: any[]) => Q }>(g: GatherContext, query: Q, column: string): Q {
  return g.tenants.length <= MAX_LISTED_TENANTS ? query.where(column, 'in', g.tenants.map((t) => t.id)) : query;
}

/** The rows of a query narrowed to the tenants being scored (none when there are none). */
async function rowsAmong<Q extends { where: (...args: any[]) => Q; execute(): Promise<unknown[]> }>(g: GatherContext, query: Q, column: string): Promise<Awaited<ReturnType<Q['execute']>>> {
  return (g.tenants.length === 0 ? [] : await among(g, query, column).execute()) as Awaited<ReturnType<Q['execute']>>;
}

/**
 * Subscribers now (the latest pushed point) against 30 days ago: the newest hourly roll-up (its
 * mean) or raw point from the 7 days up to 30 days ago, whichever is later.
 */
const subscriberTrend: InputSource<'subscriberTrend'> = async (g) => {
  const now = g.ctx.clock.now().getTime();
  const cutoff = new Date(now - 30 * DAY_MS).toISOString();
  const floor = new Date(now - 37 * DAY_MS).toISOString();
  const then = new Map<string, { at: string; value: number }>();
  if (g.tenants.length > 0) {
    // the newest roll-up of each tenant in the window, by a grouped seek on the primary key
    const rollups = await among(
      g,
      g.ctx.db
        .selectFrom('metric_rollups')
        .innerJoin(
          among(
            g,
            g.ctx.db
              .selectFrom('metric_rollups as l')
              .select((eb) => ['l.tenant_id', eb.fn.max('l.hour').as('hour')])
              .where(scopeTo(g.ctx.principal, { tenant: 'l.tenant_id' }))
              .where('l.metric', '=', 'subscribers')
              .where('l.hour', '<=', cutoff)
              .where('l.hour', '>=', floor)
              .groupBy('l.tenant_id'),
            'l.tenant_id',
          ).as('newest'),
          (join) => join.onRef('newest.tenant_id', '=', 'metric_rollups.tenant_id').onRef('newest.hour', '=', 'metric_rollups.hour'),
        )
        .select(['metric_rollups.tenant_id', 'metric_rollups.hour', 'metric_rollups.sum', 'metric_rollups.count'])
        .where(scopeTo(g.ctx.principal, { tenant: 'metric_rollups.tenant_id' }))
        .where('metric_rollups.metric', '=', 'subscribers'),
      'metric_rollups.tenant_id',
    ).execute();
    for (const r of rollups) then.set(r.tenant_id, { at: r.hour, value: Number(r.sum) / Math.max(1, Number(r.count)) });
    // raw points are kept 7 days, so these are only the ones the hourly roll-up has not folded yet
    const points = await among(
      g,
      g.ctx.db
        .selectFrom('metric_points')
        .select(['tenant_id', 'at', 'value'])
        .where(scopeTo(g.ctx.principal, { tenant: 'metric_points.tenant_id' }))
        .where('metric', '=', 'subscribers')
        .where('at', '<=', cutoff)
        .where('at', '>=', floor),
      'tenant_id',
    ).execute();
    for (const p of points) {
      const seen = then.get(p.tenant_id);
      if (!seen || p.at > seen.at) then.set(p.tenant_id, { at: p.at, value: Number(p.value) });
    }
  }
  return (tenant) => {
    const current = g.summaries.get(tenant.id)?.subscribers ?? null;
    if (current === null) return noData('no subscribers metric pushed in the last 7 days');
    const past = then.get(tenant.id);
    if (!past) return noData('no subscribers metric from 30 days ago');
    const from = Math.round(past.value);
    const changePct = past.value === 0 ? (current > 0 ? 100 : 0) : ((current - past.value) / past.value) * 100;
    return { changePct, from, to: current };
  };
};

/** The distinct modules named by the tenant's `integrations.modules_in_use` configuration (a list). */
const moduleAdoption: InputSource<'moduleAdoption'> = async (g) => {
  const rows = await rowsAmong(
    g,
    g.ctx.db.selectFrom('configurations').select(['tenant_id', 'key', 'value', 'secret']).where(scopeTo(g.ctx.principal, { tenant: 'configurations.tenant_id' })).where('key', '=', MODULES_KEY),
    'tenant_id',
  );
  const byTenant = new Map(rows.map((r) => [r.tenant_id, r]));
  return (tenant) => {
    const row = byTenant.get(tenant.id);
    if (row === undefined) return noData(`${MODULES_KEY} is not set`);
    const { value } = storedEntry(g.ctx.auditKey, row);
    if (value === UNOPENED) return noData(`${MODULES_KEY} is a secret that does not open with this workspace's audit key`);
    if (!Array.isArray(value)) return noData(`${MODULES_KEY} is not a list`);
    return { modulesInUse: new Set(value.map(String)).size };
  };
};

/**
 * The last probe's status (up → healthy, degraded, down → unhealthy) with 7-day uptime; for an
 * unhealthy one, how long since the first failed probe after the last answered one.
 */
const platform: InputSource<'platform'> = async (g) => {
  const down = g.tenants.filter((t) => g.summaries.get(t.id)?.status === 'down').map((t) => t.id);
  const downSince = new Map<string, string>();
  if (down.length > 0) {
    const inScope = scopeTo(g.ctx.principal, { tenant: 'health_checks.tenant_id' });
    const lastUp = await g.ctx.db
      .selectFrom('health_checks')
      .select((eb) => ['tenant_id', eb.fn.max('at').as('at')])
      .where(inScope)
      .where('tenant_id', 'in', down)
      .where('status', '<>', 'down')
      .groupBy('tenant_id')
      .execute();
    const upAt = new Map(lastUp.map((r) => [r.tenant_id, String(r.at)]));
    const firstDown = await g.ctx.db
      .selectFrom('health_checks')
      .select(['tenant_id', 'at'])
      .where(inScope)
      .where('tenant_id', 'in', down)
      .where('status', '=', 'down')
      .where('at', '>=', new Date(g.ctx.clock.now().getTime() - 8 * DAY_MS).toISOString())
      .orderBy('at')
      .execute();
    for (const r of firstDown) {
      const after = upAt.get(r.tenant_id);
      if (after && r.at <= after) continue;
      if (!downSince.has(r.tenant_id)) downSince.set(r.tenant_id, r.at);
    }
  }
  const now = g.ctx.clock.now().getTime();
  return (tenant) => {
    const summary = g.summaries.get(tenant.id);
    if (!summary || summary.status === 'unknown') return noData('never probed');
    const status = summary.status === 'up' ? 'healthy' : summary.status === 'degraded' ? 'degraded' : 'unhealthy';
    const since = downSince.get(tenant.id);
    const unhealthyHours = status === 'unhealthy' && since ? (now - Date.parse(since)) / 3_600_000 : 0;
    return { status, uptimePct: summary.uptime_7d, unhealthyHours };
  };
};

/** The newest NPS answer of the last 180 days. */
const sentiment: InputSource<'sentiment'> = async (g) => {
  const since = new Date(g.ctx.clock.now().getTime() - 180 * DAY_MS).toISOString();
  const rows = await rowsAmong(
    g,
    g.ctx.db
      .selectFrom('nps_responses')
      .select(['tenant_id', 'score', 'recorded_at', 'id'])
      .where(scopeTo(g.ctx.principal, { tenant: 'nps_responses.tenant_id' }))
      .where('recorded_at', '>=', since)
      .orderBy('recorded_at')
      .orderBy('id'),
    'tenant_id',
  );
  const last = new Map(rows.map((r) => [r.tenant_id, Number(r.score)])); // ordered: the newest wins
  return (tenant) => ({ lastNps: last.get(tenant.id) ?? null });
};

/** Each tenant's subscription in force (not cancelled), read once per gathering for the sources that need it. */
type InForce = { tenant_id: string; status: string; cancel_on: string | null; plan: string; price_book_version: string };
const inForceCache = new WeakMap<GatherContext, Promise<Map<string, InForce>>>();
function subscriptionsInForce(g: GatherContext): Promise<Map<string, InForce>> {
  let loaded = inForceCache.get(g);
  if (!loaded) {
    loaded = (async () => {
      if (g.tenants.length === 0) return new Map();
      const rows = await among(
        g,
        g.ctx.db
          .selectFrom('subscriptions')
          .select(['tenant_id', 'status', 'cancel_on', 'plan', 'price_book_version'])
          .where(scopeTo(g.ctx.principal, { tenant: 'subscriptions.tenant_id' }))
          .where('status', '<>', 'cancelled'),
        'tenant_id',
      ).execute();
      return new Map(rows.map((r) => [r.tenant_id, r]));
    })();
    inForceCache.set(g, loaded);
  }
  return loaded;
}

const today = (g: GatherContext) => dayOf(g.ctx.clock.now());

/** Days the oldest open invoice is past its due day, and whether the subscription is past_due. */
const billing: InputSource<'billing'> = async (g) => {
  const subscriptions = await subscriptionsInForce(g);
  const on = today(g);
  const rows = await rowsAmong(
    g,
    g.ctx.db
      .selectFrom('invoices')
      .select((eb) => ['tenant_id', eb.fn.min('due_on').as('due_on')])
      .where(scopeTo(g.ctx.principal, { tenant: 'invoices.tenant_id' }))
      .where('status', '=', 'open')
      .where('due_on', '<', on)
      .groupBy('tenant_id'),
    'tenant_id',
  );
  const oldestDue = new Map(rows.map((r) => [r.tenant_id, String(r.due_on)]));
  return (tenant) => {
    const due = oldestDue.get(tenant.id);
    const subscription = subscriptions.get(tenant.id);
    if (!due && !subscription) return noData('no subscription in force and no overdue invoice');
    return { daysOverdue: due ? daysBetween(due, on) : 0, pastDue: subscription?.status === 'past_due' };
  };
};

/** A cancellation is requested when the subscription in force has a cancel day set. */
const cancellationRequested: InputSource<'cancellationRequested'> = async (g) => {
  const subscriptions = await subscriptionsInForce(g);
  return (tenant) => {
    const subscription = subscriptions.get(tenant.id);
    return subscription ? subscription.cancel_on !== null : noData('no subscription in force');
  };
};

/**
 * This month's metered quantities against the plan of the tenant's subscription, on its own
 * price-book version: subscribers against the hard cap (the larger of the usage record and the
 * latest pushed metric), users, devices, storage and API calls against their allowances. A tenant
 * without a subscription is measured against its plan in the newest price book.
 */
const metered: InputSource<'metered'> = async (g) => {
  const subscriptions = await subscriptionsInForce(g);
  const period = periodOf(today(g));
  const readings =
    await rowsAmong(
      g,
      g.ctx.db
        .selectFrom('usage_readings')
        .select(['tenant_id', 'metric', 'value'])
        .where(scopeTo(g.ctx.principal, { tenant: 'usage_readings.tenant_id' }))
        .where('period', '=', period),
      'tenant_id',
    );
  const used = new Map<string, Map<string, number>>();
  for (const r of readings) {
    if (!used.has(r.tenant_id)) used.set(r.tenant_id, new Map());
    used.get(r.tenant_id)!.set(r.metric, Number(r.value));
  }
  const books = new Map<string | undefined, PriceBook | null>();
  const book = async (version: string | undefined) => {
    if (!books.has(version)) books.set(version, await loadPriceBook(g.ctx.db, version).catch(() => null));
    return books.get(version)!;
  };
  const versions = new Set<string | undefined>([...subscriptions.values()].map((s) => s.price_book_version));
  if (g.tenants.some((t) => !subscriptions.has(t.id))) versions.add(undefined);
  for (const version of versions) await book(version);
  return (tenant) => {
    const subscription = subscriptions.get(tenant.id);
    const plan = books.get(subscription?.price_book_version)?.plans.find((p) => p.code === (subscription?.plan ?? tenant.plan));
    if (!plan) return [];
    const mine = used.get(tenant.id);
    const pushed = g.summaries.get(tenant.id)?.subscribers;
    const subscribers = Math.max(mine?.get('subscribers') ?? -1, pushed ?? -1);
    const out: { name: string; used: number; limit: number }[] = [];
    if (plan.hard_cap !== null && subscribers >= 0) out.push({ name: 'subscribers', used: subscribers, limit: plan.hard_cap });
    for (const [name, limit] of Object.entries(plan.allowances ?? {})) {
      const value = mine?.get(name);
      if (value !== undefined && limit > 0) out.push({ name, used: value, limit });
    }
    return out;
  };
};

/** Consecutive months, back from the latest billed one, whose invoice (not void) charged overage. */
const overageMonths: InputSource<'overageMonths'> = async (g) => {
  const since = addPeriods(periodOf(today(g)), -13);
  const rows = await rowsAmong(
    g,
    g.ctx.db
      .selectFrom('invoices')
      .leftJoin('invoice_lines', (join) => join.onRef('invoice_lines.invoice_id', '=', 'invoices.id').on('invoice_lines.kind', '=', 'overage'))
      .select((eb) => ['invoices.tenant_id', 'invoices.period', eb.fn.count('invoice_lines.invoice_id').as('overage')])
      .where(scopeTo(g.ctx.principal, { tenant: 'invoices.tenant_id' }))
      .where('invoices.status', '<>', 'void')
      .where('invoices.period', '>=', since)
      .groupBy(['invoices.tenant_id', 'invoices.period']),
    'invoices.tenant_id',
  );
  const byTenant = new Map<string, Map<string, boolean>>();
  for (const r of rows) {
    if (!byTenant.has(r.tenant_id)) byTenant.set(r.tenant_id, new Map());
    const periods = byTenant.get(r.tenant_id)!;
    periods.set(r.period, (periods.get(r.period) ?? false) || Number(r.overage) > 0);
  }
  return (tenant) => {
    const periods = byTenant.get(tenant.id);
    if (!periods) return null;
    let period = [...periods.keys()].sort().at(-1)!;
    let months = 0;
    while (periods.get(period) === true) {
      months++;
      period = addPeriods(period, -1);
    }
    return months;
  };
};

export const DEFAULT_SOURCES: InputSources = {
  subscriberTrend,
  moduleAdoption,
  billing,
  support: supportSource,
  platform,
  sentiment,
  cancellationRequested,
  metered,
  overageMonths,
};

/** The sources the service reads: the defaults, with any replaced (a test may replace one). */
export const inputSources: InputSources = { ...DEFAULT_SOURCES };

export async function gatherInputs(g: GatherContext, sources: InputSources = inputSources): Promise<(tenant: CustomerTenant) => HealthInputs> {
  // one after another: on PostgreSQL they share the request's transaction
  const a = await sources.subscriberTrend(g);
  const b = await sources.moduleAdoption(g);
  const c = await sources.billing(g);
  const d = await sources.support(g);
  const e = await sources.platform(g);
  const f = await sources.sentiment(g);
  const h = await sources.cancellationRequested(g);
  const i = await sources.metered(g);
  const j = await sources.overageMonths(g);
  return (t) => ({
    subscriberTrend: a(t),
    moduleAdoption: b(t),
    billing: c(t),
    support: d(t),
    platform: e(t),
    sentiment: f(t),
    cancellationRequested: h(t),
    metered: i(t),
    overageMonths: j(t),
  });
}

