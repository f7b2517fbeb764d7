import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { conflict } from '../../src/core/errors.js';
import type { DatabaseTarget } from '../../src/db/connect.js';
import type { Database } from '../../src/db/database.js';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { generateSigningKeyPem, signingKeysFromPem } from '../../src/server/auth/keys.js';
import { openAuditKey } from '../../src/server/modules/audit/seal.js';
import { issueBootstrapToken } from '../../src/server/modules/tokens/service.js';
import { freshDatabase } from '../support/harness.js';
import { read } from './problem-response.js';

/**
 * An Idempotency-Key commits with the change its request makes and the answer. A server killed in
 * the middle of a POST must not leave the key behind as "still in progress": the client's retry
 * with the same key, on the server that comes back, acts once. (The kill -9 trials,
 * bench/durability/kill-trials.js, found it: the key was claimed in a transaction of its own
 * before the change ran, so a kill in between kept every retry at 409 for the key's 24 hours.)
 */

let database: Awaited<ReturnType<typeof freshDatabase>>;
let keyDir: string;
let services: Pick<AppOptions, 'dialect' | 'keys' | 'auditKey' | 'clock'>;
let token: string;

beforeAll(async () => {
  database = await freshDatabase();
  keyDir = await mkdtemp(join(tmpdir(), 'dotmac-test-keys-'));
  const { connection } = database;
  const keys = await signingKeysFromPem(generateSigningKeyPem());
  const auditKey = await openAuditKey(connection.db, connection.dialect, join(keyDir, 'audit-key'));
  services = { dialect: connection.dialect, keys, auditKey, clock: fixedClock(new Date()) };
  token = (await issueBootstrapToken({ ...services, db: connection.db, clock: services.clock! })).token;
});
afterAll(async () => {
  await database.drop();
  await rm(keyDir, { recursive: true, force: true });
});

/** Holds every insert into `table` after it has run, until release() (or for ever). */
class PauseAfterInsert implements KyselyPlugin {
  readonly reached: Promise<void>;
  private signal!: () => void;
  private resume!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.resume = resolve));
  private readonly inserts = new WeakSet<object>();

  constructor(private readonly table: string) {
    this.reached = new Promise((resolve) => (this.signal = resolve));
  }

  release(): void {
    this.resume();
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === this.table) this.inserts.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.inserts.has(queryId)) return result;
    this.signal();
    await this.released;
    return result;
  }
}

function createTenant(slug: string, key: string): Request {
  return new Request('http://dotmac.test/v1/tenants', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ slug, name: `Tenant ${slug}` }),
  });
}

const tenantsWithSlug = (slug: string) => database.connection.db.selectFrom('tenants').select('id').where('slug', '=', slug).execute();

/**
 * A connection of its own to the test database, for a server about to die, and crash(): what
 * the operating system does to a killed process's connection (SQLite: the file handle closes;
 * PostgreSQL: the backend goes), rolling back whatever transaction it had open.
 */
async function doomedConnection(target: DatabaseTarget, plugin: KyselyPlugin) {
  if (target.dialect === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    const sqlite = new SQLite(target.path, { timeout: 10_000 });
    sqlite.pragma('journal_mode = WAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [plugin] });
    return { db, crash: async () => void sqlite.close() };
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: target.url, max: 2, options: `-c search_path=${target.schema}` });
  const backends: number[] = [];
  pool.on('connect', (client) => {
    client.on('error', () => undefined); // its backend is about to be terminated
    backends.push((client as unknown as { processID: number }).processID);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [plugin] });
  return {
    db,
    crash: async () => {
      for (const pid of backends) await sql`select pg_terminate_backend(${pid})`.execute(database.connection.db);
    },
  };
}

it('a POST cut off by a crash leaves its Idempotency-Key free: the retry on the restarted server creates the tenant once', async () => {
  const pause = new PauseAfterInsert('tenants');
  const doomed = await doomedConnection(database.target, pause);
  const dying = createApp({ ...services, db: doomed.db, rateLimit: false });
  void dying.fetch(createTenant('survivor', 'crash-1'));
  await pause.reached;
  await doomed.crash();

  const restarted = createApp({ ...services, db: database.connection.db, rateLimit: false });
  const retry = await read(await restarted.fetch(createTenant('survivor', 'crash-1')));
  expect(retry.status, retry.body).toBe(201);
  const again = await read(await restarted.fetch(createTenant('survivor', 'crash-1')));
  expect(again.status).toBe(201);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(JSON.parse(again.body).id).toBe(JSON.parse(retry.body).id);
  expect(await tenantsWithSlug('survivor')).toHaveLength(1);
  const verify = await restarted.fetch(new Request('http://dotmac.test/v1/audit/verify', { headers: { authorization: `Bearer ${token}` } }));
  expect(await verify.json()).toMatchObject({ ok: true });
});

it('a second request with the key while the first is still running waits for it and replays its answer', async () => {
  const pause = new PauseAfterInsert('tenants');
  const app = createApp({ ...services, db: database.connection.db.withPlugin(pause), rateLimit: false });
  const first = Promise.resolve(app.fetch(createTenant('patient', 'twice')));
  await pause.reached;
  let secondSettled = false;
  const second = Promise.resolve(app.fetch(createTenant('patient', 'twice'))).finally(() => (secondSettled = true));
  // long enough for the second to reach the key; it must not answer while the first is held
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(secondSettled, 'the second request answered while the first was still running').toBe(false);
  pause.release();
  const [a, b] = [await read(await first), await read(await second)];
  expect([a.status, b.status], b.body).toEqual([201, 201]);
  expect(b.headers.get('idempotent-replayed')).toBe('true');
  expect(JSON.parse(b.body).id).toBe(JSON.parse(a.body).id);
  expect(await tenantsWithSlug('patient')).toHaveLength(1);
});

/** Fails every insert into `table` with `error`, after it has run. */
class FailAfterInsert implements KyselyPlugin {
  private readonly inserts = new WeakSet<object>();

  constructor(
    private readonly table: string,
    private readonly error: Error,
  ) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === this.table) this.inserts.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.inserts.has(queryId)) throw this.error;
    return result;
  }
}

it('a refusal after the service wrote part of its change keeps the key and the refusal, and none of the change', async () => {
  // the tenant row is written, then its audit event is refused: the service's part rolls back alone
  const app = createApp({ ...services, db: database.connection.db.withPlugin(new FailAfterInsert('audit_events', conflict('refused for the test'))), rateLimit: false });
  const first = await read(await app.fetch(createTenant('half-done', 'half')));
  expect(first.status, first.body).toBe(409);
  expect(await tenantsWithSlug('half-done')).toHaveLength(0);
  const replayed = await read(await app.fetch(createTenant('half-done', 'half')));
  expect(replayed.status).toBe(409);
  expect(replayed.headers.get('idempotent-replayed')).toBe('true');
});

it('an internal error keeps neither the key nor the change', async () => {
  const failing = createApp({ ...services, db: database.connection.db.withPlugin(new FailAfterInsert('audit_events', new Error('disk on fire'))), rateLimit: false, onInternalError: () => undefined });
  expect((await failing.fetch(createTenant('after-500', 'five-hundred'))).status).toBe(500);
  expect(await tenantsWithSlug('after-500')).toHaveLength(0);
  const healthy = createApp({ ...services, db: database.connection.db, rateLimit: false });
  const retry = await read(await healthy.fetch(createTenant('after-500', 'five-hundred')));
  expect(retry.status, retry.body).toBe(201);
  expect(retry.headers.get('idempotent-replayed')).toBeNull();
});
