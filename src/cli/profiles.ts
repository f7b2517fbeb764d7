import { normalizeApi, type ConfigFile, type Profile } from './config.js';
import { CliError, EXIT, usageError } from './errors.js';

/** How the profile in use was chosen. */
export type ProfileSelection = 'flag' | 'DOTMAC_PROFILE' | 'current' | 'environment only';

export interface ResolvedProfile {
  /** the saved profile's name, or "env" when the environment alone describes the API */
  name: string;
  api: string;
  token?: string;
  db?: string;
  dataDir?: string;
  readOnly: boolean;
  selectedBy: ProfileSelection;
  /** where the API and token came from, as a person would name it: `profile "acme"`, `DOTMAC_TOKEN` */
  apiSource: string;
  tokenSource: string | null;
  /** one line each, for stderr: every time the environment overrode or was overridden */
  notices: string[];
}

const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

const hasProfile = (cfg: ConfigFile, name: string): boolean => Object.hasOwn(cfg.profiles, name);

const unknownProfile = (name: string, source: string) =>
  usageError(`profile "${name}" does not exist${source === '--profile' ? '' : ` (named by ${source})`}`, 'run `dotmac profiles list` to see the saved profiles');

/**
 * Which API and token a command uses. A flag a person typed beats the environment, and the
 * environment beats the saved config: `--profile` uses that saved profile exactly as saved, while
 * DOTMAC_PROFILE, DOTMAC_API_URL, DOTMAC_TOKEN and DOTMAC_DB apply only without it. Every time one
 * of them overrides (or is ignored in favour of) a saved profile, a notice says so.
 */
export function resolveProfile(cfg: ConfigFile, opts: { profile?: string; env?: NodeJS.ProcessEnv } = {}): ResolvedProfile {
  const env = opts.env ?? process.env;
  const notices: string[] = [];
  const flag = set(opts.profile);
  const envProfile = set(env.DOTMAC_PROFILE);
  let name: string | undefined;
  let selectedBy: ProfileSelection;
  if (flag !== undefined) [name, selectedBy] = [flag, 'flag'];
  else if (envProfile !== undefined) [name, selectedBy] = [envProfile, 'DOTMAC_PROFILE'];
  else [name, selectedBy] = [cfg.current, 'current'];
  const saved = name !== undefined && hasProfile(cfg, name) ? cfg.profiles[name] : undefined;
  if (selectedBy !== 'current' && saved === undefined) throw unknownProfile(name!, selectedBy === 'flag' ? '--profile' : 'DOTMAC_PROFILE');
  if (selectedBy === 'DOTMAC_PROFILE' && cfg.current !== undefined && cfg.current !== name) {
    notices.push(`Note: DOTMAC_PROFILE selects profile "${name}", not the current profile "${cfg.current}"`);
  }

  const overrides = {
    DOTMAC_API_URL: set(env.DOTMAC_API_URL),
    DOTMAC_TOKEN: set(env.DOTMAC_TOKEN),
    DOTMAC_DB: set(env.DOTMAC_DB),
  };
  const present = Object.entries(overrides).filter(([, value]) => value !== undefined).map(([variable]) => variable);
  if (selectedBy === 'flag') {
    if (present.length > 0) notices.push(`Note: --profile ${name} given; ignoring ${present.join(', ')} from the environment`);
    return fromSaved(name!, saved!, selectedBy, notices);
  }

  const label = saved ? `profile "${name}"` : undefined;
  let api = saved?.api;
  let apiSource = label;
  if (overrides.DOTMAC_API_URL !== undefined) {
    const normal = normalizeApi(overrides.DOTMAC_API_URL, 'DOTMAC_API_URL');
    if (normal.note) notices.push(`Note: ${normal.note}`);
    [api, apiSource] = [normal.api, 'DOTMAC_API_URL'];
  } else if (overrides.DOTMAC_DB !== undefined) {
    [api, apiSource] = ['local', 'DOTMAC_DB'];
  }
  if (api === undefined || apiSource === undefined) {
    throw new CliError('no profile is configured', 'run `dotmac init` for a local workspace, or `dotmac login --api URL --with-token`', EXIT.unauthenticated, 'unauthenticated');
  }
  const token = overrides.DOTMAC_TOKEN ?? saved?.token;
  const tokenSource = overrides.DOTMAC_TOKEN !== undefined ? 'DOTMAC_TOKEN' : saved?.token !== undefined ? label! : null;
  const db = overrides.DOTMAC_DB ?? saved?.db;
  if (saved) {
    if (apiSource !== label && api !== saved.api) notices.push(`Note: ${apiSource} overrides the API of ${label} (${describeApi(saved)})`);
    if (overrides.DOTMAC_DB !== undefined && api === 'local' && saved.db !== undefined && saved.db !== overrides.DOTMAC_DB) {
      notices.push(`Note: DOTMAC_DB overrides the database of ${label}`);
    }
    if (tokenSource === 'DOTMAC_TOKEN' && saved.token !== undefined && saved.token !== token) notices.push(`Note: DOTMAC_TOKEN overrides the token of ${label}`);
  }
  const resolved: ResolvedProfile = {
    name: saved ? name! : 'env',
    api,
    readOnly: saved?.readOnly ?? false,
    selectedBy: saved ? selectedBy : 'environment only',
    apiSource,
    tokenSource,
    notices,
  };
  if (token !== undefined) resolved.token = token;
  if (db !== undefined) resolved.db = db;
  if (saved?.dataDir !== undefined && api === 'local') resolved.dataDir = saved.dataDir;
  return resolved;
}

