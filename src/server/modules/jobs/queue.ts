import type { Kysely } from 'kysely';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { JobRow } from '../../../db/tables/jobs.js';
import type { ServiceContext } from '../../context.js';

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

/** Queues a job of `kind` for each tenant given, unless one is already queued or running; how many were queued. */
export async function enqueueUnlessPending(trx: Kysely<Database>, ctx: Pick<ServiceContext, 'clock'>, kind: string, tenantIds: string[], maxAttempts?: number): Promise<number> {
  if (tenantIds.length === 0) return 0;
  const pending = new Set(
    (await trx.selectFrom('jobs').select('tenant_id').where('kind', '=', kind).where('status', 'in', ['queued', 'running']).execute()).map((r) => r.tenant_id),
  );
  const due = tenantIds.filter((tenantId) => !pending.has(tenantId));
  for (const tenantId of due) await enqueueJob(trx, ctx, { tenantId, kind, payload: {}, maxAttempts });
  return due.length;
}
