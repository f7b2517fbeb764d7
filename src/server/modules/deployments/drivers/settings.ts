import { AppError } from '../../../../core/errors.js';
import { DEFAULT_PROVISION_TIMEOUT_SECONDS, isSettingProblem, localProvisioning } from './choice.js';
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

export function provisioningDriver(settings: ProvisioningSettings): ProvisioningDriver {
  if (settings.driver === 'exec') {
    if (!settings.provisionCommand) throw new Error('the exec driver needs --provision-command (DOTMAC_PROVISION_COMMAND)');
    // the flags and the environment are held to 1 s–24 h (choice.ts); the driver's timer cannot overflow either way
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
 * Local mode's worker (a command's --wait, `deployments watch`) is configured like `dotmac worker`,
 * through the environment: DOTMAC_DRIVER, DOTMAC_PROVISION_COMMAND, DOTMAC_PROVISION_TIMEOUT
 * (refused as the worker's flags are, an `invalid` error: exit 2), and the simulated driver's
 * DOTMAC_SIM_STEP_MS and DOTMAC_SIM_FAIL_STEP.
 */
export function provisioningFromEnv(env: NodeJS.ProcessEnv): ProvisioningSettings {
  const chosen = localProvisioning(env);
  if (isSettingProblem(chosen)) throw new AppError('invalid', chosen.message, { hint: chosen.hint });
  return { ...chosen, ...simulatedFromEnv(env) };
}
