// A workspace whose files were damaged: one clear line and exit 8, never a stack trace.
import { writeFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace } from './cli.js';

afterAll(cleanup);

describe('a damaged workspace', () => {
  it('names a database file that is not a database', async () => {
    const ws = await newWorkspace();
    const bad = join(ws.dir, 'not-a.db');
    writeFileSync(bad, 'this is not SQLite\n'.repeat(100));
    const res = await ws.run(['tenants', 'list'], { env: { DOTMAC_DB: bad } });
    expect(res.code).toBe(8);
    expect(expectOneLineError(res).message).toBe(`cannot open the workspace at ${bad}: file is not a database`);
  });

  it('names a signing key that is not a key', async () => {
    const ws = await newWorkspace();
    writeFileSync(join(ws.dir, 'signing-key.pem'), 'not a key\n');
    const res = await ws.run(['tenants', 'list']);
    expect(res.code).toBe(8);
    expect(expectOneLineError(res).message).toContain(`the signing key ${join(ws.dir, 'signing-key.pem')} is not an Ed25519 private key`);
  });

  it('reports an internal failure in local mode as one line with the request id, and a stack only under DEBUG', async () => {
    const ws = await newWorkspace();
    const db = new SQLite(ws.db);
    db.exec('drop table audit_events'); // every change now fails inside its transaction
    db.close();
    const res = await ws.run(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha']);
    expect(res.code).toBe(1);
    expect(expectOneLineError(res).message).toMatch(/^an internal error occurred; .* \(request req_[0-9a-z]+\)$/);
    const debug = await ws.run(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha'], { env: { DEBUG: 'dotmac' } });
    expect(debug.stderr).toMatch(/no such table: audit_events/);
    expect((await ws.json<unknown[]>(['tenants', 'list'])).length).toBe(0);
  });
});
