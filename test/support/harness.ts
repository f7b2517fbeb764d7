import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, Migrator, type Kysely, type Migration } from 'kysely';
import { ApiClient } from '../../src/client/api-client.js';
import { inProcessTransport } from '../../src/client/transports/local.js';
import { fixedClock } from '../../src/core/clock.js';
import { connect, type Connection, type DatabaseTarget } from '../../src/db/connect.js';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { signingKeysFromPem, generateSigningKeyPem, type AuditKey, type SigningKeys } from '../../src/server/auth/keys.js';
import { openAuditKey } from '../../src/server/modules/audit/seal.js';
import { sealStoredSecrets } from '../../src/server/modules/configs/seal-stored.js';
import { ensureMigrated } from '../../src/server/workspace.js';
import { issueBootstrapToken } from '../../src/server/modules/tokens/service.js';

/** Which database the API suite runs on: DOTMAC_TEST_DIALECT=postgres selects PostgreSQL. */
export const DIALECT = process.env.DOTMAC_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
export const PG_URL = process.env.DOTMAC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestApi {
  app: ReturnType<typeof createApp>;
  /** the database as its owner (on PostgreSQL not held by row-level security), for tests to set up and inspect rows */
  connection: Connection;
  /** what the app's queries run through: on PostgreSQL as dotmac_app, as `server start` runs them */
  apiConnection: Connection;
  keys: SigningKeys;
  /** the audit key the chain is sealed with, as `dotmac init` would have written it beside the signing key */
  auditKey: AuditKey;
  clock: ReturnType<typeof fixedClock>;
  /** a client holding the bootstrap master_admin token */
  admin: ApiClient;
  /** a client with the given token (or none) */
  as(token?: string): ApiClient;
  close(): Promise<void>;
}

/**
 * kysely's migrator lists the tables of every schema in the database before it migrates, naming
 * each by text (`pg_get_serial_sequence('schema.table', ...)`), which fails with "schema ... does
 * not exist" when another test file drops its schema meanwhile. Test files run in parallel on one
 * database, so migrations hold this advisory lock shared and schema drops hold it exclusively.
 */
const SCHEMA_LOCK = 7_462_021;

async function holdingSchemaLock<T>(mode: 'shared' | 'exclusive', work: (admin: Kysely<any>) => Promise<T>): Promise<T> {
  const admin = await connect({ dialect: 'postgres', url: PG_URL });
  const suffix = mode === 'shared' ? '_shared' : '';
  try {
    return await admin.db.connection().execute(async (session) => {
      await session.executeQuery(CompiledQuery.raw(`select pg_advisory_lock${suffix}(${SCHEMA_LOCK})`));
      try {
        return await work(session);
      } finally {
        await session.executeQuery(CompiledQuery.raw(`select pg_advisory_unlock${suffix}(${SCHEMA_LOCK})`));
      }
    });
  } finally {
    await admin.close();
  }
}

/**
 * A fresh database (a temp SQLite file, or a new PostgreSQL schema), migrated to the latest
 * schema, or only through `migrations` (to build a database as an older release left it; `{}` for none).
 */
export async function freshDatabase(
  migrations?: Record<string, Migration>,
): Promise<{ connection: Connection; target: DatabaseTarget; path?: string; drop(): Promise<void> }> {
  const migrate = async (connection: Connection, schema?: string) => {
    if (!migrations) return ensureMigrated(connection);
    const migrator = new Migrator({ db: connection.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  };
  if (DIALECT === 'postgres') {
    const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const root = await connect({ dialect: 'postgres', url: PG_URL });
    await root.db.executeQuery(CompiledQuery.raw(`create schema ${schema}`));
    await root.close();
    const target = { dialect: 'postgres', url: PG_URL, schema } as const;
    const connection = await connect(target);
    await holdingSchemaLock('shared', () => migrate(connection, schema));
    return {
      connection,
      target,
      async drop() {
        await connection.close();
        await holdingSchemaLock('exclusive', (admin) => admin.executeQuery(CompiledQuery.raw(`drop schema ${schema} cascade`)));
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'dotmac-test-'));
  const path = join(dir, 'dotmac.db');
  const target = { dialect: 'sqlite', path } as const;
  const connection = await connect(target);
  await migrate(connection);
  return {
    connection,
    target,
    path,
    async drop() {
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startTestApi(options: Partial<Pick<AppOptions, 'rateLimit' | 'maxBodyBytes' | 'clientAddress' | 'onInternalError' | 'metrics' | 'metricsSecret' | 'probe' | 'sharedReadsMs'>> = {}): Promise<TestApi> {
  const { connection, target, drop } = await freshDatabase();
  const apiConnection = target.dialect === 'postgres' ? await connect(target, { as: 'api' }) : connection;
  options.metrics?.watchDatabase(apiConnection);
  const keyDir = await mkdtemp(join(tmpdir(), 'dotmac-test-keys-'));
  const keys = await signingKeysFromPem(generateSigningKeyPem());
  const auditKey = await openAuditKey(connection.db, connection.dialect, join(keyDir, 'audit-key'));
  await sealStoredSecrets(connection.db, connection.dialect, auditKey);
  const clock = fixedClock(new Date());
  const services = { db: connection.db, dialect: connection.dialect, keys, auditKey, clock };
  const app = createApp({
    ...services,
    db: apiConnection.db,
    rateLimit: options.rateLimit ?? false,
    maxBodyBytes: options.maxBodyBytes,
    clientAddress: options.clientAddress,
    onInternalError: options.onInternalError,
    metrics: options.metrics,
    metricsSecret: options.metricsSecret,
    probe: options.probe,
    // a test reads what it just wrote straight into the database: answers are shared only while
    // being computed, unless a test asks for more (test/server/shared-reads.test.ts)
    sharedReadsMs: options.sharedReadsMs ?? 0,
  });
  const bootstrap = await issueBootstrapToken(services);
  // requests still running when a test ends (a dashboard's poll) finish before the database closes
  const inFlight = new Set<Promise<unknown>>();
  const fetch = (req: Request) => {
    const answer = Promise.resolve(app.fetch(req));
    inFlight.add(answer);
    void answer.finally(() => inFlight.delete(answer)).catch(() => undefined);
    return answer;
  };
  const as = (token?: string) => new ApiClient(inProcessTransport(fetch), token);
  const close = async () => {
    await Promise.allSettled([...inFlight]);
    if (apiConnection !== connection) await apiConnection.close();
    await drop();
    await rm(keyDir, { recursive: true, force: true });
  };
  return { app, connection, apiConnection, keys, auditKey, clock, admin: as(bootstrap.token), as, close };
}
