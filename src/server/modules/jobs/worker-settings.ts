import type { Services } from '../../context.js';
import { provisioningDriver, simulatedFromEnv, type ProvisioningSettings } from '../deployments/drivers/settings.js';
import { Worker } from './worker.js';

/** A worker as the server's own configuration describes it (flags of `server start` / `worker`, or their environment variables). */
export interface WorkerSettings {
  provisioning: ProvisioningSettings;
  leaseMs?: number;
  pollMs?: number;
  log?: (line: string) => void;
}

/** The simulated driver's knobs (DOTMAC_SIM_STEP_MS, DOTMAC_SIM_FAIL_STEP) come from this process's environment unless given. */
export function workerFrom(services: Services, settings: WorkerSettings, env: NodeJS.ProcessEnv = process.env): Worker {
  const provisioning = provisioningDriver({ ...simulatedFromEnv(env), ...withoutUndefined(settings.provisioning), driver: settings.provisioning.driver });
  return new Worker(services, { leaseMs: settings.leaseMs, pollMs: settings.pollMs, log: settings.log, env: { provisioning } });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
