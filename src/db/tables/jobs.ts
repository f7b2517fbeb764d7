import type { Selectable } from 'kysely';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Long work, leased by a worker (DESIGN §3). Every job belongs to a tenant: row-level security
 * holds it like any tenant-owned row, and a worker works on it under that tenant's scope.
 */
export interface JobsTable {
  id: string;
  tenant_id: string;
  kind: string;
  /** JSON */
  payload: string;
  status: JobStatus;
  /** leases taken so far */
  attempts: number;
  max_attempts: number;
  /** not before (ISO-8601 UTC); scheduled work is a job with a future run_at */
  run_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** One row per finished step: a job taken again skips the steps recorded here. */
export interface JobStepsTable {
  job_id: string;
  tenant_id: string;
  step: string;
  /** 1 for the first step the job finished, and so on */
  position: number;
  finished_at: string;
  /** the worker that finished it */
  worker: string;
}

export type JobRow = Selectable<JobsTable>;
export type JobStepRow = Selectable<JobStepsTable>;
