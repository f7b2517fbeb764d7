import { dirname, join, resolve } from 'node:path';
import { defaultDataDir } from './config.js';
import type { Factory } from './factory.js';

export interface WorkspaceLocation {
  /** the directory holding the signing key */
  dir: string;
  /** the SQLite database file */
  db: string;
}

/**
 * Where the commands that operate a local install (`server start`, `db ...`) find it: their
 * --dir/--db flags (or DOTMAC_HOME/DOTMAC_DB), else the current profile's local workspace, else
 * $XDG_DATA_HOME/dotmac.
 */
export async function locateWorkspace(factory: Factory, flags: { dir?: string; db?: string }): Promise<WorkspaceLocation> {
  if (flags.dir) {
    const dir = resolve(flags.dir);
    return { dir, db: resolve(flags.db ?? join(dir, 'dotmac.db')) };
  }
  const profile = await factory.profile().catch(() => undefined);
  if (profile?.api === 'local' && profile.db) {
    const db = resolve(flags.db ?? profile.db);
    return { dir: resolve(profile.dataDir ?? dirname(profile.db)), db };
  }
  const dir = resolve(defaultDataDir(factory.env));
  return { dir, db: resolve(flags.db ?? join(dir, 'dotmac.db')) };
}
