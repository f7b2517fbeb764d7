import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { METRIC_NAMES, type HealthSummary, type MetricName } from './schema.js';
import { percentile, uptimePercent } from './stats.js';

// A tenant's health as the probes and points recorded it: what GET /v1/health and
// GET /v1/tenants/{ref}/health answer (service.ts).

const DAY_MS = 24 * 3600_000;
const WEEK_MS = 7 * DAY_MS;

/** The tenants in the caller's scope to summarise: one (any status), or every one not cancelled. */
async function tenantsToSummarise(ctx: ServiceContext, db: Kysely<Database>, only?: string) {
  let query = db.selectFrom('tenants').select(['tenants.id', 'tenants.slug']).where(scopeTo(ctx.principal, TENANT_SCOPE));
  query = only ? query.where('tenants.id', '=', only) : query.where('tenants.status', '<>', 'cancelled');
  return query.execute();
}

/**
 * Health of the given tenant (or every tenant in scope), from the probes and points recorded;
 * the p95 latency is left for withP95, which needs every latency of the window.
 */
export async function summarise(ctx: ServiceContext, db: Kysely<Database>, only?: string): Promise<HealthSummary[]> {
  const tenants = await tenantsToSummarise(ctx, db, only);
  if (tenants.length === 0) return [];
  const now = ctx.clock.now().getTime();
  const since24h = new Date(now - DAY_MS).toISOString();
  const since7d = new Date(now - WEEK_MS).toISOString();
  const inScope = (table: 'health_checks') => scopeTo(ctx.principal, { tenant: `${table}.tenant_id` });
  const onlyTenant = <Q extends { where: (...args: any[]) => Q }>(q: Q, column: string) => (only ? q.where(column, '=', only) : q);

  const counts = await onlyTenant(
    db
      .selectFrom('health_checks')
      .where(inScope('health_checks'))
      .where('health_checks.at', '>=', since7d)
      .select((eb) => [
        'health_checks.tenant_id',
        eb.fn.countAll<number>().as('total_7d'),
        sql<number>`sum(case when status <> 'down' then 1 else 0 end)`.as('answering_7d'),
        sql<number>`sum(case when at >= ${since24h} then 1 else 0 end)`.as('total_24h'),
        sql<number>`sum(case when at >= ${since24h} and status <> 'down' then 1 else 0 end)`.as('answering_24h'),
      ])
      .groupBy('health_checks.tenant_id'),
    'health_checks.tenant_id',
  ).execute();

  const lastChecks = only ? await lastCheckOf(ctx, db, only) : await lastCheckOfEach(ctx, db);
  const latestPoints = await latestMetrics(ctx, db, only);

  const countsBy = new Map(counts.map((c) => [c.tenant_id, c]));
  const lastBy = new Map(lastChecks.map((c) => [c.tenant_id, c])); // in id order: of a tie, the greater id wins
  const pointsBy = groupBy(latestPoints, (r) => r.tenant_id);

  return tenants.map((tenant) => {
    const c = countsBy.get(tenant.id);
    const last = lastBy.get(tenant.id);
    const metrics = Object.fromEntries(METRIC_NAMES.map((m) => [m, null])) as Record<MetricName, number | null>;
    let metricsAt: string | null = null;
    for (const point of pointsBy.get(tenant.id) ?? []) {
      if (!(METRIC_NAMES as string[]).includes(point.metric)) continue;
      metrics[point.metric as MetricName] = Number(point.value);
      if (metricsAt === null || point.at > metricsAt) metricsAt = point.at;
    }
    return {
      tenant_id: tenant.id,
      tenant_slug: tenant.slug,
      status: (last?.status ?? 'unknown') as HealthSummary['status'],
      checked_at: last?.at ?? null,
      latency_ms: last?.latency_ms == null ? null : Number(last.latency_ms),
      uptime_24h: uptimePercent(Number(c?.answering_24h ?? 0), Number(c?.total_24h ?? 0)),
      uptime_7d: uptimePercent(Number(c?.answering_7d ?? 0), Number(c?.total_7d ?? 0)),
      checks_24h: Number(c?.total_24h ?? 0),
      checks_7d: Number(c?.total_7d ?? 0),
      p95_latency_ms: null as number | null,
      ...metrics,
      metrics_at: metricsAt,
    };
  });
}

