import { dirname } from 'node:path';
import { sql } from 'kysely';
import { AppError } from '../core/errors.js';
import { auditKeyPath, pathExists } from '../core/workspace-files.js';
import { connect, type Connection, type DatabaseTarget } from '../db/connect.js';
import { migrateToLatest, sqliteMigrationMark } from '../db/migrate.js';
import type { AppOptions } from './build-app.js';
import { lazyApp, type FetchApp } from './lazy-app.js';
import { ROUTE_MODULES } from './route-modules.js';
import { readSigningKeys, type SigningKeys } from './auth/keys.js';
import { openAuditKey } from './modules/audit/seal.js';
import { sealStoredSecrets, secretsUnfinished } from './modules/configs/seal-stored.js';
import { systemClock } from '../core/clock.js';
import type { Services } from './context.js';
import { startupMark } from '../core/startup-trace.js';

export interface Workspace {
  connection: Connection;
  keys: SigningKeys;
  app: FetchApp;
  /** what the app is built from, for a worker beside it */
  services: Services;
  close(): Promise<void>;
}

export interface WorkspaceOptions extends Omit<AppOptions, 'db' | 'dialect' | 'keys' | 'auditKey'> {
  target: DatabaseTarget;
  /** the signing key; the audit key is the `audit-key` file beside it */
  keyPath: string;
  /**
   * Local mode answers a request or two per process: build only the route modules a request
   * needs (lazy-app.ts), not the whole API.
   */
  lazyRoutes?: boolean;
  /** what opening could not finish yet and will try again (sealStoredSecrets), for the caller to say */
  notice?: (line: string) => void;
}

/**
 * Opens a database, the signing key and the audit key, and builds the app over them. A SQLite
 * file must already exist (`dotmac init` makes it); one that is behind the code's migrations is
 * brought forward, a chain from before keyed chains is keyed (see openAuditKey), and secrets
 * from before sealing are sealed (sealStoredSecrets). On
 * PostgreSQL that upkeep runs as the URL's own user, and the app's queries as dotmac_app.
 */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const { target, keyPath, lazyRoutes, notice, ...appOptions } = options;
  if (target.dialect === 'sqlite') await mustExist(target.path, 'database');
  await mustExist(keyPath, 'signing key');
  const [owner, keys] = await Promise.all([connect(target), readSigningKeys(keyPath)]);
  startupMark('database connected, signing key read');
  let auditKey;
  try {
    await ensureMigrated(owner).catch(migrationRefused);
    startupMark('schema current');
    auditKey = await openAuditKey(owner.db, owner.dialect, auditKeyPath(dirname(keyPath)));
    const notYet = await sealStoredSecrets(owner.db, owner.dialect, auditKey);
    if (notYet) notice?.(notYet);
    startupMark('audit key read, secrets sealed');
  } catch (error) {
    await owner.close();
    throw error;
  }
  let connection = owner;
  if (target.dialect === 'postgres') {
    await owner.close();
    connection = await connect(target, { as: 'api' });
  }
  appOptions.metrics?.watchDatabase(connection);
  const services: Services = { db: connection.db, dialect: connection.dialect, keys, auditKey, clock: appOptions.clock ?? systemClock };
  const app = lazyRoutes ? lazyApp({ ...appOptions, ...services }, ROUTE_MODULES) : (await import('./app.js')).createApp({ ...appOptions, ...services });
  startupMark('app built');
  return { connection, keys, app, services, close: () => connection.close() };
}

/**
 * `db migrate`: seals configuration secrets as the schema's owner, who alone may rewrite the space
 * their plain values left on PostgreSQL. It needs the workspace's audit key (`keyPath`: its signing
 * key, beside it); without one, the first server that opens the database seals them, and this
 * says so when there is anything left to do. What is left undone is returned.
 */
export async function sealSecretsAsOwner(owner: Connection, keyPath: string | undefined): Promise<string | undefined> {
  const path = keyPath && auditKeyPath(dirname(keyPath));
  if (!path || !(await pathExists(path))) {
    if (!(await secretsUnfinished(owner.db))) return undefined;
    return owner.dialect === 'postgres'
      ? `configuration secrets are not sealed and scrubbed yet: give --dir (the workspace holding this database's audit-key) to do it now, as the owner; otherwise the first server or command to open the database seals them`
      : `configuration secrets are not sealed and scrubbed yet, and there is no audit-key beside the database to do it with: the first command that opens it with its workspace's keys does`;
  }
  return sealStoredSecrets(owner.db, owner.dialect, await openAuditKey(owner.db, owner.dialect, path));
}

/**
 * SQLite records its migrations in user_version (migrate.ts, sqliteMigrationMark), so the common
 * case costs one pragma; any other mark runs the migrator, which refuses a database with
 * migrations this release does not know.
 */
export async function ensureMigrated(connection: Connection): Promise<void> {
  if (connection.dialect === 'sqlite') {
    const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(connection.db);
    if (Number(rows[0]?.user_version ?? 0) === sqliteMigrationMark()) return;
  }
  await migrateToLatest(connection.db);
}

/**
 * A server may connect as a login role that is only a member of dotmac_app: it starts while the
 * schema is current, and says who must migrate it when it is not.
 */
function migrationRefused(error: unknown): never {
  if ((error as { code?: string } | null)?.code !== '42501') throw error;
  throw new AppError('unavailable', `the database needs migrating, and this connection's user may not: ${(error as Error).message}`, {
    hint: 'run `dotmac db migrate --dir <this workspace> --database-url <the owner\'s URL>` once, then start the servers again',
  });
}

async function mustExist(path: string, what: string): Promise<void> {
  if (!(await pathExists(path))) {
    throw new AppError('unavailable', `no ${what} at ${path}`, { hint: 'run `dotmac init` to create a workspace, or point --db / DOTMAC_DB at one' });
  }
}
