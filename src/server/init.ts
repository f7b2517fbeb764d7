import { constants } from 'node:fs';
import { chmod, mkdir, open, rm } from 'node:fs/promises';
import { systemClock, type Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { connect } from '../db/connect.js';
import { auditKeyPath, databasePath, pathExists, signingKeyPath } from '../core/workspace-files.js';
import { createAuditKeyFile, createSigningKeyFile, readSigningKeys } from './auth/keys.js';
import type { ServiceContext } from './context.js';
import { seedDemo } from './demo/seed.js';
import { openAuditKey } from './modules/audit/seal.js';
import { sealStoredSecrets } from './modules/configs/seal-stored.js';
import { issueBootstrapToken } from './modules/tokens/service.js';
import { ensureMigrated } from './workspace.js';

export interface InitResult {
  created: boolean;
  dir: string;
  db: string;
  keyPath: string;
  token?: string;
  seeded?: { resellers: number; tenants: number };
}

export interface InitOptions {
  demoTenants?: number;
  /** a PostgreSQL database instead of the workspace's SQLite file (the key still lives in `dir`) */
  databaseUrl?: string;
  clock?: Clock;
}

/**
 * Creates a workspace: a directory (0700) with the SQLite database (or a migrated PostgreSQL
 * database), an Ed25519 signing key and an audit key (both 0600, never in the database) and a
 * bootstrap master_admin token. An existing workspace is left exactly as it is.
 */
export async function initWorkspace(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const db = options.databaseUrl ?? databasePath(dir);
  const keyPath = signingKeyPath(dir);
  const exists = (!options.databaseUrl && (await pathExists(db))) || (await pathExists(keyPath)) || (await pathExists(auditKeyPath(dir)));
  if (exists) return { created: false, dir, db, keyPath };
  // Only a directory made here is ours to lock down; an existing one keeps the mode its owner gave it.
  const made = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (made !== undefined) await chmod(dir, 0o700);
  const created: string[] = [];
  try {
    return await createWorkspaceFiles(dir, db, keyPath, options, created);
  } catch (error) {
    // A refused init (a PostgreSQL database another workspace sealed, say) leaves nothing behind
    // that the next attempt would mistake for a workspace; only what this call made is removed.
    await Promise.all(created.map((path) => rm(path, { force: true })));
    if (made !== undefined) await rm(made, { recursive: true, force: true });
    throw error;
  }
}

async function createWorkspaceFiles(dir: string, db: string, keyPath: string, options: InitOptions, created: string[]): Promise<InitResult> {
  await createSigningKeyFile(keyPath);
  created.push(keyPath);
  await createAuditKeyFile(auditKeyPath(dir));
  created.push(auditKeyPath(dir));
  // SQLite would create the file through a symlink, with the umask's mode; an empty file made here
  // (0600, never through a symlink) is a valid empty database for it to open.
  if (!options.databaseUrl) {
    await (await open(db, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600)).close();
    created.push(db, `${db}-wal`, `${db}-shm`, `${db}-journal`);
  }
  const connection = await connect(options.databaseUrl ? { dialect: 'postgres', url: options.databaseUrl } : { dialect: 'sqlite', path: db });
  try {
    await ensureMigrated(connection);
    const services = {
      db: connection.db,
      dialect: connection.dialect,
      keys: await readSigningKeys(keyPath),
      auditKey: await openAuditKey(connection.db, connection.dialect, auditKeyPath(dir)),
      clock: options.clock ?? systemClock,
    };
    await sealStoredSecrets(connection.db, connection.dialect, services.auditKey);
    const issued = await issueBootstrapToken(services);
    let seeded;
    if (options.demoTenants) {
      const ctx: ServiceContext = {
        ...services,
        principal: { userId: issued.user_id, role: 'master_admin', tenantId: null, resellerId: null, jti: issued.jti },
        requestId: newId('request'),
        clientRequestId: null,
        reason: 'demo data',
      };
      seeded = await seedDemo(ctx, options.demoTenants);
    }
    return { created: true, dir, db, keyPath, token: issued.token, seeded };
  } finally {
    await connection.close();
  }
}
