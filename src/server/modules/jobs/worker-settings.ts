import type { Services } from '../../context.js';
import { provisioningDriver, simulatedFromEnv, type ProvisioningSettings } from '../deployments/drivers/settings.js';
import { DEFAULT_PROBE_SETTINGS, type ProbeSettings } from '../health/probe.js';
import { scheduleBackups } from '../backups/job.js';
import { scheduleProbes, scheduleRollups } from '../health/jobs.js';
import { expireDueQuotes } from '../quotes/expiry.js';
import { scheduleSlaChecks } from '../tickets/sla-check.js';
import { Worker, type Schedule } from './worker.js';

/** A worker as the server's own configuration describes it (flags of `server start` / `worker`, or their environment variables). */
export interface WorkerSettings {
  provisioning: ProvisioningSettings;
  leaseMs?: number;
  pollMs?: number;
  log?: (line: string) => void;
  /** health probes: how often (0: never on their own), how slow is degraded, the timeouts */
  probe?: ProbeSettings;
}

const HOUR_MS = 3600_000;
const MINUTE_MS = 60_000;

/** The simulated driver's knobs (DOTMAC_SIM_STEP_MS, DOTMAC_SIM_FAIL_STEP) come from this process's environment unless given. */
export function workerFrom(services: Services, settings: WorkerSettings, env: NodeJS.ProcessEnv = process.env): Worker {
  const provisioning = provisioningDriver({ ...simulatedFromEnv(env), ...withoutUndefined(settings.provisioning), driver: settings.provisioning.driver });
  const probe = settings.probe ?? DEFAULT_PROBE_SETTINGS;
  const schedules: Schedule[] = [
    { name: 'metric roll-ups', everyMs: HOUR_MS, queue: scheduleRollups },
    // a tenant's backup schedule is checked every minute, so a backup is at most a minute late
    { name: 'backups', everyMs: MINUTE_MS, queue: scheduleBackups },
    // quotes expire after 23:59:59 UTC on their valid-until day: checked every five minutes
    { name: 'quote expiry', everyMs: 5 * MINUTE_MS, queue: expireDueQuotes },
    // a ticket's response SLA is checked every minute, so a breach is marked and escalated at most a minute late
    { name: 'ticket SLA', everyMs: MINUTE_MS, queue: scheduleSlaChecks },
  ];
  if (probe.intervalMs > 0) schedules.push({ name: 'health probes', everyMs: probe.intervalMs, queue: scheduleProbes });
  return new Worker(services, { leaseMs: settings.leaseMs, pollMs: settings.pollMs, log: settings.log, env: { provisioning, probe }, schedules });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
