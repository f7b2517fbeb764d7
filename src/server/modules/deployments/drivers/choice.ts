import { accessSync, constants, statSync } from 'node:fs';

// The rules for choosing a provisioning driver, shared by the flags of `worker` / `server start`
// (src/cli/worker-flags.ts) and local mode, which reads the same settings from the environment:
// one set of checks, so a setting refused by one is refused by the other with the same words.

export const DRIVERS = ['simulated', 'exec'] as const;
export type DriverName = (typeof DRIVERS)[number];

export const DEFAULT_PROVISION_TIMEOUT_SECONDS = 600;

/** Node clamps a longer timer to 1 ms, which would kill every program at once. */
export const MAX_PROVISION_TIMEOUT_SECONDS = 86_400;

/** What a setting is called where it was given: a flag, or the environment variable. */
export interface SettingNames {
  driver: string;
  command: string;
  timeout: string;
  /** how to say "the exec driver" */
  exec: string;
  /** how to name a program */
  commandExample: string;
}

export const FLAG_NAMES: SettingNames = { driver: '--driver', command: '--provision-command', timeout: '--provision-timeout', exec: '--driver exec', commandExample: '--provision-command /path/to/provision (or DOTMAC_PROVISION_COMMAND)' };
export const ENV_NAMES: SettingNames = { driver: 'DOTMAC_DRIVER', command: 'DOTMAC_PROVISION_COMMAND', timeout: 'DOTMAC_PROVISION_TIMEOUT', exec: 'DOTMAC_DRIVER=exec', commandExample: 'DOTMAC_PROVISION_COMMAND=/path/to/provision' };

/** A setting that cannot be used: a one-line message naming it, and what to do instead. */
export interface SettingProblem {
  message: string;
  hint: string;
}

/** Seconds from 1 to 24 h; anything else throws (a flag's parse: oclif prefixes the flag's name). */
export function provisionTimeoutSeconds(text: string): number {
  const seconds = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_PROVISION_TIMEOUT_SECONDS) {
    throw new Error(`must be a whole number of seconds from 1 to ${MAX_PROVISION_TIMEOUT_SECONDS} (24 h), not ${JSON.stringify(text)}`);
  }
  return seconds;
}

/** The driver and its program go together: exec needs a program this user may run, and a program needs exec. */
export function provisioningProblem(given: { driver: string; command?: string }, names: SettingNames): SettingProblem | undefined {
  const { driver, command } = given;
  if (driver === 'exec') {
    if (!command) return { message: `${names.exec} needs ${names.command}`, hint: `name the provisioning program: ${names.commandExample}` };
    if (!isExecutableFile(command)) return { message: `${names.command} ${command} is not an executable file`, hint: 'give the path of a program this user may run' };
  } else if (command) {
    return { message: `${names.command} needs ${names.exec}`, hint: `add ${names.exec} to run it, or leave out ${names.command} for the simulated driver` };
  }
  return undefined;
}

export interface LocalProvisioning {
  driver: DriverName;
  provisionCommand?: string;
  provisionTimeoutSeconds?: number;
}

/**
 * Local mode's worker (a command's --wait, `deployments watch`) is configured like `dotmac worker`,
 * through DOTMAC_DRIVER, DOTMAC_PROVISION_COMMAND and DOTMAC_PROVISION_TIMEOUT, checked the same
 * way. An empty variable counts as unset, as it does for a flag.
 */
export function localProvisioning(env: NodeJS.ProcessEnv): LocalProvisioning | SettingProblem {
  const driver = env.DOTMAC_DRIVER || 'simulated';
  if (!(DRIVERS as readonly string[]).includes(driver)) {
    return { message: `Expected ${ENV_NAMES.driver}=${driver} to be one of: ${DRIVERS.join(', ')}`, hint: `set ${ENV_NAMES.driver} to simulated or exec, or unset it` };
  }
  let timeout: number | undefined;
  if (env.DOTMAC_PROVISION_TIMEOUT) {
    try {
      timeout = provisionTimeoutSeconds(env.DOTMAC_PROVISION_TIMEOUT);
    } catch (error) {
      return { message: `${ENV_NAMES.timeout}: ${(error as Error).message}`, hint: `set ${ENV_NAMES.timeout} to seconds, e.g. 600, or unset it` };
    }
  }
  const command = env.DOTMAC_PROVISION_COMMAND || undefined;
  const problem = provisioningProblem({ driver, command }, ENV_NAMES);
  if (problem) return problem;
  return { driver: driver as DriverName, provisionCommand: command, provisionTimeoutSeconds: timeout };
}

export function isSettingProblem(value: LocalProvisioning | SettingProblem): value is SettingProblem {
  return 'message' in value;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
