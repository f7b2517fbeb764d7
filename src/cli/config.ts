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

/**
 * Checks an API value and brings it to its base form: no trailing slash, and no trailing `/v1`
 * (the client adds it to every path). `source` names where the value came from, for the message.
 */
export function normalizeApi(value: string, source = '--api'): { api: string; note?: string } {
  if (!isApi(value)) {
    throw usageError(`${source} must be "local" or an http(s) URL`, 'for example --api local or --api https://api.example.net');
  }
  const trimmed = value.replace(/\/+$/, '');
  const base = trimmed.replace(/\/v1$/i, '');
  if (base === trimmed) return { api: trimmed };
  return { api: base, note: `${source} ends in /v1; using ${base}, the API's base URL` };
}

export function parseApi(value: string, source = '--api'): string {
  return normalizeApi(value, source).api;
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

/** What readConfig says about a file others can read: printed once on stderr by the caller. */
export type ConfigWarning = (message: string) => void;

/**
 * Reads the profiles. Like ssh with a private key, a file that other users can change (or that
 * another user owns) is refused: its profiles could point this CLI anywhere. One that others can
 * read is used, with a warning, since the tokens in it are already exposed.
 */
export async function readConfig(path: string, warn: ConfigWarning = () => undefined): Promise<ConfigFile> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      checkPermissions(path, await file.stat(), warn);
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
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

function checkPermissions(path: string, stats: { mode: number; uid: number }, warn: ConfigWarning): void {
  if (process.platform === 'win32') return;
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new CliError(`config file ${path} belongs to another user; refusing to use it`, `check who made it, then remove it or \`chown\` it to yourself`, EXIT.error, 'config');
  }
  if (stats.mode & 0o022) {
    throw new CliError(`config file ${path} can be changed by other users (mode ${mode}); refusing to use it`, `check it has not been tampered with, then run \`chmod 600 ${path}\``, EXIT.error, 'config');
  }
  if (stats.mode & 0o044) warn(`Warning: config file ${path} is readable by other users (mode ${mode}) and holds tokens; run \`chmod 600 ${path}\``);
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
