import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { Services } from '../../context.js';
import type { JobKind } from '../jobs/kind.js';
import { enqueueDue } from '../jobs/queue.js';
import { currentDeployment } from '../deployments/service.js';
import { DEFAULT_PROBE_SETTINGS, probeEndpoint } from './probe.js';
import { RAW_RETENTION_MS, recordCheck, targetsInScope } from './service.js';
import { hourOf } from './stats.js';

export const PROBE_JOB = 'health_probe';
export const ROLLUP_JOB = 'metrics_rollup';

/** Finished probe and roll-up jobs are deleted after a day: one probe a minute would fill the job list. */
const FINISHED_JOB_RETENTION_MS = 24 * 3600_000;

/**
 * Probes the tenant's current deployment once (its endpoint_url, as it is when the job runs) and
 * records the result as the job's one step, so a job taken again never records it twice.
 */
export const probeJob: JobKind = {
  async run(run) {
    if (run.completed.has('probe')) return;
    const target = await run.read(async (db) => {
      const tenant = await db.selectFrom('tenants').select('status').where('id', '=', run.job.tenant_id).executeTakeFirst();
      return tenant && tenant.status !== 'cancelled' ? currentDeployment(db, run.job.tenant_id) : undefined;
    });
    if (!target?.endpoint_url) return; // nothing to probe any more: the job has nothing to do
    const result = await probeEndpoint(target.endpoint_url, run.env.probe ?? DEFAULT_PROBE_SETTINGS);
    await run.finishStep('probe', async (trx) => {
      await recordCheck(trx, { tenant_id: target.tenant_id, deployment_id: target.id }, result);
    });
  },
};

/**
 * Retention for one tenant, in one transaction (so a job taken again finds nothing left to do):
 * raw points older than 7 days are added into their hours' roll-ups and deleted; probe results
 * older than 7 days, and probe and roll-up jobs finished more than a day ago, are deleted.
 */
export const rollupJob: JobKind = {
  async run(run) {
    await run.write(async (trx, ctx) => {
      const now = ctx.clock.now().getTime();
      await rollUpAndPrune(trx, run.job.tenant_id, new Date(now - RAW_RETENTION_MS).toISOString(), new Date(now - FINISHED_JOB_RETENTION_MS).toISOString(), run.job.id);
    });
  },
};

export async function rollUpAndPrune(trx: Kysely<Database>, tenantId: string, cutoff: string, jobsCutoff: string, keepJob?: string): Promise<void> {
  const hours = await trx
    .selectFrom('metric_points')
    .select((eb) => [
      'metric',
      sql<string>`substr(at, 1, 13)`.as('hour'),
      eb.fn.countAll<number>().as('count'),
      eb.fn.sum<number>('value').as('sum'),
      eb.fn.min<number>('value').as('min'),
      eb.fn.max<number>('value').as('max'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('at', '<', cutoff)
    .groupBy(['metric', sql`substr(at, 1, 13)`])
    .execute();
  for (const h of hours) {
    await trx
      .insertInto('metric_rollups')
      .values({ tenant_id: tenantId, metric: h.metric, hour: hourOf(h.hour), count: Number(h.count), sum: Number(h.sum), min: Number(h.min), max: Number(h.max) })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'metric', 'hour']).doUpdateSet({
          count: sql`metric_rollups.count + excluded.count`,
          sum: sql`metric_rollups.sum + excluded.sum`,
          min: sql`case when excluded.min < metric_rollups.min then excluded.min else metric_rollups.min end`,
          max: sql`case when excluded.max > metric_rollups.max then excluded.max else metric_rollups.max end`,
        }),
      )
      .execute();
  }
  await trx.deleteFrom('metric_points').where('tenant_id', '=', tenantId).where('at', '<', cutoff).execute();
  await trx.deleteFrom('health_checks').where('tenant_id', '=', tenantId).where('at', '<', cutoff).execute();
  const oldJobs = trx
    .selectFrom('jobs')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', 'in', [PROBE_JOB, ROLLUP_JOB])
    .where('status', 'in', ['succeeded', 'failed', 'cancelled'])
    .where('finished_at', '<', jobsCutoff)
    .where('id', '<>', keepJob ?? '');
  await trx.deleteFrom('job_steps').where('tenant_id', '=', tenantId).where('job_id', 'in', oldJobs).execute();
  await trx.deleteFrom('jobs').where('id', 'in', oldJobs).execute();
}

const PLATFORM = { userId: 'scheduler', role: 'master_admin', tenantId: null, resellerId: null, jti: '' } as const;

/** Each tenant with a current deployment that has an endpoint gets a probe job (the worker runs this every --probe-interval). */
export async function scheduleProbes(services: Services): Promise<number> {
  return enqueueDue(services, PROBE_JOB, async (db) => (await targetsInScope({ ...services, principal: PLATFORM, requestId: 'scheduler', clientRequestId: null, reason: null }, db)).map((t) => t.tenant_id), 2);
}

/** Each tenant with something past retention gets a roll-up job (the worker runs this hourly). */
export async function scheduleRollups(services: Services): Promise<number> {
  const now = services.clock.now().getTime();
  const cutoff = new Date(now - RAW_RETENTION_MS).toISOString();
  const jobsCutoff = new Date(now - FINISHED_JOB_RETENTION_MS).toISOString();
  return enqueueDue(
    services,
    ROLLUP_JOB,
    async (db) => {
      const points = await db.selectFrom('metric_points').select('tenant_id').distinct().where('at', '<', cutoff).execute();
      const checks = await db.selectFrom('health_checks').select('tenant_id').distinct().where('at', '<', cutoff).execute();
      const jobs = await db.selectFrom('jobs').select('tenant_id').distinct().where('kind', 'in', [PROBE_JOB, ROLLUP_JOB]).where('finished_at', '<', jobsCutoff).execute();
      return [...new Set([...points, ...checks, ...jobs].map((r) => r.tenant_id))];
    },
    2,
  );
}
