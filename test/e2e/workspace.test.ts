// The local install itself: init (idempotent, private file modes), demo data, backups, migrations.
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, runCli, tempDir } from './cli.js';

afterAll(cleanup);

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('init', () => {
  it('creates the workspace in the XDG directories, and a second run changes nothing', async () => {
    const root = tempDir();
    const env = { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'config'), XDG_DATA_HOME: join(root, 'data') };
    const config = join(root, 'config', 'dotmac', 'config.json');
    const dir = join(root, 'data', 'dotmac');

    const first = await runCli(['init', '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ created: true, dir, db: join(dir, 'dotmac.db'), profile: 'local', seeded: null });
    const configBefore = readFileSync(config, 'utf8');
    const keyBefore = readFileSync(join(dir, 'signing-key.pem'), 'utf8');
    const auditKeyBefore = readFileSync(join(dir, 'audit-key'));
    expect(auditKeyBefore).toHaveLength(32);
    expect(JSON.parse(configBefore)).toMatchObject({ current: 'local', profiles: { local: { api: 'local', db: join(dir, 'dotmac.db') } } });
    const me = await runCli(['whoami', '--json'], { env });
    expect(JSON.parse(me.stdout)).toMatchObject({ profile: 'local', role: 'master_admin' });

    const second = await runCli(['init'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(`A workspace already exists at ${dir}; nothing was changed.\n`);
    const again = await runCli(['init', '--json'], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, dir, profile: null });
    expect(readFileSync(config, 'utf8')).toBe(configBefore);
    expect(readFileSync(join(dir, 'signing-key.pem'), 'utf8')).toBe(keyBefore);
    expect(readFileSync(join(dir, 'audit-key')).equals(auditKeyBefore)).toBe(true);
    expect(existsSync(join(root, 'home', '.config'))).toBe(false);
  });

  it('keeps the token and the key private even under a permissive umask', async () => {
    const previous = process.umask(0o000); // children inherit it: modes must be set explicitly, not left to the umask
    try {
      const ws = await newWorkspace();
      expect(mode(join(ws.home, '.config', 'dotmac', 'config.json'))).toBe('600');
      expect(mode(join(ws.home, '.config', 'dotmac'))).toBe('700');
      expect(mode(join(ws.dir, 'signing-key.pem'))).toBe('600');
      expect(mode(join(ws.dir, 'audit-key'))).toBe('600');
      expect(mode(ws.dir)).toBe('700');
      // rewriting the config (profiles add) keeps it private too
      expect((await ws.run(['profiles', 'add', 'other', '--api', 'http://127.0.0.1:9', '--with-token'], { input: ws.token })).code).toBe(0);
      expect(mode(join(ws.home, '.config', 'dotmac', 'config.json'))).toBe('600');
    } finally {
      process.umask(previous);
    }
  });

  it('seeds demo data in every status and plan', { timeout: 60_000 }, async () => {
    const ws = await newWorkspace(['--demo', '--tenants', '500', '--json']);
    expect(JSON.parse(ws.init.stdout).seeded).toMatchObject({ tenants: 500 });
    const overview = await ws.json<{ role: string; tenants: number; by_status: { key: string; tenants: number }[]; by_plan: { key: string; tenants: number }[] }>(['overview']);
    expect(overview.role).toBe('master_admin');
    expect(overview.tenants).toBe(500);
    const keys = (rows: { key: string; tenants: number }[]) => rows.filter((r) => r.tenants > 0).map((r) => r.key).sort();
    expect(keys(overview.by_status)).toEqual(['active', 'cancelled', 'pending', 'provisioning', 'suspended']);
    expect(keys(overview.by_plan)).toEqual(['enterprise', 'professional', 'starter']);
    const total = (rows: { tenants: number }[]) => rows.reduce((sum, r) => sum + r.tenants, 0);
    expect([total(overview.by_status), total(overview.by_plan)]).toEqual([500, 500]);
    expect(await ws.json<unknown[]>(['tenants', 'list', '--all'])).toHaveLength(500);
    expect((await ws.run(['audit', 'verify'])).code).toBe(0);
  });
});

describe('db', () => {
  it('backs up to a file that the CLI can read, and never overwrites one', async () => {
    const ws = await newWorkspace();
    for (const slug of ['alpha', 'beta']) await ws.json(['tenants', 'create', '--slug', slug, '--name', slug.toUpperCase()]);
    const original = await ws.json(['tenants', 'list', '--all']);
    const out = join(tempDir(), 'dotmac-backup.db');

    const backup = await ws.json<{ source: string; out: string; bytes: number; integrity: string }>(['db', 'backup', '--dir', ws.dir, '--out', out]);
    expect(backup).toMatchObject({ source: ws.db, out, integrity: 'ok' });
    expect(backup.bytes).toBe(statSync(out).size);

    // the workspace's profile supplies the signing key; the database comes from the backup
    const env = { DOTMAC_DB: out, DOTMAC_TOKEN: ws.token };
    await ws.json(['tenants', 'create', '--slug', 'gamma', '--name', 'After the backup']);
    expect(await ws.json(['tenants', 'list', '--all'], { env })).toEqual(original);

    const nowhere = await ws.run(['db', 'backup', '--dir', ws.dir, '--out', join(tempDir(), 'missing', 'b.db')]);
    expect(nowhere.code).toBe(2);
    expect(expectOneLineError(nowhere).message).toMatch(/^the directory .*missing does not exist$/);

    const again = await ws.run(['db', 'backup', '--dir', ws.dir, '--out', out]);
    expect(again.code).toBe(6);
    expect(expectOneLineError(again).message).toBe(`${out} already exists`);
    expect(await ws.json(['tenants', 'list', '--all'], { env })).toEqual(original);
  });

  it('writes one private file (0600, no -wal or -shm beside it) and never through a symlink', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha']);
    const dir = tempDir();
    const out = join(dir, 'b.db');
    expect((await ws.run(['db', 'backup', '--dir', ws.dir, '--out', out])).code).toBe(0);
    expect(mode(out)).toBe('600');
    expect(readdirSync(dir)).toEqual(['b.db']);
    expect(readFileSync(out).subarray(18, 20)).toEqual(Buffer.from([1, 1])); // rollback journal, not WAL: self-contained

    const target = join(dir, 'target.db');
    symlinkSync(target, join(dir, 'link.db'));
    const res = await ws.run(['db', 'backup', '--dir', ws.dir, '--out', join(dir, 'link.db')]);
    expect(res.code).toBe(6);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['b.db', 'link.db']);
  });

  it('reads a backup kept in the workspace directory with only DOTMAC_DB and DOTMAC_TOKEN, as a CI job would', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha']);
    const out = join(ws.dir, 'nightly.db');
    expect((await ws.run(['db', 'backup', '--out', out], { env: { DOTMAC_HOME: ws.dir } })).code).toBe(0);
    const ci = await runCli(['tenants', 'list', '--all', '--json'], { env: { DOTMAC_DB: out, DOTMAC_TOKEN: ws.token } });
    expect(ci.code, ci.stderr).toBe(0);
    expect(JSON.parse(ci.stdout).map((t: { slug: string }) => t.slug)).toEqual(['alpha']);
  });

  it('finds the current local profile\'s workspace when given no --dir or --db', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha']);
    const out = join(tempDir(), 'from-profile.db');
    expect(await ws.json(['db', 'backup', '--out', out])).toMatchObject({ source: ws.db, out, integrity: 'ok' });
    expect(await ws.json(['db', 'migrate'])).toMatchObject({ applied: [] });
    // a backup kept anywhere is readable without a profile when DOTMAC_HOME names the key's workspace
    const ci = await runCli(['tenants', 'list', '--all', '--json'], { env: { DOTMAC_DB: out, DOTMAC_TOKEN: ws.token, DOTMAC_HOME: ws.dir } });
    expect(ci.code, ci.stderr).toBe(0);
    expect(JSON.parse(ci.stdout).map((t: { slug: string }) => t.slug)).toEqual(['alpha']);
  });

  it('says an up-to-date database is up to date', async () => {
    const ws = await newWorkspace();
    const human = await ws.run(['db', 'migrate', '--dir', ws.dir]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Already up to date\.\nSchema version: \S+\n$/);
    const json = await ws.json<{ applied: string[]; current: string }>(['db', 'migrate'], { env: { DOTMAC_DB: ws.db } });
    expect(json.applied).toEqual([]);
    expect(json.current).toBe(/Schema version: (\S+)/.exec(human.stdout)![1]);
  });

  it('names a database that does not exist instead of creating one', async () => {
    for (const missing of [join(tempDir(), 'dotmac.db'), join(tempDir(), 'nowhere', 'dotmac.db')]) {
      for (const args of [['db', 'migrate', '--db', missing], ['db', 'backup', '--db', missing, '--out', join(tempDir(), 'b.db')]]) {
        const res = await runCli(args);
        expect(res.code, res.stderr).toBe(5);
        expect(expectOneLineError(res).message).toBe(`no database at ${missing}`);
      }
      expect(existsSync(missing)).toBe(false);
    }
  });
});
