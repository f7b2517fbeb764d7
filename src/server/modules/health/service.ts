import { sql, type Kysely } from 'kysely';
import { conflict, invalid } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { HealthCheckRow, HealthStatus } from '../../../db/tables/health.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { currentDeployment } from '../deployments/service.js';
import { getTenant } from '../tenants/service.js';
import { DEFAULT_PROBE_SETTINGS, probeEndpoint, type ProbeResult } from './probe.js';
import { METRIC_NAMES, type HealthSummary, type MetricName, type PushMetricsInput } from './schema.js';
import { percentile, uptimePercent, worstFirst } from './stats.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Raw points and probe results are kept this long; hourly roll-ups after that (retention.ts). */
export const RAW_RETENTION_MS = 7 * DAY_MS;
/** A point may be stamped a little ahead of the server's clock (the agent's clock drifts), no more. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Stores an instance agent's batch of points for its tenant, all or nothing. A point already
 * stored (same metric and time: an agent's retry) takes the new value. Telemetry, not a change
 * anyone made: it writes no audit event, as probe results do not.
 */
export async function pushMetrics(ctx: ServiceContext, ref: string, input: PushMetricsInput) {
  const tenant = await getTenant(ctx, ref);
  if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled and takes no metrics`);
  const now = ctx.clock.now().getTime();
  const errors: { path: string; message: string }[] = [];
  const points = new Map<string, { tenant_id: string; metric: string; at: string; value: number }>();
  input.points.forEach((point, i) => {
    const at = point.at === undefined ? now : Date.parse(point.at);
    if (at < now - RAW_RETENTION_MS) errors.push({ path: `points.${i}.at`, message: 'is older than 7 days' });
    else if (at > now + FUTURE_SKEW_MS) errors.push({ path: `points.${i}.at`, message: 'is more than 5 minutes ahead of the server\'s clock' });
    const iso = new Date(at).toISOString();
    points.set(`${point.metric} ${iso}`, { tenant_id: tenant.id, metric: point.metric, at: iso, value: point.value });
  });
  if (errors.length) throw invalid(`body ${errors[0]!.path}: ${errors[0]!.message}; nothing was stored`, { errors });
  const rows = [...points.values()];
  await writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('metric_points')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['tenant_id', 'metric', 'at']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
        .execute();
    }
  });
  return { tenant_id: tenant.id, accepted: rows.length };
}

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
async function summarise(ctx: ServiceContext, db: Kysely<Database>, only?: string): Promise<HealthSummary[]> {
  const tenants = await tenantsToSummarise(ctx, db, only);
  if (tenants.length === 0) return [];
  const now = ctx.clock.now().getTime();
  const since24h = new Date(now - DAY_MS).toISOString();
  const since7d = new Date(now - RAW_RETENTION_MS).toISOString();
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

  const lastChecks = await onlyTenant(
    db
      .selectFrom('health_checks')
      .innerJoin(
        onlyTenant(
          db.selectFrom('health_checks as l').select((eb) => ['l.tenant_id', eb.fn.max('l.at').as('at')]).where(scopeTo(ctx.principal, { tenant: 'l.tenant_id' })).groupBy('l.tenant_id'),
          'l.tenant_id',
        ).as('last'),
        (join) => join.onRef('last.tenant_id', '=', 'health_checks.tenant_id').onRef('last.at', '=', 'health_checks.at'),
      )
      .select(['health_checks.id', 'health_checks.tenant_id', 'health_checks.at', 'health_checks.status', 'health_checks.latency_ms'])
      .where(inScope('health_checks'))
      .orderBy('health_checks.id'),
    'health_checks.tenant_id',
  ).execute();

  const latestPoints = await latestMetrics(ctx, db, only);

  const countsBy = new Map(counts.map((c) => [c.tenant_id, c]));
  const lastBy = new Map(lastChecks.map((c) => [c.tenant_id, c])); // ordered by id: the last one wins a tie
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
async function withP95(ctx: ServiceContext, summaries: HealthSummary[]): Promise<HealthSummary[]> {
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

/** Every tenant in the caller's scope (cancelled ones aside), worst first; p95 only for the page shown. */
export async function listHealth(ctx: ServiceContext, query: { limit: number }) {
  const all = await summarise(ctx, ctx.db);
  return { data: await withP95(ctx, all.sort(worstFirst).slice(0, query.limit)) };
}

/** One tenant's health, with its last 60 probes for a latency sparkline. */
export async function tenantHealth(ctx: ServiceContext, ref: string) {
  const tenant = await getTenant(ctx, ref);
  const [summary] = await withP95(ctx, await summarise(ctx, ctx.db, tenant.id));
  const recent = await ctx.db
    .selectFrom('health_checks')
    .select(['at', 'status', 'latency_ms'])
    .where(scopeTo(ctx.principal, { tenant: 'health_checks.tenant_id' }))
    .where('tenant_id', '=', tenant.id)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(60)
    .execute();
  return { ...summary!, recent: recent.reverse().map((r) => ({ ...r, latency_ms: r.latency_ms === null ? null : Number(r.latency_ms) })) };
}

export interface ProbeTarget {
  tenant_id: string;
  tenant_slug: string;
  deployment_id: string;
  endpoint_url: string;
}

/**
 * Probes now and records what it found: the named tenant's current deployment (409 when it has
 * none with an endpoint), or every tenant in the caller's scope that has one. The URL is always a
 * deployment's endpoint_url, never anything from the request.
 */
export async function probeNow(ctx: ServiceContext, input: { tenant?: string }) {
  const targets = input.tenant ? [await namedTarget(ctx, input.tenant)] : await targetsInScope(ctx);
  const settings = ctx.probe ?? DEFAULT_PROBE_SETTINGS;
  const results = await inBatches(targets, 8, (target) => probeEndpoint(target.endpoint_url, settings, () => ctx.clock.now()));
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const data = [];
    for (const [i, target] of targets.entries()) data.push({ ...(await recordCheck(trx, target, results[i]!)), tenant_slug: target.tenant_slug });
    return { data };
  });
}

async function namedTarget(ctx: ServiceContext, ref: string): Promise<ProbeTarget> {
  const tenant = await getTenant(ctx, ref);
  if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled; there is nothing to probe`);
  const deployment = await currentDeployment(ctx.db, tenant.id);
  if (!deployment?.endpoint_url) throw conflict(`tenant "${tenant.slug}" has no succeeded deployment with an endpoint to probe`);
  return { tenant_id: tenant.id, tenant_slug: tenant.slug, deployment_id: deployment.id, endpoint_url: deployment.endpoint_url };
}

