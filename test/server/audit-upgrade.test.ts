import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/client/api-client.js';
import { inProcessTransport } from '../../src/client/transports/local.js';
import { systemClock } from '../../src/core/clock.js';
import type { Connection } from '../../src/db/connect.js';
import * as foundation from '../../src/db/migrations/2026112501_foundation.js';
import { createApp } from '../../src/server/app.js';
import { generateSigningKeyPem, signingKeysFromPem, type AuditKey } from '../../src/server/auth/keys.js';
import { openAuditKey } from '../../src/server/modules/audit/seal.js';
import { issueBootstrapToken } from '../../src/server/modules/tokens/service.js';
import { ensureMigrated } from '../../src/server/workspace.js';
import { freshDatabase } from '../support/harness.js';
import { appendUnkeyed } from '../support/unkeyed-chain.js';

/**
 * A workspace from before keyed chains: its database is brought forward (each event gets the
 * reseller that owned its tenant at the time) and, on first open, the chain gets a new key and
 * is re-sealed with it, but only if it verifies the old way.
 */

let connection: Connection;
let drop: () => Promise<void>;
let dir: string;
let keyPath: string;
const A = 'res_first';
const B = 'res_second';

beforeEach(async () => {
  ({ connection, drop } = await freshDatabase({ '2026112501_foundation': foundation }));
  dir = await mkdtemp(join(tmpdir(), 'dotmac-upgrade-'));
  keyPath = join(dir, 'audit-key');
  const db = connection.db;
  const at = '2026-11-01T00:00:00.000Z';
  for (const [id, slug] of [[A, 'first'], [B, 'second']] as const) {
    await db.insertInto('resellers').values({ id, slug, name: slug, territory: null, tier: 'registered', created_at: at, updated_at: at }).execute();
  }
  await db.insertInto('tenants').values({ id: 'ten_moved', slug: 'moved', name: 'Moved', status: 'active', plan: 'starter', region: 'eu-west', reseller_id: B, contact_email: null, created_at: at, updated_at: at, version: 4 }).execute();
  await db.insertInto('tenants').values({ id: 'ten_direct', slug: 'direct', name: 'Direct', status: 'active', plan: 'starter', region: 'eu-west', reseller_id: null, contact_email: null, created_at: at, updated_at: at, version: 1 }).execute();
  await db.insertInto('users').values({ id: 'usr_second', email: 'r@second.test', role: 'reseller', tenant_id: null, reseller_id: B, created_at: at }).execute();
  await db.insertInto('tokens').values({ jti: 'tok_second', user_id: 'usr_second', role: 'reseller', tenant_id: null, reseller_id: B, label: null, created_at: at, expires_at: '2027-11-01T00:00:00.000Z', revoked_at: null, created_by: null }).execute();
  await appendUnkeyed(db, [
    { action: 'reseller.create', target_type: 'reseller', target_id: A, tenant_id: null },
    { action: 'reseller.create', target_type: 'reseller', target_id: B, tenant_id: null },
    { action: 'tenant.create', target_type: 'tenant', target_id: 'ten_moved', tenant_id: 'ten_moved', details: { slug: 'moved', reseller_id: A } },
    { action: 'tenant.update', target_type: 'tenant', target_id: 'ten_moved', tenant_id: 'ten_moved', reason: 'first era', details: { before: { name: 'M' }, after: { name: 'Moved' } } },
    { action: 'tenant.update', target_type: 'tenant', target_id: 'ten_moved', tenant_id: 'ten_moved', details: { before: { reseller_id: A }, after: { reseller_id: B } } },
    { action: 'tenant.update', target_type: 'tenant', target_id: 'ten_moved', tenant_id: 'ten_moved', reason: 'second era', details: { before: { name: 'Moved' }, after: { name: 'Moved Ltd' } } },
    { action: 'token.create', target_type: 'token', target_id: 'tok_second', tenant_id: null, details: { role: 'reseller', reseller_id: B } },
    { action: 'tenant.create', target_type: 'tenant', target_id: 'ten_direct', tenant_id: 'ten_direct', details: { slug: 'direct', reseller_id: null } },
  ]);
  await ensureMigrated(connection);
});
afterEach(async () => {
  await drop();
  await rm(dir, { recursive: true, force: true });
});

