import type { Kysely } from 'kysely';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { JobRow } from '../../../db/tables/jobs.js';
import type { ServiceContext, Services } from '../../context.js';
import { PLATFORM_SCOPE, scopedRead, scopedWrite } from './worker-db.js';

export interface NewJob {
  tenantId: string;
  kind: string;
  payload: Record<string, unknown>;
  /** default: now; scheduled work gives a later time */
  runAt?: Date;
  /** how many times a worker may take it before it fails for good (a worker that dies counts) */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** Queues a job inside the caller's write transaction, so it exists exactly when the change that needs it does. */
export async function enqueueJob(trx: Kysely<Database>, ctx: Pick<ServiceContext, 'clock'>, job: NewJob): Promise<JobRow> {
  const now = ctx.clock.now().toISOString();
  const row: JobRow = {
    id: newId('job'),
    tenant_id: job.tenantId,
    kind: job.kind,
    payload: JSON.stringify(job.payload),
    status: 'queued',
    attempts: 0,
    max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    run_at: (job.runAt ?? ctx.clock.now()).toISOString(),
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  await trx.insertInto('jobs').values(row).execute();
  return row;
}

/**
 * Scheduled work (probes, roll-ups, backups): a job of `kind` for each tenant `due` names, unless
 * one is pending. It reads first, as the platform, and takes a write transaction only when some
 * tenant needs a job, so an idle worker never holds the database's write lock on a tick (on
 * SQLite a paused worker inside an empty transaction would stall every writer).
 */
export async function enqueueDue(services: Services, kind: string, due: (db: Kysely<Database>) => Promise<string[]>, maxAttempts?: number): Promise<number> {
  const needed = async (db: Kysely<Database>) => {
    const tenants = await due(db);
    if (tenants.length === 0) return [];
    const pending = new Set((await db.selectFrom('jobs').select('tenant_id').where('kind', '=', kind).where('status', 'in', ['queued', 'running']).execute()).map((r) => r.tenant_id));
    return tenants.filter((tenantId) => !pending.has(tenantId));
  };
  if ((await scopedRead(services.db, PLATFORM_SCOPE, needed)).length === 0) return 0;
  return scopedWrite(services.db, services.dialect, PLATFORM_SCOPE, async (trx) => {
    const tenants = await needed(trx);
    for (const tenantId of tenants) await enqueueJob(trx, services, { tenantId, kind, payload: {}, maxAttempts });
    return tenants.length;
  });
}