/** Each tenant's current deployment (its latest succeeded one), when it has an endpoint. */
export async function targetsInScope(ctx: ServiceContext, db: Kysely<Database> = ctx.db): Promise<ProbeTarget[]> {
  const rows = await db
    .selectFrom('deployments')
    .innerJoin('tenants', 'tenants.id', 'deployments.tenant_id')
    .select(['deployments.id', 'deployments.tenant_id', 'deployments.endpoint_url', 'tenants.slug'])
    .where(scopeTo(ctx.principal, { tenant: 'deployments.tenant_id' }))
    .where('deployments.status', '=', 'succeeded')
    .where('tenants.status', '<>', 'cancelled')
    .orderBy('deployments.finished_at')
    .orderBy('deployments.id')
    .execute();
  const current = new Map(rows.map((r) => [r.tenant_id, r])); // ordered oldest first: the last one stays
  return [...current.values()]
    .filter((r) => r.endpoint_url)
    .map((r) => ({ tenant_id: r.tenant_id, tenant_slug: r.slug, deployment_id: r.id, endpoint_url: r.endpoint_url! }));
}

export async function recordCheck(trx: Kysely<Database>, target: Pick<ProbeTarget, 'tenant_id' | 'deployment_id'>, result: ProbeResult): Promise<HealthCheckRow> {
  const row: HealthCheckRow = {
    id: newId('healthCheck', result.at.getTime()),
    tenant_id: target.tenant_id,
    deployment_id: target.deployment_id,
    at: result.at.toISOString(),
    status: result.status as HealthStatus,
    latency_ms: result.latencyMs,
    http_status: result.httpStatus,
    error: result.error,
  };
  await trx.insertInto('health_checks').values(row).execute();
  return row;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
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
