import { Flags } from '@oclif/core';
import type { ProbeSettings } from '../server/modules/health/probe.js';
import type { WorkerSettings } from '../server/modules/jobs/worker-settings.js';
import { DEFAULT_PROVISION_TIMEOUT_SECONDS, DRIVERS, FLAG_NAMES, MAX_PROVISION_TIMEOUT_SECONDS, provisioningProblem, provisionTimeoutSeconds } from '../server/modules/deployments/drivers/choice.js';
import { usageError } from './errors.js';

/** How a worker is configured: in the server's own configuration, never by a request. */
export const workerFlags = {
  driver: Flags.string({ description: 'provisioning driver: simulated (steps take DOTMAC_SIM_STEP_MS; DOTMAC_SIM_FAIL_STEP=STEP fails one) or exec', options: [...DRIVERS], default: 'simulated', env: 'DOTMAC_DRIVER', helpGroup: 'WORKER' }),
  'provision-command': Flags.string({
    description: 'exec driver: the program to run (no shell, no arguments); it reads the deployment as JSON on stdin and prints one JSON progress line per step',
    env: 'DOTMAC_PROVISION_COMMAND',
    helpGroup: 'WORKER',
  }),
  'provision-timeout': Flags.custom<number>({
    description: `exec driver: seconds (at most ${MAX_PROVISION_TIMEOUT_SECONDS}, 24 h) before the command (its whole process group) is killed`,
    default: DEFAULT_PROVISION_TIMEOUT_SECONDS,
    env: 'DOTMAC_PROVISION_TIMEOUT',
    helpGroup: 'WORKER',
    parse: async (value) => provisionTimeoutSeconds(value),
  })(),
  'lease-seconds': Flags.integer({ description: 'how long a job\'s lease lasts; renewed while it runs, taken by another worker once it runs out', default: 30, min: 1, env: 'DOTMAC_LEASE_SECONDS', helpGroup: 'WORKER' }),
};

/** How instance health is probed: by the worker every --probe-interval, and by `health probe` through this server. */
export const probeFlags = {
  'probe-interval': Flags.integer({ description: 'seconds between the worker\'s probes of every tenant\'s current deployment (GET {endpoint_url}/health); 0: only `health probe`', default: 60, min: 0, env: 'DOTMAC_PROBE_INTERVAL', helpGroup: 'HEALTH' }),
  'probe-degraded-ms': Flags.integer({ description: 'a healthy answer slower than this many milliseconds is "degraded"', default: 1000, min: 1, env: 'DOTMAC_PROBE_DEGRADED_MS', helpGroup: 'HEALTH' }),
  'probe-connect-timeout-ms': Flags.integer({ description: 'milliseconds to wait for a probe\'s connection', default: 2000, min: 1, env: 'DOTMAC_PROBE_CONNECT_TIMEOUT_MS', helpGroup: 'HEALTH' }),
  'probe-timeout-ms': Flags.integer({ description: 'milliseconds to wait for a probe\'s whole answer ("down" after that)', default: 5000, min: 1, env: 'DOTMAC_PROBE_TIMEOUT_MS', helpGroup: 'HEALTH' }),
};

export function probeSettings(flags: { 'probe-interval': number; 'probe-degraded-ms': number; 'probe-connect-timeout-ms': number; 'probe-timeout-ms': number }): ProbeSettings {
  return { intervalMs: flags['probe-interval'] * 1000, degradedMs: flags['probe-degraded-ms'], connectTimeoutMs: flags['probe-connect-timeout-ms'], timeoutMs: flags['probe-timeout-ms'] };
}

export function workerSettings(
  flags: { driver: string; 'provision-command'?: string; 'provision-timeout': number; 'lease-seconds': number } & Parameters<typeof probeSettings>[0],
  log: (line: string) => void,
): WorkerSettings {
  const command = flags['provision-command'];
  const problem = provisioningProblem({ driver: flags.driver, command }, FLAG_NAMES);
  if (problem) throw usageError(problem.message, problem.hint);
  return {
    // the simulated driver's DOTMAC_SIM_* are read from the environment by the worker itself
    provisioning: { driver: flags.driver === 'exec' ? 'exec' : 'simulated', provisionCommand: command, provisionTimeoutSeconds: flags['provision-timeout'] },
    leaseMs: flags['lease-seconds'] * 1000,
    log,
    probe: probeSettings(flags),
  };
}
