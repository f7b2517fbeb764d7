import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

import { CliError, EXIT, usageError } from './errors.js';

export interface Profile {
  /** 'local' or an http(s) URL */
  api: string;
  token?: string;
  /** SQLite path, local only */
  db?: string;
  /** local workspace dir holding the signing key */
  dataDir?: string;
  readOnly?: boolean;
}

export interface ConfigFile {
  current?: string;
  profiles: Record<string, Profile>;
}

export interface ResolvedProfile {
  name: string;
  api: string;
  token?: string;
  db?: string;
  dataDir?: string;
  readOnly: boolean;
}

const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

const homeDir = (env: NodeJS.ProcessEnv): string => set(env.HOME) ?? homedir();

// The XDG spec says relative values must be ignored.
function xdgDir(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const value = set(env[variable]);
  return value !== undefined && isAbsolute(value) ? value : join(homeDir(env), fallback);
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDir(env, 'XDG_CONFIG_HOME', '.config'), 'dotmac', 'config.json');
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDir(env, 'XDG_DATA_HOME', join('.local', 'share')), 'dotmac');
}

function isApi(value: string): boolean {
  if (value === 'local') return true;
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/** `source` names where the value came from, for the message: a flag or an environment variable. */
export function parseApi(value: string, source = '--api'): string {
  if (!isApi(value)) {
    throw usageError(`${source} must be "local" or an http(s) URL`, 'for example --api local or --api https://api.example.net');
  }
  return value.replace(/\/+$/, '');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class ShapeError extends Error {}

function validateProfile(name: string, raw: unknown): Profile {
  if (!isObject(raw)) throw new ShapeError(`profile "${name}" is not an object`);
  if (typeof raw.api !== 'string') throw new ShapeError(`profile "${name}" has no api`);
  if (!isApi(raw.api)) throw new ShapeError(`profile "${name}" api is not "local" or an http(s) URL`);
  const profile: Profile = { api: raw.api };
  for (const field of ['token', 'db', 'dataDir'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ShapeError(`profile "${name}" ${field} is not a string`);
    profile[field] = value;
  }
  if (raw.readOnly !== undefined) {
    if (typeof raw.readOnly !== 'boolean') throw new ShapeError(`profile "${name}" readOnly is not true or false`);
    profile.readOnly = raw.readOnly;
  }
  return profile;
}

function validateConfig(raw: unknown): ConfigFile {
  if (!isObject(raw)) throw new ShapeError('it is not a JSON object');
  if (!isObject(raw.profiles)) throw new ShapeError('"profiles" is missing or not an object');
  if (raw.current !== undefined && typeof raw.current !== 'string') throw new ShapeError('"current" is not a string');
  // fromEntries defines own properties, so a profile named "__proto__" cannot touch the prototype.
  const profiles = Object.fromEntries(
    Object.entries(raw.profiles).map(([name, profile]) => [name, validateProfile(name, profile)]),
  );
  return raw.current === undefined ? { profiles } : { current: raw.current, profiles };
}

const configError = (path: string, reason: string) =>
  new CliError(
    `config file ${path} is not valid: ${reason}`,
    'fix or remove it, then run `dotmac init` or `dotmac login` again',
    EXIT.error,
    'config',
  );

export async function readConfig(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { profiles: {} };
    throw new CliError(`config file ${path} cannot be read (${code ?? 'unknown error'})`, 'check its permissions', EXIT.error, 'config');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw configError(path, 'it is not JSON');
  }
  try {
    return validateConfig(raw);
  } catch (err) {
    if (err instanceof ShapeError) throw configError(path, err.message);
    throw err;
  }
}

export async function writeConfig(path: string, cfg: ConfigFile): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Same directory as the target so rename() is atomic; never a half-written config with a token in it.
  const temp = join(dir, `.config.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(cfg, null, 2)}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

const hasProfile = (cfg: ConfigFile, name: string): boolean => Object.hasOwn(cfg.profiles, name);

const unknownProfile = (name: string) =>
  usageError(`profile "${name}" does not exist`, 'run `dotmac profiles list` to see the saved profiles');

export function resolveProfile(
  cfg: ConfigFile,
  opts: { profile?: string; env?: NodeJS.ProcessEnv } = {},
): ResolvedProfile {
  const env = opts.env ?? process.env;
  const explicit = set(opts.profile) ?? set(env.DOTMAC_PROFILE);
  const name = explicit ?? cfg.current;
  const saved = name !== undefined && hasProfile(cfg, name) ? cfg.profiles[name] : undefined;
  if (explicit !== undefined && saved === undefined) throw unknownProfile(explicit);

  const envApi = set(env.DOTMAC_API_URL);
  const envDb = set(env.DOTMAC_DB);
  let api = saved?.api;
  if (envApi !== undefined) api = parseApi(envApi, 'DOTMAC_API_URL');
  else if (envDb !== undefined) api = 'local';
  if (api === undefined) {
    throw new CliError(
      'no profile is configured',
      'run `dotmac init` for a local workspace, or `dotmac login --api URL --token TOKEN`',
      EXIT.unauthenticated,
      'unauthenticated',
    );
  }

  const resolved: ResolvedProfile = { name: saved && name !== undefined ? name : 'env', api, readOnly: saved?.readOnly ?? false };
  const token = set(env.DOTMAC_TOKEN) ?? saved?.token;
  const db = envDb ?? saved?.db;
  if (token !== undefined) resolved.token = token;
  if (db !== undefined) resolved.db = db;
  if (saved?.dataDir !== undefined) resolved.dataDir = saved.dataDir;
  return resolved;
}

/** Adds or replaces a profile. The first profile saved becomes current even without makeCurrent. */
export function upsertProfile(
  cfg: ConfigFile,
  name: string,
  profile: Profile,
  opts: { makeCurrent?: boolean } = {},
): ConfigFile {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw usageError(`profile name "${name}" is not valid`, 'use letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  const current = opts.makeCurrent || cfg.current === undefined ? name : cfg.current;
  return { current, profiles: { ...cfg.profiles, [name]: { ...profile } } };
}

/** Removing the current profile leaves no profile current. */
export function removeProfile(cfg: ConfigFile, name: string): ConfigFile {
  if (!hasProfile(cfg, name)) throw unknownProfile(name);
  const profiles = Object.fromEntries(Object.entries(cfg.profiles).filter(([key]) => key !== name));
  return cfg.current === undefined || cfg.current === name ? { profiles } : { current: cfg.current, profiles };
}

export function useProfile(cfg: ConfigFile, name: string): ConfigFile {
  if (!hasProfile(cfg, name)) throw unknownProfile(name);
  return { ...cfg, current: name };
}
