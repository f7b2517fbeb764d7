import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../context.js';
import { deploymentInProgress } from '../deployments/service.js';
import { JobFailure, type JobKind } from '../jobs/kind.js';
import { enqueueDue } from '../jobs/queue.js';
import { createBackup } from './service.js';

export { MANUAL_BACKUP_JOB } from './service.js';

/**
 * A backup asked for through the API (requestBackup), as the job's one step: the snapshot, the
 * backup row under the id in the payload, its audit event and the step's record commit together,
 * so a worker killed meanwhile leaves no backup, and the next worker to take the job makes it whole.
 * A tenant that cannot be backed up now (a deployment started since) fails the job with the reason.
 */
export const manualBackupJob: JobKind = {
  async run(run) {
    const id = typeof run.payload.backup_id === 'string' ? run.payload.backup_id : undefined;
    const createdBy = typeof run.payload.requested_by === 'string' ? run.payload.requested_by : undefined;
    if (!id) throw new JobFailure('the job names no backup id');
    await run.finishStep('backup', async (_trx, ctx) => {
      try {
        await createBackup(ctx, run.job.tenant_id, 'manual', { id, createdBy });
      } catch (error) {
        if (error instanceof AppError && (error.kind === 'conflict' || error.kind === 'not_found')) throw new JobFailure(error.message);
        throw error;
      }
    });
  },
};

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
  const now = services.clock.now().getTime();
  return enqueueDue(services, BACKUP_JOB, (db) => tenantsDueBackup(db, now), 3);
}

/** Tenants (not cancelled) with a schedule and no scheduled backup within its interval. */
async function tenantsDueBackup(db: Kysely<Database>, now: number): Promise<string[]> {
  const schedules = await db
    .selectFrom('backup_schedules')
    .innerJoin('tenants', 'tenants.id', 'backup_schedules.tenant_id')
    .select(['backup_schedules.tenant_id', 'backup_schedules.every_seconds'])
    .where('tenants.status', '!=', 'cancelled')
    .execute();
  const due: string[] = [];
  for (const schedule of schedules) {
    const since = new Date(now - Number(schedule.every_seconds) * 1000).toISOString();
    const recent = await db
      .selectFrom('backups')
      .select('id')
      .where('tenant_id', '=', schedule.tenant_id)
      .where('kind', '=', 'scheduled')
      .where('created_at', '>', since)
      .executeTakeFirst();
    if (!recent) due.push(schedule.tenant_id);
  }
  return due;
}
