import type { Kysely } from 'kysely';
import { conflict } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import { DEPLOYMENT_STEPS, type DeploymentRow } from '../../../db/tables/deployments.js';
import type { JobRow } from '../../../db/tables/jobs.js';
import type { ServiceContext } from '../../context.js';
import { recordAudit } from '../audit/service.js';
import { JobFailure, type JobEnd, type JobKind, type JobRun } from '../jobs/kind.js';
import { ProvisioningFailure } from './drivers/driver.js';
import { appendEvent, toDeployment } from './service.js';

/**
 * A deployment's job: queued → running, the driver's steps in order (each recorded once, with its
 * event, in one transaction), then succeeded, or failed with the driver's reason. A rollback that
 * succeeds marks the deployment it replaced rolled_back.
 */
export const deploymentJob: JobKind = {
  async run(run) {
    const deploymentId = String(run.payload.deployment_id);
    const found = await run.read((db) => db.selectFrom('deployments').selectAll().where('id', '=', deploymentId).executeTakeFirst());
    if (!found) throw new JobFailure(`deployment ${deploymentId} does not exist`);
    let deployment = toDeployment(found);
    const tenant = await run.read((db) => db.selectFrom('tenants').select(['id', 'slug']).where('id', '=', deployment.tenant_id).executeTakeFirstOrThrow());
    if (deployment.status === 'queued') {
      deployment = await run.write(async (trx, ctx) => {
        const at = ctx.clock.now().toISOString();
        await trx.updateTable('deployments').set({ status: 'running', started_at: at, updated_at: at }).where('id', '=', deployment.id).execute();
        await appendEvent(trx, ctx, deployment, { type: 'status', status: 'running' });
        return { ...deployment, status: 'running', started_at: at, updated_at: at };
      });
    }
    const report = async (step: string, progress: number, message?: string) => {
      if (run.completed.has(step)) return; // finished by an earlier run: never again
      const index = DEPLOYMENT_STEPS.indexOf(step as (typeof DEPLOYMENT_STEPS)[number]);
      const missing = DEPLOYMENT_STEPS.slice(0, Math.max(index, 0)).find((s) => !run.completed.has(s));
      if (index < 0) throw new ProvisioningFailure(`the driver reported an unknown step "${step}"`);
      if (missing) throw new ProvisioningFailure(`the driver reported step ${step} before ${missing} finished`);
      if (progress >= 100) {
        await run.finishStep(step, (trx, ctx) => appendEvent(trx, ctx, deployment, { type: 'step', step, progress: 100, message }));
      } else {
        await run.write((trx, ctx) => appendEvent(trx, ctx, deployment, { type: 'step', step, progress, message }));
      }
    };
    let endpoint: string | null;
    try {
      ({ endpoint_url: endpoint } = await run.env.provisioning.provision({ deployment, tenant, steps: DEPLOYMENT_STEPS, completed: run.completed, signal: run.signal, report }));
    } catch (error) {
      if (error instanceof ProvisioningFailure) throw new JobFailure(error.message);
      throw error;
    }
    // Steps the driver left unreported finished with it.
    for (const step of DEPLOYMENT_STEPS) if (!run.completed.has(step)) await report(step, 100);
    await run.write(async (trx, ctx) => {
      const at = ctx.clock.now().toISOString();
      const endpoint_url = deployment.endpoint_url ?? endpoint;
      await trx.updateTable('deployments').set({ status: 'succeeded', endpoint_url, finished_at: at, updated_at: at }).where('id', '=', deployment.id).execute();
      await appendEvent(trx, ctx, deployment, { type: 'status', status: 'succeeded', message: endpoint_url });
      if (deployment.kind === 'rollback' && deployment.replaces) await markRolledBack(trx, ctx, deployment.replaces, deployment);
      await recordAudit(trx, ctx, {
        action: 'deployment.succeed',
        targetType: 'deployment',
        targetId: deployment.id,
        tenantId: deployment.tenant_id,
        details: { kind: deployment.kind, version: deployment.version, endpoint_url, job_id: run.job.id },
      });
    });
  },

  async settle(trx, ctx, job, end) {
    const deployment = await ofJob(trx, job);
    if (!deployment || deployment.status === 'succeeded' || deployment.status === 'failed' || deployment.status === 'rolled_back') return;
    const at = ctx.clock.now().toISOString();
    const reason = reasonOf(end, ctx);
    await trx.updateTable('deployments').set({ status: 'failed', failure_reason: reason, finished_at: at, updated_at: at }).where('id', '=', deployment.id).execute();
    await appendEvent(trx, ctx, deployment, { type: 'status', status: 'failed', message: reason });
    await recordAudit(trx, ctx, {
      action: 'deployment.fail',
      targetType: 'deployment',
      targetId: deployment.id,
      tenantId: deployment.tenant_id,
      details: { kind: deployment.kind, version: deployment.version, reason, job_id: job.id },
    });
  },

  async requeue(trx, ctx, job) {
    const deployment = await ofJob(trx, job);
    if (!deployment || deployment.status !== 'failed') return;
    const other = await trx
      .selectFrom('deployments')
      .select(['id', 'status'])
      .where('tenant_id', '=', deployment.tenant_id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (other) throw conflict(`the tenant already has deployment ${other.id} ${other.status}; retry this one after it ends`);
    const at = ctx.clock.now().toISOString();
    await trx.updateTable('deployments').set({ status: 'queued', failure_reason: null, finished_at: null, updated_at: at }).where('id', '=', deployment.id).execute();
    await appendEvent(trx, ctx, deployment, { type: 'status', status: 'queued', message: 'retried' });
  },
};

function reasonOf(end: JobEnd, ctx: ServiceContext): string {
  if (end.status === 'cancelled') return `cancelled${ctx.actor ? '' : ` by ${ctx.principal.userId}`}${end.reason ? `: ${end.reason}` : ''}`;
  return end.reason;
}

async function ofJob(trx: Kysely<Database>, job: JobRow): Promise<DeploymentRow | undefined> {
  const row = await trx.selectFrom('deployments').selectAll().where('job_id', '=', job.id).executeTakeFirst();
  return row ? toDeployment(row) : undefined;
}

async function markRolledBack(trx: Kysely<Database>, ctx: ServiceContext, id: string, by: DeploymentRow): Promise<void> {
  const at = ctx.clock.now().toISOString();
  const result = await trx.updateTable('deployments').set({ status: 'rolled_back', updated_at: at }).where('id', '=', id).where('status', '=', 'succeeded').executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) await appendEvent(trx, ctx, { id, tenant_id: by.tenant_id }, { type: 'status', status: 'rolled_back', message: `replaced by rollback ${by.id}` });
}