function fromSaved(name: string, saved: Profile, selectedBy: ProfileSelection, notices: string[]): ResolvedProfile {
  const label = `profile "${name}"`;
  const resolved: ResolvedProfile = {
    name,
    api: saved.api,
    readOnly: saved.readOnly ?? false,
    selectedBy,
    apiSource: label,
    tokenSource: saved.token !== undefined ? label : null,
    notices,
  };
  if (saved.token !== undefined) resolved.token = saved.token;
  if (saved.db !== undefined) resolved.db = saved.db;
  if (saved.dataDir !== undefined) resolved.dataDir = saved.dataDir;
  return resolved;
}

/** "local workspace /path" or the URL, for messages. */
export function describeApi(profile: Pick<Profile, 'api' | 'db'>): string {
  return profile.api === 'local' ? `local workspace ${profile.db ?? '(no database)'}` : profile.api;
}

function describeProfile(profile: Profile): string {
  return `${describeApi(profile)}${profile.readOnly ? ', read-only' : ''}`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkProfileName(name: string): string {
  if (!NAME.test(name)) throw usageError(`profile name "${name}" is not valid`, 'use letters, digits, ".", "_" or "-", starting with a letter or digit');
  return name;
}

/** Adds or replaces a profile as given. The first profile saved becomes current even without makeCurrent. */
export function upsertProfile(cfg: ConfigFile, name: string, profile: Profile, opts: { makeCurrent?: boolean } = {}): ConfigFile {
  checkProfileName(name);
  const current = opts.makeCurrent || cfg.current === undefined ? name : cfg.current;
  return { current, profiles: { ...cfg.profiles, [name]: { ...profile } } };
}

export interface SavedProfile {
  cfg: ConfigFile;
  /** what happened, in one line for stderr */
  message: string;
}

/**
 * Saves a profile the way `login` and `profiles add` do. A profile that names another API or
 * database, or that is read-only while the new one is not, is replaced only with `force`; a
 * profile for the same place just gets its new token. The message says which happened.
 */
export function saveProfile(cfg: ConfigFile, name: string, profile: Profile, opts: { makeCurrent?: boolean; force?: boolean } = {}): SavedProfile {
  checkProfileName(name);
  const existing = hasProfile(cfg, name) ? cfg.profiles[name] : undefined;
  const next = upsertProfile(cfg, name, profile, opts);
  if (!existing) return { cfg: next, message: `Saved profile "${name}" (${describeProfile(profile)}).` };
  const samePlace = existing.api === profile.api && (profile.api !== 'local' || existing.db === profile.db);
  const losesReadOnly = existing.readOnly === true && !profile.readOnly;
  if (!samePlace || losesReadOnly) {
    if (!opts.force) {
      const why = !samePlace ? `names ${describeApi(existing)}` : 'is read-only';
      throw new CliError(
        `profile "${name}" already exists and ${why}; nothing was changed`,
        `pass --force to replace it, or choose another name (\`dotmac profiles list\`)`,
        EXIT.conflict,
        'conflict',
      );
    }
    return { cfg: next, message: `Replaced profile "${name}" (was ${describeProfile(existing)}; now ${describeProfile(profile)}).` };
  }
  return { cfg: next, message: `Updated profile "${name}" (${describeProfile(profile)}).` };
}

/** Removing the current profile leaves no profile current. */
export function removeProfile(cfg: ConfigFile, name: string): ConfigFile {
  if (!hasProfile(cfg, name)) throw unknownProfile(name, '--profile');
  const profiles = Object.fromEntries(Object.entries(cfg.profiles).filter(([key]) => key !== name));
  return cfg.current === undefined || cfg.current === name ? { profiles } : { current: cfg.current, profiles };
}

export function useProfile(cfg: ConfigFile, name: string): ConfigFile {
  if (!hasProfile(cfg, name)) throw unknownProfile(name, '--profile');
  return { ...cfg, current: name };
}

/**
 * A name for a new local profile: `preferred` if it is free or already names this database,
 * else the workspace directory's name, numbered until it is free.
 */
export function freeProfileName(cfg: ConfigFile, preferred: string, db: string, dirName: string): string {
  const fits = (name: string) => !hasProfile(cfg, name) || (cfg.profiles[name]!.api === 'local' && cfg.profiles[name]!.db === db);
  if (fits(preferred)) return preferred;
  const base = dirName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'workspace';
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (fits(candidate)) return candidate;
  }
}
