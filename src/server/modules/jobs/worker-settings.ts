import type { Services } from '../../context.js';
import { provisioningDriver, type ProvisioningSettings } from '../deployments/drivers/settings.js';
import { Worker } from './worker.js';

/** A worker as the server's own configuration describes it (flags of `server start` / `worker`, or their environment variables). */
export interface WorkerSettings {
  provisioning: ProvisioningSettings;
  leaseMs?: number;
  pollMs?: number;
  log?: (line: string) => void;
}

export function workerFrom(services: Services, settings: WorkerSettings): Worker {
  return new Worker(services, { leaseMs: settings.leaseMs, pollMs: settings.pollMs, log: settings.log, env: { provisioning: provisioningDriver(settings.provisioning) } });
}
