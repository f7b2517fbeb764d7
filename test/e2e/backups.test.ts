// Tenant backups as a new user meets them, in local mode and over HTTP: take one, list, verify,
// download (a new 0600 file, never over an existing file or through a symlink), change the tenant,
// restore --dry-run, restore --yes, and the refusals (no confirmation, a damaged backup, another
// tenant's admin), each one line with its exit code.
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backup, Job, RestoreResult, Tenant } from '../../src/client/types.js';
import { cleanup, expectOneLineError, newWorkspace, startServer, tempDir, type RunningServer, type RunOptions, type Workspace } from './cli.js';

afterAll(cleanup);

for (const mode of ['local', 'http'] as const) {
  describe(`backups (${mode})`, () => {
    let ws: Workspace;
    let server: RunningServer | undefined;
    let env: Record<string, string> = {};
    const run = (args: string[], opts: RunOptions = {}) => ws.run(args, { ...opts, env: { ...env, ...opts.env } });
    const json = <T>(args: string[], opts: RunOptions = {}) => ws.json<T>(args, { ...opts, env: { ...env, ...opts.env } });
    let backup: Backup;
    const files = tempDir('dotmac-backups-');

    beforeAll(async () => {
      ws = await newWorkspace();
      if (mode === 'http') {
        server = await startServer(ws.env, ['--dir', ws.dir, '--quiet']);
        env = { DOTMAC_API_URL: server.url, DOTMAC_TOKEN: ws.token };
      }
      expect((await run(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha Net'])).code).toBe(0);
      expect((await run(['tenants', 'create', '--slug', 'bravo', '--name', 'Bravo Net'])).code).toBe(0);
    }, 120_000);
    afterAll(() => server?.stop());

    it('queues a backup job without --wait, and --json gives the job naming the backup', async () => {
      const queued = await run(['backups', 'create', '--tenant', 'bravo', '--json']);
      expect(queued.code, queued.stderr).toBe(0);
      const job = JSON.parse(queued.stdout) as Job;
      expect(job).toMatchObject({ kind: 'backup', status: 'queued' });
      expect(queued.stderr).toMatch(mode === 'local' ? /Queued backup bak_\w+ of bravo \(job job_\w+\)\. In local mode a worker takes it/ : /Queued backup bak_\w+ of bravo \(job job_\w+\); the server's worker takes it/);
      if (mode === 'local') {
        // nothing runs it in local mode until a worker does (or --wait): here `jobs`' own worker is the test's
        expect((await json<Job>(['jobs', 'get', job.id])).status).toBe('queued');
        return;
      }
      // the server's worker takes it; the backup it names appears under that id
      for (;;) {
        const now = await json<Job>(['jobs', 'get', job.id]);
        if (now.status === 'succeeded') break;
        expect(['queued', 'running']).toContain(now.status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await json<Backup>(['backups', 'get', String(job.payload.backup_id)])).kind).toBe('manual');
    });

    it('takes a backup with --wait, lists it and verifies it', async () => {
      const made = await run(['backups', 'create', '--tenant', 'alpha', '--wait', '--json']);
      expect(made.code, made.stderr).toBe(0);
      backup = JSON.parse(made.stdout) as Backup;
      expect(backup).toMatchObject({ status: 'completed', kind: 'manual', rows: 1 });
      expect(made.stderr).toMatch(/^Backed up alpha: bak_/m);
      expect((await json<Backup[]>(['backups', 'list', '--tenant', 'alpha'])).map((b) => b.id)).toEqual([backup.id]);
      const verified = await run(['backups', 'verify', backup.id]);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stderr).toMatch(/is sound: checksum matches/);
    });

    it('downloads to a new 0600 file, and refuses an existing file or a symlink', async () => {
      const out = join(files, `${mode}.json.gz`);
      const res = await run(['backups', 'download', backup.id, '--out', out]);
      expect(res.code, res.stderr).toBe(0);
      expect(lstatSync(out).mode & 0o777).toBe(0o600);
      const doc = JSON.parse(gunzipSync(readFileSync(out)).toString('utf8')) as { tenant_id: string; format_version: number };
      expect(doc).toMatchObject({ tenant_id: backup.tenant_id, format_version: 1 });

      const existing = join(files, `${mode}-existing`);
      writeFileSync(existing, 'keep me');
      const again = await run(['backups', 'download', backup.id, '--out', existing]);
      expect(again.code).toBe(6);
      expect(expectOneLineError(again).message).toMatch(/already exists/);
      expect(readFileSync(existing, 'utf8')).toBe('keep me');

      const target = join(files, `${mode}-target`);
      const link = join(files, `${mode}-link`);
      symlinkSync(target, link);
      const through = await run(['backups', 'download', backup.id, '--out', link]);
      expect(through.code).toBe(6);
      expectOneLineError(through);
      expect(existsSync(target)).toBe(false);
    });

    it('restores: a dry run changes nothing, no confirmation refuses, --yes puts the tenant back and leaves others alone', async () => {
      expect((await run(['tenants', 'update', 'alpha', '--name', 'Alpha Changed'])).code).toBe(0);
      const bravo = await json<Tenant>(['tenants', 'get', 'bravo']);

      const dry = await run(['backups', 'restore', backup.id, '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      // every table the backup covers is listed; only the tenant's row would change
      const planned = (JSON.parse(dry.stdout) as RestoreResult).tables;
      expect(planned.find((t) => t.table === 'tenants')).toEqual({ table: 'tenants', deleted: 0, inserted: 0, updated: 1, unchanged: 0 });
      for (const other of planned.filter((t) => t.table !== 'tenants')) expect(other, other.table).toMatchObject({ deleted: 0, inserted: 0, updated: 0 });
      expect(dry.stderr).toMatch(/nothing was changed/);
      expect((await json<Tenant>(['tenants', 'get', 'alpha'])).name).toBe('Alpha Changed');

      const unconfirmed = await run(['backups', 'restore', backup.id]);
      expect(unconfirmed.code).toBe(2);
      expect(expectOneLineError(unconfirmed).hint).toMatch(/--yes or --confirm alpha/);
      expect((await json<Tenant>(['tenants', 'get', 'alpha'])).name).toBe('Alpha Changed');

      const restored = await run(['backups', 'restore', backup.id, '--yes', '--reason', 'undo rename']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stderr).toMatch(/^Restored bak_\w+ into alpha: 0 rows deleted, 0 inserted, 1 updated$/m);
      expect((await json<Tenant>(['tenants', 'get', 'alpha'])).name).toBe('Alpha Net');
      expect(await json<Tenant>(['tenants', 'get', 'bravo'])).toEqual(bravo);
      const events = await json<{ action: string; reason: string }[]>(['audit', 'list', '--action', 'backup.restore']);
      expect(events.map((e) => [e.action, e.reason])).toEqual([['backup.restore', 'undo rename']]);

      const again = await run(['backups', 'restore', backup.id, '--confirm', 'alpha']);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/already equals .*; nothing changed/);
    });

    it('refuses another tenant\'s admin as if the backup did not exist, and a reseller before asking', async () => {
      const bravoAdmin = await json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'bravo']);
      const asBravo = { env: { DOTMAC_TOKEN: bravoAdmin.token, ...(mode === 'local' ? {} : { DOTMAC_API_URL: server!.url }) } };
      const res = await run(['backups', 'restore', backup.id, '--yes'], asBravo);
      expect(res.code).toBe(5);
      expectOneLineError(res);
      expect((await run(['backups', 'list'], asBravo)).code).toBe(0);

      expect((await run(['resellers', 'create', '--slug', 'chan', '--name', 'Chan'])).code).toBe(0);
      const reseller = await json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'chan']);
      const refused = await run(['backups', 'restore', backup.id], { env: { ...asBravo.env, DOTMAC_TOKEN: reseller.token } });
      expect(refused.code).toBe(4);
      expect(expectOneLineError(refused).message).toMatch(/reseller role may not run `backups restore`/);
    });

    it('refuses a damaged backup before anything changes, in verify and restore', async () => {
      const victim = await json<Backup>(['backups', 'create', '--tenant', 'alpha', '--wait']);
      expect((await run(['tenants', 'update', 'alpha', '--name', 'Alpha Again'])).code).toBe(0);
      const db = new SQLite(ws.db);
      const { content } = db.prepare('select content from backups where id = ?').get(victim.id) as { content: Buffer };
      db.prepare('update backups set content = ? where id = ?').run(content.subarray(0, content.length - 8), victim.id);
      db.close();

      const verify = await run(['backups', 'verify', victim.id]);
      expect(verify.code).toBe(6);
      expect(expectOneLineError(verify).message).toMatch(/cannot be restored: its checksum does not match/);
      const restore = await run(['backups', 'restore', victim.id, '--yes']);
      expect(restore.code).toBe(6);
      expect(expectOneLineError(restore).message).toMatch(/checksum does not match.*nothing was changed/);
      expect((await json<Tenant>(['tenants', 'get', 'alpha'])).name).toBe('Alpha Again');
      const unknown = await run(['backups', 'restore', 'bak_00000000000000000000000000', '--yes']);
      expect(unknown.code).toBe(5);
      expectOneLineError(unknown);
    });

    it('keeps a schedule, and its --keep deletes the oldest backups as new ones are made', async () => {
      const set = await run(['backups', 'schedule', '--tenant', 'bravo', '--every', '24h', '--keep', '2']);
      expect(set.code, set.stderr).toBe(0);
      expect((await json<{ every_seconds: number; keep: number }>(['backups', 'schedule', '--tenant', 'bravo'])).keep).toBe(2);
      const bad = await run(['backups', 'schedule', '--tenant', 'bravo', '--every', '5m', '--keep', '2']);
      expect(bad.code).toBe(2);
      expectOneLineError(bad);
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push((await json<Backup>(['backups', 'create', '--tenant', 'bravo', '--wait'])).id);
      expect((await json<Backup[]>(['backups', 'list', '--tenant', 'bravo'])).map((b) => b.id)).toEqual([made[2], made[1]]);
    });
  });
}
