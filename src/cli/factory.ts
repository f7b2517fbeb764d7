import { dirname } from 'node:path';
import type { ApiClient } from '../client/api-client.js';
import { signingKeyPath } from '../core/workspace-files.js';
import { configPath, readConfig, resolveProfile, type ConfigFile, type ResolvedProfile } from './config.js';
import { CliError, EXIT } from './errors.js';
import { colorEnabled } from './output.js';

/** Terminal facts, decided once: tests construct their own. */
export interface IO {
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  color: boolean;
  width: number | undefined;
  /** prompting needs a person on both ends */
  canPrompt: boolean;
}

export function detectIO(env: NodeJS.ProcessEnv = process.env): IO {
  const stdoutIsTTY = process.stdout.isTTY === true;
  const stdinIsTTY = process.stdin.isTTY === true;
  return {
    stdoutIsTTY,
    stdinIsTTY,
    color: colorEnabled(process.stdout, env),
    width: stdoutIsTTY ? process.stdout.columns : undefined,
    canPrompt: stdoutIsTTY && stdinIsTTY,
  };
}

/**
 * The lazily built dependencies of a command: config, profile, API client. A command never reads
 * config or builds a client itself.
 */
export class Factory {
  private configFile?: Promise<ConfigFile>;
  private resolved?: Promise<ResolvedProfile>;
  private apiClient?: Promise<ApiClient>;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly io: IO,
    private readonly profileFlag?: string,
  ) {}

  get configPath(): string {
    return configPath(this.env);
  }

  config(): Promise<ConfigFile> {
    return (this.configFile ??= readConfig(this.configPath));
  }

  profile(): Promise<ResolvedProfile> {
    return (this.resolved ??= this.config().then((cfg) => resolveProfile(cfg, { profile: this.profileFlag, env: this.env })));
  }

  client(): Promise<ApiClient> {
    return (this.apiClient ??= this.profile().then((profile) => clientFor(profile)));
  }

  /** Forget what was read, after a command has rewritten the config file. */
  reload(): void {
    this.configFile = undefined;
    this.resolved = undefined;
    this.apiClient = undefined;
  }

  async close(): Promise<void> {
    if (this.apiClient) await (await this.apiClient.catch(() => undefined))?.transport.close();
  }
}

export async function clientFor(profile: ResolvedProfile): Promise<ApiClient> {
  const { ApiClient } = await import('../client/api-client.js');
  if (!profile.token) {
    throw new CliError(`profile "${profile.name}" has no token`, 'run `dotmac login --token TOKEN`, or set DOTMAC_TOKEN', EXIT.unauthenticated, 'unauthenticated');
  }
  if (profile.api === 'local') {
    if (!profile.db) throw new CliError(`profile "${profile.name}" names no database`, 'run `dotmac init`, or set DOTMAC_DB', EXIT.usage, 'usage');
    const { localTransport } = await import('../client/transports/local.js');
    const dataDir = profile.dataDir ?? process.env.DOTMAC_HOME ?? dirname(profile.db);
    return new ApiClient(localTransport({ dbPath: profile.db, keyPath: signingKeyPath(dataDir) }), profile.token);
  }
  const { httpTransport } = await import('../client/transports/http.js');
  return new ApiClient(await httpTransport(profile.api), profile.token);
}
