// `dotmac init --database-url` on PostgreSQL: a database that another workspace already sealed is
// refused with one line, and the refused init leaves no key files behind that a second try (or
// `server start --dir`) would take for a workspace. Runs in `npm run test:pg`.
import { CompiledQuery } from 'kysely';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { DIALECT, PG_URL } from '../support/harness.js';
import { cleanup, cliJson, expectOneLineError, runCli, tempDir } from './cli.js';

async function onAdminDatabase(statement: string): Promise<void> {
  const admin = await connect({ dialect: 'postgres', url: PG_URL });
  try {
    await admin.db.executeQuery(CompiledQuery.raw(statement));
  } finally {
    await admin.close();
  }
}

describe.runIf(DIALECT === 'postgres')('init --database-url', () => {
  const database = `dotmac_init_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  afterAll(async () => {
    cleanup();
    await onAdminDatabase(`drop database if exists ${database} with (force)`);
  });

  it('refuses a database another workspace sealed, and leaves nothing behind', async () => {
    await onAdminDatabase(`create database ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const env = { HOME: tempDir('dotmac-home-') };
    const first = join(tempDir(), 'first');
    await cliJson(['init', '--dir', first, '--database-url', url.toString()], { env, timeoutMs: 60_000 });

    const second = join(tempDir(), 'second');
    const refused = await runCli(['init', '--dir', second, '--database-url', url.toString()], { env, timeoutMs: 60_000 });
    expect(refused.code).not.toBe(0);
    expect(expectOneLineError(refused).message).toMatch(/audit/);
    expect(existsSync(second)).toBe(false);

    // the first workspace still works against its database
    const again = await runCli(['init', '--dir', first, '--database-url', url.toString()], { env });
    expect(again.code).toBe(0);
  }, 120_000);
});