const owners = async () => (await connection.db.selectFrom('audit_events').select('reseller_id').orderBy('seq').execute()).map((row) => row.reseller_id);
const chainHead = () => connection.db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();

/** The API over the upgraded database, verified by its own audit verify. */
async function verifyThroughApi(auditKey: AuditKey) {
  const services = { db: connection.db, dialect: connection.dialect, keys: await signingKeysFromPem(generateSigningKeyPem()), auditKey, clock: systemClock };
  const app = createApp({ ...services, rateLimit: false });
  const admin = new ApiClient(inProcessTransport((req) => app.fetch(req)), (await issueBootstrapToken(services)).token);
  return admin.audit.verify();
}

describe('the migration', () => {
  it('records on each old event the reseller that owned its tenant then, from the moves the chain recorded', async () => {
    expect(await owners()).toEqual([A, B, A, A, B, B, B, null]);
  });
});

describe('opening a workspace from before keyed chains', () => {
  it('creates the audit key (0600, 32 bytes) and re-seals the chain, which then verifies', async () => {
    const key = await openAuditKey(connection.db, connection.dialect, keyPath);
    const file = await stat(keyPath);
    expect((file.mode & 0o777).toString(8)).toBe('600');
    expect((await readFile(keyPath)).equals(key.export())).toBe(true);
    expect(await verifyThroughApi(key)).toMatchObject({ ok: true, checked: 9 });
    // opening again reads the same key and changes nothing
    const head = await chainHead();
    expect((await openAuditKey(connection.db, connection.dialect, keyPath)).export().equals(key.export())).toBe(true);
    expect(await chainHead()).toEqual(head);
  });

  it('gives processes opening it at once the same key', async () => {
    const keys = await Promise.all([1, 2, 3].map(() => openAuditKey(connection.db, connection.dialect, keyPath)));
    expect(new Set(keys.map((key) => key.export().toString('hex'))).size).toBe(1);
    expect(await verifyThroughApi(keys[0]!)).toMatchObject({ ok: true });
  });

  it('refuses, naming the broken event, when the old chain does not verify, and leaves it as it was', async () => {
    await connection.db.updateTable('audit_events').set({ reason: 'rewritten' }).where('seq', '=', 4).execute();
    const events = await connection.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    await expect(openAuditKey(connection.db, connection.dialect, keyPath)).rejects.toThrow(/audit chain is broken at event 4 \(hash does not match/);
    await expect(stat(keyPath)).rejects.toThrow(/ENOENT/);
    expect(await connection.db.selectFrom('audit_events').selectAll().orderBy('seq').execute()).toEqual(events);
    expect((await chainHead()).key_id).toBeNull();
  });

  it('refuses an old chain with an event deleted', async () => {
    await connection.db.deleteFrom('audit_events').where('seq', '=', 8).execute();
    await expect(openAuditKey(connection.db, connection.dialect, keyPath)).rejects.toThrow(/broken at event 8 \(the chain head \(seq 8\) does not match the last event \(seq 7\)\)/);
  });

  it('refuses a key file beside a chain of events that is not keyed, rather than re-seal it', async () => {
    await writeFile(keyPath, Buffer.alloc(32, 7), { mode: 0o600 });
    await expect(openAuditKey(connection.db, connection.dialect, keyPath)).rejects.toThrow(`the audit chain is not sealed with the audit key ${keyPath}`);
  });

  it('refuses a chain sealed with another key, or with a key that is missing', async () => {
    await openAuditKey(connection.db, connection.dialect, keyPath);
    await rm(keyPath);
    await expect(openAuditKey(connection.db, connection.dialect, keyPath)).rejects.toThrow(`there is no audit key at ${keyPath}`);
    await expect(stat(keyPath)).rejects.toThrow(/ENOENT/);
    await writeFile(keyPath, Buffer.alloc(32, 7), { mode: 0o600 });
    await expect(openAuditKey(connection.db, connection.dialect, keyPath)).rejects.toThrow(`the audit key ${keyPath} is not the key this database's audit chain is sealed with`);
    await writeFile(keyPath, 'short');
    await expect(openAuditKey(connection.db, connection.dialect, keyPath)).rejects.toThrow('is not a 32-byte key');
  });
});
