import { dirname, resolve } from 'node:path';
import { databasePath, signingKeyPath } from '../core/workspace-files.js';
import { loadServer } from '../server/load.js';
import { defaultDataDir, upsertProfile, writeConfig } from './config.js';
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
 * was created, saves a local profile holding its bootstrap token and makes it current.
 */
export async function createLocalWorkspace(factory: Factory, dir: string, options: { profile: string; demoTenants?: number }) {
  const { initWorkspace } = await loadServer();
  const result = await initWorkspace(dir, { demoTenants: options.demoTenants });
  if (result.created) {
    const cfg = await factory.config();
    await writeConfig(factory.configPath, upsertProfile(cfg, options.profile, { api: 'local', db: result.db, dataDir: dir, token: result.token }, { makeCurrent: true }));
    factory.reload();
  }
  return result;
}