const LAST_CHECK = ['health_checks.id', 'health_checks.tenant_id', 'health_checks.at', 'health_checks.status', 'health_checks.latency_ms'] as const;

/** One tenant's newest probe: a backward seek on (tenant_id, at), the greater id winning a tie. */
function lastCheckOf(ctx: ServiceContext, db: Kysely<Database>, tenantId: string) {
  return db
    .selectFrom('health_checks')
    .select(LAST_CHECK)
    .where(scopeTo(ctx.principal, { tenant: 'health_checks.tenant_id' }))
    .where('health_checks.tenant_id', '=', tenantId)
    .orderBy('health_checks.at', 'desc')
    .orderBy('health_checks.id', 'desc')
    .limit(1)
    .execute();
}

/** Every tenant's newest probe in one grouped query, ordered by id so that the last of a tie wins. */
function lastCheckOfEach(ctx: ServiceContext, db: Kysely<Database>) {
  return db
    .selectFrom('health_checks')
    .innerJoin(
      db.selectFrom('health_checks as l').select((eb) => ['l.tenant_id', eb.fn.max('l.at').as('at')]).where(scopeTo(ctx.principal, { tenant: 'l.tenant_id' })).groupBy('l.tenant_id').as('last'),
      (join) => join.onRef('last.tenant_id', '=', 'health_checks.tenant_id').onRef('last.at', '=', 'health_checks.at'),
    )
    .select(LAST_CHECK)
    .where(scopeTo(ctx.principal, { tenant: 'health_checks.tenant_id' }))
    .orderBy('health_checks.id')
    .execute();
}

/**
 * The newest point of each metric: for one tenant a backward seek per metric on the primary key
 * (tenant_id, metric, at); for many, one grouped query.
 */
async function latestMetrics(ctx: ServiceContext, db: Kysely<Database>, only?: string) {
  const inScope = scopeTo(ctx.principal, { tenant: 'metric_points.tenant_id' });
  if (only) {
    const newest = [];
    for (const metric of METRIC_NAMES) {
      const row = await db
        .selectFrom('metric_points')
        .select(['metric_points.tenant_id', 'metric_points.metric', 'metric_points.at', 'metric_points.value'])
        .where(inScope)
        .where('metric_points.tenant_id', '=', only)
        .where('metric_points.metric', '=', metric)
        .orderBy('metric_points.at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row) newest.push(row);
    }
    return newest;
  }
  return db
    .selectFrom('metric_points')
    .innerJoin(
      db
        .selectFrom('metric_points as l')
        .select((eb) => ['l.tenant_id', 'l.metric', eb.fn.max('l.at').as('at')])
        .where(scopeTo(ctx.principal, { tenant: 'l.tenant_id' }))
        .groupBy(['l.tenant_id', 'l.metric'])
        .as('latest'),
      (join) => join.onRef('latest.tenant_id', '=', 'metric_points.tenant_id').onRef('latest.metric', '=', 'metric_points.metric').onRef('latest.at', '=', 'metric_points.at'),
    )
    .select(['metric_points.tenant_id', 'metric_points.metric', 'metric_points.at', 'metric_points.value'])
    .where(inScope)
    .execute();
}

/** The p95 latency over 24 h of the summaries given (only those: it reads every answered probe of the window). */
export async function withP95(ctx: ServiceContext, summaries: HealthSummary[]): Promise<HealthSummary[]> {
  if (summaries.length === 0) return summaries;
  const since24h = new Date(ctx.clock.now().getTime() - DAY_MS).toISOString();
  const latencies = await ctx.db
    .selectFrom('health_checks')
    .select(['health_checks.tenant_id', 'health_checks.latency_ms'])
    .where(scopeTo(ctx.principal, { tenant: 'health_checks.tenant_id' }))
    .where('health_checks.tenant_id', 'in', summaries.map((s) => s.tenant_id))
    .where('health_checks.at', '>=', since24h)
    .where('health_checks.latency_ms', 'is not', null)
    .execute();
  const byTenant = groupBy(latencies, (r) => r.tenant_id);
  return summaries.map((s) => ({ ...s, p95_latency_ms: percentile((byTenant.get(s.tenant_id) ?? []).map((r) => Number(r.latency_ms)), 95) }));
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
