import type { Services } from '../../context.js';
import { deploymentInProgress } from '../deployments/service.js';
import type { JobKind } from '../jobs/kind.js';
import { enqueueUnlessPending } from '../jobs/queue.js';
import { PLATFORM_SCOPE, scopedWrite } from '../jobs/worker-db.js';
import { createBackup } from './service.js';

export const BACKUP_JOB = 'scheduled_backup';

/**
 * One scheduled backup of the job's tenant, as the job's one step (a job taken again after its
 * backup committed finds the step done). A schedule removed, a tenant cancelled, or a deployment
 * in progress since the job was queued leaves nothing to do: the next sweep queues it again when
 * it is due.
 */
export const backupJob: JobKind = {
  async run(run) {
    await run.finishStep('backup', async (trx, ctx) => {
      const tenantId = run.job.tenant_id;
      const tenant = await trx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst();
      const schedule = await trx.selectFrom('backup_schedules').select('tenant_id').where('tenant_id', '=', tenantId).executeTakeFirst();
      if (!tenant || tenant.status === 'cancelled' || !schedule || (await deploymentInProgress(trx, tenantId))) return;
      await createBackup(ctx, tenantId, 'scheduled');
    });
  },
};

/**
 * The worker runs this every minute: each tenant whose schedule is due (no scheduled backup within
 * its `every`, and none queued or running) gets a backup job.
 */
export async function scheduleBackups(services: Services): Promise<number> {
  return scopedWrite(services.db, services.dialect, PLATFORM_SCOPE, async (trx) => {
    const now = services.clock.now().getTime();
    const schedules = await trx
      .selectFrom('backup_schedules')
      .innerJoin('tenants', 'tenants.id', 'backup_schedules.tenant_id')
      .select(['backup_schedules.tenant_id', 'backup_schedules.every_seconds'])
      .where('tenants.status', '!=', 'cancelled')
      .execute();
    const due: string[] = [];
    for (const schedule of schedules) {
      const since = new Date(now - Number(schedule.every_seconds) * 1000).toISOString();
      const recent = await trx
        .selectFrom('backups')
        .select('id')
        .where('tenant_id', '=', schedule.tenant_id)
        .where('kind', '=', 'scheduled')
        .where('created_at', '>', since)
        .executeTakeFirst();
      if (!recent) due.push(schedule.tenant_id);
    }
    return enqueueUnlessPending(trx, services, BACKUP_JOB, due, 3);
  });
}
