import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { JobRow } from '../../../db/tables/jobs.js';
import type { ServiceContext } from '../../context.js';
import type { ProvisioningDriver } from '../deployments/drivers/driver.js';
import type { ProbeSettings } from '../health/probe.js';

/** What the server's own configuration gives the jobs (never a request): drivers and the like. */
export interface JobEnvironment {
  provisioning: ProvisioningDriver;
  /** how health probes run (default DEFAULT_PROBE_SETTINGS) */
  probe?: ProbeSettings;
}

/** One run of a job by a worker that holds its lease. */
export interface JobRun {
  job: JobRow;
  payload: Record<string, unknown>;
  /** the steps finished so far, by this run or an earlier one; finishStep adds to it */
  completed: Set<string>;
  /** aborted when the lease is lost, the job is cancelled, or the worker is stopping */
  signal: AbortSignal;
  env: JobEnvironment;
  /** A read under the job's tenant's scope. */
  read<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** One write transaction under the job's tenant's scope, only while this worker holds the lease (else LeaseLost). */
  write<T>(work: (trx: Kysely<Database>, ctx: ServiceContext) => Promise<T>): Promise<T>;
  /** Records `step` as finished together with what `work` writes, in one transaction; a recorded step is skipped. */
  finishStep(step: string, work?: (trx: Kysely<Database>, ctx: ServiceContext) => Promise<void>): Promise<void>;
}

export interface JobEnd {
  status: 'failed' | 'cancelled';
  reason: string;
}

/**
 * A kind of job: its work, and what its own rows become when the job ends without succeeding or is
 * queued again. Adding a kind is one entry in JOB_KINDS (kinds.ts).
 */
export interface JobKind {
  run(run: JobRun): Promise<void>;
  /** In the transaction that fails or cancels the job. */
  settle?(trx: Kysely<Database>, ctx: ServiceContext, job: JobRow, end: JobEnd): Promise<void>;
  /** In the transaction that retries the job (may refuse with a conflict). */
  requeue?(trx: Kysely<Database>, ctx: ServiceContext, job: JobRow): Promise<void>;
}

/** A failure that is the job's own outcome (a provisioning step failed): the job fails, no retry. */
export class JobFailure extends Error {
  override name = 'JobFailure';
}

/** The worker no longer holds the job (its lease expired and another took it, or it was cancelled). */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}
