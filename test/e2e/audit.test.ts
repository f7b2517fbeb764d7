// The audit trail as a user meets it: a chain altered behind the CLI's back fails `audit verify`,
// and a workspace from before keyed chains gets its key the first time it is used.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Event, type UnkeyedEvent } from '../support/unkeyed-chain.js';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

afterAll(cleanup);

async function workspaceWithEvents(): Promise<Workspace> {
  const ws = await newWorkspace();
  for (const slug of ['north', 'south', 'east']) {
    expect((await ws.run(['tenants', 'create', '--slug', slug, '--name', slug, '--reason', `onboard ${slug}`])).code).toBe(0);
  }
  expect((await ws.run(['audit', 'verify'])).code).toBe(0);
  return ws;
}

/** What someone with the database file but not the audit key can do: rewrite every link with plain SHA-256. */
function resealWithSha256(db: SQLite.Database): void {
  const events = db.prepare('select * from audit_events order by seq').all() as (UnkeyedEvent & { hash: string })[];
  const update = db.prepare('update audit_events set prev_hash = ?, hash = ? where seq = ?');
  let prev = '0'.repeat(64);
  for (const event of events) {
    const hash = sha256Event({ ...event, prev_hash: prev });
    update.run(prev, hash, event.seq);
    prev = hash;
  }
  db.prepare('update audit_chain set head_hash = ? where id = 1').run(prev);
}

describe('audit verify', () => {
  it('exits 1 with one Error and one Hint line when an event was deleted and the rest re-sealed', async () => {
    const ws = await workspaceWithEvents();
    const db = new SQLite(ws.db);
    db.prepare("delete from audit_events where action = 'tenant.create' and reason = 'onboard south'").run();
    resealWithSha256(db);
    db.close();
    const res = await ws.run(['audit', 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    const { message, hint } = expectOneLineError(res);
    expect(message).toBe('audit chain broken at event 1: hash does not match the event contents');
    expect(hint).toMatch(/backup/);
  });
});

describe('a workspace from before keyed chains', () => {
  /** Puts a workspace back the way an older release left it: no audit-key file, the chain sealed with SHA-256. */
  function unkey(ws: Workspace, damage?: (db: SQLite.Database) => void): void {
    rmSync(join(ws.dir, 'audit-key'));
    const db = new SQLite(ws.db);
    // an older release had no sealed configuration secrets either
    db.prepare('update audit_chain set key_id = null, secrets_key_id = null where id = 1').run();
    resealWithSha256(db);
    damage?.(db);
    db.close();
  }

  it('gets an audit key (0600) on first use, and its chain verifies with it', async () => {
    const ws = await workspaceWithEvents();
    unkey(ws);
    expect(await ws.json<unknown[]>(['tenants', 'list'])).toHaveLength(3);
    expect((statSync(join(ws.dir, 'audit-key')).mode & 0o777).toString(8)).toBe('600');
    const check = await ws.json<{ ok: boolean; checked: number }>(['audit', 'verify']);
    expect(check).toMatchObject({ ok: true, checked: 4 });
  });

  it('is refused with one line naming the broken event when its old chain does not verify', async () => {
    const ws = await workspaceWithEvents();
    unkey(ws, (db) => db.prepare("update audit_events set reason = 'nothing to see' where reason = 'onboard east'").run());
    const res = await ws.run(['tenants', 'list']);
    expect(res.code).toBe(8);
    const { message, hint } = expectOneLineError(res);
    expect(message).toBe(`cannot open the workspace at ${ws.db}: the audit chain is broken at event 4 (hash does not match the event contents), so it was not sealed with a new audit key`);
    expect(hint).toMatch(/backup/);
    expect(existsSync(join(ws.dir, 'audit-key'))).toBe(false);
  });
});
