import { BACKUP_JOB, backupJob, MANUAL_BACKUP_JOB, manualBackupJob } from '../backups/job.js';
import { deploymentJob } from '../deployments/job.js';
import { PROBE_JOB, probeJob, ROLLUP_JOB, rollupJob } from '../health/jobs.js';
import { SLA_JOB, slaJob } from '../tickets/sla-check.js';
import type { JobKind } from './kind.js';

/** Every kind of job a worker runs, by the `kind` its rows carry. A new kind is one line here. */
export const JOB_KINDS: Record<string, JobKind> = {
  deployment: deploymentJob,
  [MANUAL_BACKUP_JOB]: manualBackupJob,
  [BACKUP_JOB]: backupJob,
  [PROBE_JOB]: probeJob,
  [ROLLUP_JOB]: rollupJob,
  [SLA_JOB]: slaJob,
};

export const JOB_KIND_NAMES = Object.keys(JOB_KINDS);
