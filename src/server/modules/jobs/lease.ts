import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { JobRow } from '../../../db/tables/jobs.js';
import type { Services } from '../../context.js';
import { JOB_KINDS } from './kinds.js';
import { LeaseLost } from './kind.js';
import { PLATFORM_SCOPE, scopedRead, scopedWrite } from './worker-db.js';
import { workerContext } from './worker-context.js';

/**
 * Takes the next due job: a queued one whose run_at has come, or a running one whose lease ran
 * out (its worker died). Atomic on both databases: PostgreSQL skips rows other workers hold
 * locked (FOR UPDATE SKIP LOCKED); SQLite's write transaction begins IMMEDIATE, one writer at a
 * time. A job taken max_attempts times without finishing fails instead.
 */
export async function leaseJob(services: Services, workerId: string, leaseMs: number, only?: string): Promise<JobRow | undefined> {
  // a read first: an idle worker polls without ever taking the write lock (on SQLite, a worker
  // paused inside an empty write transaction would stall every other writer)
  const anyDue = await scopedRead(services.db, PLATFORM_SCOPE, (db) => dueJobs(db, services.clock.now().toISOString(), only).select('id').executeTakeFirst());
  if (!anyDue) return undefined;
  return scopedWrite(services.db, services.dialect, PLATFORM_SCOPE, async (trx) => {
    for (;;) {
      const now = services.clock.now();
      const at = now.toISOString();
      let query = dueJobs(trx, at, only).selectAll();
      if (services.dialect === 'postgres') query = query.forUpdate().skipLocked();
      const found = await query.executeTakeFirst();
      if (!found) return undefined;
      const job = normalise(found);
      if (job.attempts >= job.max_attempts) {
        await endJob(trx, services, job, workerId, { status: 'failed', reason: `its worker stopped before finishing it ${job.attempts} times` });
        continue;
      }
      const leased: JobRow = { ...job, status: 'running', attempts: job.attempts + 1, lease_owner: workerId, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(), updated_at: at };
      await trx
        .updateTable('jobs')
        .set({ status: leased.status, attempts: leased.attempts, lease_owner: workerId, lease_expires_at: leased.lease_expires_at, updated_at: at })
        .where('id', '=', job.id)
        .execute();
      return leased;
    }
  });
}

/** Jobs a worker may take at `at`, oldest first, at most one: queued and due, or running with a lapsed lease. */
function dueJobs(db: Kysely<Database>, at: string, only?: string) {
  const query = db
    .selectFrom('jobs')
    .where((eb) => eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', at)]), eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', at)])]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(1);
  return only ? query.where('id', '=', only) : query;
}

/** Pushes the lease forward; false when this worker no longer holds it. */
export async function renewLease(services: Services, job: JobRow, workerId: string, leaseMs: number): Promise<boolean> {
  return scopedWrite(services.db, services.dialect, PLATFORM_SCOPE, async (trx) => {
    const now = services.clock.now();
    const result = await trx
      .updateTable('jobs')
      .set({ lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(), updated_at: now.toISOString() })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', workerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
}

/** Inside a write: the job is still running under this worker's lease, else LeaseLost. Locks the row on PostgreSQL. */
export async function holdLease(trx: Kysely<Database>, services: Services, jobId: string, workerId: string): Promise<void> {
  let query = trx.selectFrom('jobs').select(['status', 'lease_owner']).where('id', '=', jobId);
  if (services.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row || row.status !== 'running' || row.lease_owner !== workerId) throw new LeaseLost(`job ${jobId} is no longer held by ${workerId}`);
}

/** Fails or cancels a job and lets its kind settle its own rows, in `trx`. */
export async function endJob(trx: Kysely<Database>, services: Services, job: JobRow, workerId: string, end: { status: 'failed' | 'cancelled'; reason: string }): Promise<void> {
  const at = services.clock.now().toISOString();
  await trx
    .updateTable('jobs')
    .set({ status: end.status, last_error: end.reason, lease_owner: null, lease_expires_at: null, updated_at: at, finished_at: at })
    .where('id', '=', job.id)
    .execute();
  await JOB_KINDS[job.kind]?.settle?.(trx, workerContext({ ...services, db: trx }, job, workerId), job, end);
}

/** A stopping worker hands its job back at once, rather than leaving it until the lease runs out. */
export async function releaseLease(services: Services, job: JobRow, workerId: string): Promise<void> {
  await scopedWrite(services.db, services.dialect, PLATFORM_SCOPE, async (trx) => {
    await trx
      .updateTable('jobs')
      .set({ status: 'queued', lease_owner: null, lease_expires_at: null, updated_at: services.clock.now().toISOString() })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', workerId)
      .execute();
  });
}

export function normalise(row: JobRow): JobRow {
  return { ...row, attempts: Number(row.attempts), max_attempts: Number(row.max_attempts) };
}
