// The SQLite facts DESIGN §6 warns about, checked on a real file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/db/connect.js';
import { writeTransaction } from '../../src/db/transaction.js';
import { ensureMigrated } from '../../src/server/workspace.js';
import { sqliteMigrationMark } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';

const opened: Connection[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function freshFile(): Promise<{ path: string; connection: Connection }> {
  const dir = mkdtempSync(join(tmpdir(), 'dotmac-sqlite-'));
  dirs.push(dir);
  const path = join(dir, 'dotmac.db');
  const connection = await connect({ dialect: 'sqlite', path });
  opened.push(connection);
  await ensureMigrated(connection);
  return { path, connection };
}

const pragma = async (c: Connection, name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(c.db)).rows[0] as object)[0];

/** Another writer, on its own thread: takes the write lock, holds it for `ms`, then commits a reseller. */
function holdWriteLock(path: string, ms: number): { locked: Promise<void>; done: Promise<void> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.module);
     const db = new Database(workerData.path);
     db.exec('begin immediate');
     db.prepare("insert into resellers (id, slug, name, tier, created_at, updated_at) values ('res_other', 'other', 'Other', 'registered', 'x', 'x')").run();
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec('commit');
     db.close();`,
    { eval: true, workerData: { path, ms, module: require.resolve('better-sqlite3') } },
  );
  const locked = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  const done = new Promise<void>((resolve, reject) => worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`)))));
  return { locked, done };
}

describe('SQLite migrations', () => {
  it('mark the file so that a release from before reads it as behind, and run again under any other mark', async () => {
    const { connection } = await freshFile();
    expect(await pragma(connection, 'user_version')).toBe(sqliteMigrationMark());
    expect(sqliteMigrationMark()).toBeLessThan(0); // an older release took any mark at or above its count as current
    await sql`pragma user_version = 999`.execute(connection.db);
    await ensureMigrated(connection);
    expect(await pragma(connection, 'user_version')).toBe(sqliteMigrationMark());
  });

  it('refuse a database that ran a migration this release does not know (a later release\'s), changing nothing', async () => {
    const { connection } = await freshFile();
    await sql`insert into kysely_migration (name, timestamp) values ('2099010101_from_the_future', '2099-01-01T00:00:00.000Z')`.execute(connection.db);
    await sql`pragma user_version = 0`.execute(connection.db);
    await expect(ensureMigrated(connection)).rejects.toThrow(/previously executed migration 2099010101_from_the_future is missing/);
    expect(await pragma(connection, 'user_version')).toBe(0);
  });

  it('roll back whole when one fails: nothing half done, and the next open runs them again', async () => {
    const { path, connection } = await freshFile();
    // the last migration (a new index, then the old one dropped) not recorded, and its second step bound to fail
    const last = Object.keys(migrations).at(-1)!;
    await sql`delete from kysely_migration where name = ${last}`.execute(connection.db);
    await sql`drop index health_checks_tenant_at_status`.execute(connection.db);
    await sql`pragma user_version = 0`.execute(connection.db);
    await expect(ensureMigrated(connection)).rejects.toThrow(/no such index: health_checks_tenant_at/);
    const other = await connect({ dialect: 'sqlite', path });
    opened.push(other);
    const index = (name: string) => sql<{ name: string }>`select name from sqlite_master where name = ${name}`.execute(other.db).then((r) => r.rows.length);
    expect(await index('health_checks_tenant_at_status')).toBe(0); // its first step was undone
    expect(await pragma(other, 'user_version')).toBe(0);
    await sql`create index health_checks_tenant_at on health_checks (tenant_id, at)`.execute(other.db);
    await ensureMigrated(other);
    expect([await index('health_checks_tenant_at_status'), await index('health_checks_tenant_at')]).toEqual([1, 0]);
    expect(await pragma(other, 'user_version')).toBe(sqliteMigrationMark());
  });
});

describe('SQLite', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
    const { connection } = await freshFile();
    expect(await pragma(connection, 'journal_mode')).toBe('wal');
    expect(await pragma(connection, 'synchronous')).toBe(2);
    expect(await pragma(connection, 'foreign_keys')).toBe(1);
    expect(await pragma(connection, 'busy_timeout')).toBeGreaterThanOrEqual(5000);
  });

  it('enforces foreign keys', async () => {
    const { connection } = await freshFile();
    const orphan = connection.db
      .insertInto('tenants')
      .values({ id: 'ten_x', slug: 'x', name: 'X', status: 'active', plan: 'starter', region: 'eu-west', reseller_id: 'res_missing', contact_email: null, created_at: 'x', updated_at: 'x' })
      .execute();
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
  });

  it('a read-then-write transaction waits for another process\'s writer instead of failing with SQLITE_BUSY', async () => {
    const { path, connection } = await freshFile();
    const other = holdWriteLock(path, 400);
    await other.locked;
    const started = Date.now();
    const slug = await writeTransaction(connection.db, 'sqlite', async (trx) => {
      const count = await trx.selectFrom('resellers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await trx
        .insertInto('resellers')
        .values({ id: 'res_mine', slug: `mine-${count.n}`, name: 'Mine', territory: null, tier: 'registered', created_at: 'x', updated_at: 'x' })
        .execute();
      return `mine-${count.n}`;
    });
    await other.done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // it began only after the other writer committed, so it counted that writer's row
    expect(slug).toBe('mine-1');
    const slugs = (await connection.db.selectFrom('resellers').select('slug').orderBy('slug').execute()).map((r) => r.slug);
    expect(slugs).toEqual(['mine-1', 'other']);
  });

  it('keeps prepared statements that still see other connections\' rows and schema changes', async () => {
    const { path, connection } = await freshFile();
    const slugs = () => connection.db.selectFrom('resellers').selectAll().orderBy('slug').execute();
    expect(await slugs()).toEqual([]);
    const other = holdWriteLock(path, 0);
    await other.done;
    expect((await slugs()).map((r) => r.slug)).toEqual(['other']);
    const Database = (await import('better-sqlite3')).default;
    const migrator = new Database(path);
    migrator.exec("alter table resellers add column motto text default 'onwards'");
    migrator.close();
    expect((await slugs())[0]).toMatchObject({ slug: 'other', motto: 'onwards' });
  });
});
