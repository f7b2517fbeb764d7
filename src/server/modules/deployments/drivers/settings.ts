import type { ProvisioningDriver } from './driver.js';
import { execDriver } from './exec.js';
import { simulatedDriver } from './simulated.js';

export interface ProvisioningSettings {
  driver: 'simulated' | 'exec';
  /** exec: the operator's command */
  provisionCommand?: string;
  /** exec: seconds before the command is killed */
  provisionTimeoutSeconds?: number;
  /** simulated: milliseconds per step */
  simStepMs?: number;
  /** simulated: the step to fail */
  simFailStep?: string;
}

export const DEFAULT_SIM_STEP_MS = 1000;
export const DEFAULT_PROVISION_TIMEOUT_SECONDS = 600;

export function provisioningDriver(settings: ProvisioningSettings): ProvisioningDriver {
  if (settings.driver === 'exec') {
    if (!settings.provisionCommand) throw new Error('the exec driver needs --provision-command (DOTMAC_PROVISION_COMMAND)');
    return execDriver({ command: settings.provisionCommand, timeoutMs: (settings.provisionTimeoutSeconds ?? DEFAULT_PROVISION_TIMEOUT_SECONDS) * 1000 });
  }
  return simulatedDriver({ stepMs: settings.simStepMs ?? DEFAULT_SIM_STEP_MS, failStep: settings.simFailStep || undefined });
}

/** The simulated driver's knobs come from the environment of the process running the worker. */
export function simulatedFromEnv(env: NodeJS.ProcessEnv): Pick<ProvisioningSettings, 'simStepMs' | 'simFailStep'> {
  const ms = Number(env.DOTMAC_SIM_STEP_MS);
  return { simStepMs: env.DOTMAC_SIM_STEP_MS && Number.isFinite(ms) && ms >= 0 ? ms : undefined, simFailStep: env.DOTMAC_SIM_FAIL_STEP || undefined };
}

/**
 * Local mode's worker (a command's --wait) is configured like `dotmac worker`, through the
 * environment: DOTMAC_DRIVER, DOTMAC_PROVISION_COMMAND, DOTMAC_PROVISION_TIMEOUT, and the
 * simulated driver's DOTMAC_SIM_STEP_MS and DOTMAC_SIM_FAIL_STEP.
 */
export function provisioningFromEnv(env: NodeJS.ProcessEnv): ProvisioningSettings {
  const timeout = Number(env.DOTMAC_PROVISION_TIMEOUT);
  return {
    driver: env.DOTMAC_DRIVER === 'exec' ? 'exec' : 'simulated',
    provisionCommand: env.DOTMAC_PROVISION_COMMAND || undefined,
    provisionTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
    ...simulatedFromEnv(env),
  };
}
