import { basename, dirname, resolve } from 'node:path';
import { databasePath, signingKeyPath } from '../core/workspace-files.js';
import { loadServer } from '../server/load.js';
import { defaultDataDir, writeConfig } from './config.js';
import { describeApi, freeProfileName, saveProfile } from './profiles.js';
import type { Factory } from './factory.js';

export interface WorkspaceLocation {
  /** the directory holding the signing key */
  dir: string;
  /** the SQLite database file */
  db: string;
  /** the Ed25519 signing key in `dir` */
  key: string;
}

/**
 * Where the commands that operate a local install (`server start`, `db ...`) find it: their
 * --dir/--db flags (or DOTMAC_HOME/DOTMAC_DB), else the current profile's local workspace, else
 * $XDG_DATA_HOME/dotmac.
 */
export async function locateWorkspace(factory: Factory, flags: { dir?: string; db?: string }): Promise<WorkspaceLocation> {
  const at = (dir: string, db?: string) => ({ dir, db: resolve(flags.db ?? db ?? databasePath(dir)), key: signingKeyPath(dir) });
  if (flags.dir) return at(resolve(flags.dir));
  const profile = await factory.profile().catch(() => undefined);
  if (profile?.api === 'local' && profile.db) return at(resolve(profile.dataDir ?? dirname(profile.db)), profile.db);
  return at(resolve(defaultDataDir(factory.env)));
}

/** How many tenants `init --demo` and `npm start` seed. */
export const DEMO_TENANTS = 250;

/**
 * `dotmac init` for a local workspace: creates it (nothing changes if one is there) and, when it
 * was created, saves a local profile holding its bootstrap token and makes it current. The profile
 * is `--profile`, else "local"; when "local" already names another workspace it is left alone and
 * the new profile is named after the directory. A named profile that points elsewhere is refused
 * before anything is created.
 */
export async function createLocalWorkspace(factory: Factory, dir: string, options: { profile?: string; demoTenants?: number }) {
  const cfg = await factory.config();
  const db = databasePath(dir);
  const name = options.profile ?? freeProfileName(cfg, 'local', db, basename(dir));
  const place = { api: 'local', db, dataDir: dir };
  saveProfile(cfg, name, place);
  const { initWorkspace } = await loadServer();
  const result = await initWorkspace(dir, { demoTenants: options.demoTenants });
  let notice: string | undefined;
  if (result.created) {
    const saved = saveProfile(cfg, name, { ...place, token: result.token }, { makeCurrent: true });
    await writeConfig(factory.configPath, saved.cfg);
    factory.reload();
    if (name !== (options.profile ?? 'local')) notice = `Profile "local" already names ${describeApi(cfg.profiles.local!)}; it is unchanged, and this workspace's profile is "${name}".`;
  }
  return { ...result, profile: name, notice };
}

/**
 * `--init-demo` (`npm start`): with no profile and no DOTMAC_DB / DOTMAC_API_URL yet, first creates
 * a local workspace with demo data (DOTMAC_HOME, else the default data directory).
 */
export async function initDemoIfNew(factory: Factory, note: (line: string) => void): Promise<void> {
  const cfg = await factory.config();
  const hasProfile = Object.keys(cfg.profiles).length > 0 || factory.env.DOTMAC_DB || factory.env.DOTMAC_API_URL;
  if (hasProfile) return;
  const dir = resolve(factory.env.DOTMAC_HOME ?? defaultDataDir(factory.env));
  const result = await createLocalWorkspace(factory, dir, { profile: 'local', demoTenants: DEMO_TENANTS });
  if (result.created) note(`Created a local workspace with demo data at ${dir} (profile "local").`);
}
