import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiClient } from '../client/api-client.js';
import { signingKeyPath } from '../core/workspace-files.js';
import { configPath, readConfig, type ConfigFile } from './config.js';
import { resolveProfile, type ResolvedProfile } from './profiles.js';
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
    width: stdoutIsTTY ? terminalWidth(process.stdout.columns, env) : undefined,
    canPrompt: stdoutIsTTY && stdinIsTTY,
  };
}

/**
 * A terminal that reports no size (0 columns: a pty nobody sized, a serial console) is taken to
 * be $COLUMNS wide, else 80, as less and ls do; fitting a table into 0 columns would drop all but one.
 */
export function terminalWidth(reported: number | undefined, env: NodeJS.ProcessEnv): number {
  if (reported && reported > 0) return reported;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 80;
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
    private readonly stderr: (text: string) => void = (text) => process.stderr.write(text),
  ) {}

  get configPath(): string {
    return configPath(this.env);
  }

  config(): Promise<ConfigFile> {
    return (this.configFile ??= readConfig(this.configPath, (warning) => this.notify(warning)));
  }

  /** The profile in use; how the environment changed it is said once, on stderr. */
  profile(): Promise<ResolvedProfile> {
    return (this.resolved ??= this.config().then((cfg) => {
      const profile = resolveProfile(cfg, { profile: this.profileFlag, env: this.env });
      for (const notice of profile.notices) this.notify(notice);
      this.resolvedProfile = profile;
      return profile;
    }));
  }

  /** The profile once resolved, for error hints (undefined if resolving failed or never happened). */
  resolvedProfile?: ResolvedProfile;

  private readonly told = new Set<string>();

  /** A line for stderr, said once per command however often it comes up. */
  notify(line: string): void {
    if (this.told.has(line)) return;
    this.told.add(line);
    this.stderr(`${line}\n`);
  }

  client(): Promise<ApiClient> {
    return (this.apiClient ??= this.profile().then((profile) => clientFor(profile)));
  }

  /** Forget what was read, after a command has rewritten the config file. */
  reload(): void {
    this.configFile = undefined;
    this.resolved = undefined;
    this.resolvedProfile = undefined;
    this.apiClient = undefined;
  }

  async close(): Promise<void> {
    if (this.apiClient) await (await this.apiClient.catch(() => undefined))?.transport.close();
  }
}

export async function clientFor(profile: Pick<ResolvedProfile, 'name' | 'api' | 'token' | 'db' | 'dataDir'>): Promise<ApiClient> {
  const { ApiClient } = await import('../client/api-client.js');
  if (!profile.token) {
    throw new CliError(`profile "${profile.name}" has no token`, 'run `dotmac login --with-token` (reads the token from standard input), or set DOTMAC_TOKEN', EXIT.unauthenticated, 'unauthenticated');
  }
  if (profile.api === 'local') {
    if (!profile.db) throw new CliError(`profile "${profile.name}" names no database`, 'run `dotmac init`, or set DOTMAC_DB', EXIT.usage, 'usage');
    const { localTransport } = await import('../client/transports/local.js');
    // The key beside the database signs its tokens; a database without one (a backup copy, say)
    // is read with the key of the profile's workspace.
    const beside = dirname(profile.db);
    const dataDir = existsSync(signingKeyPath(beside)) ? beside : (profile.dataDir ?? process.env.DOTMAC_HOME ?? beside);
    return new ApiClient(localTransport({ dbPath: profile.db, keyPath: signingKeyPath(dataDir) }), profile.token);
  }
  const { httpTransport } = await import('../client/transports/http.js');
  return new ApiClient(await httpTransport(profile.api), profile.token);
}
