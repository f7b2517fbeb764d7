import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import type { JobRow } from '../../../db/tables/jobs.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { recordAudit } from '../audit/service.js';
import { JOB_KINDS } from './kinds.js';
import { normalise } from './lease.js';
import { ownedPage } from './owned-page.js';
import type { JobListFilter } from './schema.js';

const JOB_SCOPE = { tenant: 'jobs.tenant_id' };

export type JobView = Omit<JobRow, 'payload'> & { payload: Record<string, unknown> };
export type JobDetail = JobView & { steps: { step: string; finished_at: string; worker: string }[] };

function scopedJobs(ctx: ServiceContext, db: Kysely<Database>) {
  return db.selectFrom('jobs').selectAll().where(scopeTo(ctx.principal, JOB_SCOPE));
}

export function listJobs(ctx: ServiceContext, filter: JobListFilter) {
  return ownedPage(ctx, scopedJobs(ctx, ctx.db), filter, toJob);
}

export async function getJob(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<JobDetail> {
  const row = await scopedJobs(ctx, db).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`job "${id}" was not found`);
  const steps = await db.selectFrom('job_steps').select(['step', 'finished_at', 'worker']).where('job_id', '=', id).orderBy('position').execute();
  return { ...toJob(row), steps };
}

/** A queued or running job stops: a running one's worker notices at its next write and lets go. */
export async function cancelJob(ctx: ServiceContext, id: string): Promise<Outcome<JobDetail>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const job = await lockedJob(ctx, trx, id);
    if (job.status === 'cancelled') return { value: job, changed: false };
    if (job.status !== 'queued' && job.status !== 'running') throw conflict(`job ${id} is ${job.status} and cannot be cancelled`);
    const at = ctx.clock.now().toISOString();
    const reason = ctx.reason ?? '';
    await trx.updateTable('jobs').set({ status: 'cancelled', last_error: `cancelled${reason ? `: ${reason}` : ''}`, lease_owner: null, lease_expires_at: null, updated_at: at, finished_at: at }).where('id', '=', id).execute();
    await JOB_KINDS[job.kind]?.settle?.(trx, ctx, raw(job), { status: 'cancelled', reason });
    await recordAudit(trx, ctx, { action: 'job.cancel', targetType: 'job', targetId: id, tenantId: job.tenant_id, details: { kind: job.kind, was: job.status } });
    return { value: await getJob(ctx, id, trx), changed: true };
  });
}

/** A failed or cancelled job is queued again; the steps it finished stay finished. */
export async function retryJob(ctx: ServiceContext, id: string): Promise<Outcome<JobDetail>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const job = await lockedJob(ctx, trx, id);
    if (job.status === 'queued') return { value: job, changed: false };
    if (job.status !== 'failed' && job.status !== 'cancelled') throw conflict(`job ${id} is ${job.status}; only a failed or cancelled job can be retried`);
    await JOB_KINDS[job.kind]?.requeue?.(trx, ctx, raw(job));
    const at = ctx.clock.now().toISOString();
    await trx.updateTable('jobs').set({ status: 'queued', attempts: 0, run_at: at, last_error: null, lease_owner: null, lease_expires_at: null, updated_at: at, finished_at: null }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'job.retry', targetType: 'job', targetId: id, tenantId: job.tenant_id, details: { kind: job.kind, was: job.status } });
    return { value: await getJob(ctx, id, trx), changed: true };
  });
}

/** Locked on PostgreSQL, so a worker's write and this change take turns. */
async function lockedJob(ctx: ServiceContext, trx: Kysely<Database>, id: string): Promise<JobDetail> {
  let query = scopedJobs(ctx, trx).select('id').where('id', '=', id);
  if (ctx.dialect === 'postgres') query = query.forUpdate();
  if (!(await query.executeTakeFirst())) throw notFound(`job "${id}" was not found`);
  return getJob(ctx, id, trx);
}

function raw(job: JobDetail): JobRow {
  const { steps: _steps, payload, ...rest } = job;
  return { ...rest, payload: JSON.stringify(payload) };
}

function toJob(row: JobRow): JobView {
  return { ...normalise(row), payload: JSON.parse(row.payload) as Record<string, unknown> };
}

/** How many jobs are in each status, for /metrics (the platform's view). */
export async function jobQueueDepth(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('jobs').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
