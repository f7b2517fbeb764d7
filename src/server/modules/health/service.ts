import type { Kysely } from 'kysely';
import { conflict, invalid } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { HealthCheckRow, HealthStatus } from '../../../db/tables/health.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { currentDeployment } from '../deployments/service.js';
import { getTenant } from '../tenants/service.js';
import { DEFAULT_PROBE_SETTINGS, probeEndpoint, type ProbeResult } from './probe.js';
import type { PushMetricsInput } from './schema.js';
import { worstFirst } from './stats.js';
import { summarise, withP95 } from './summary.js';

/** Raw points and probe results are kept this long; hourly roll-ups after that (jobs.ts). */
export const RAW_RETENTION_MS = 7 * 24 * 3600_000;
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
