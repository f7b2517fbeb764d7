// Must-hold 3 of issue 7: a worker killed with SIGKILL in the middle of a deployment. A new worker
// takes the job once the dead one's lease runs out and finishes it: one deployment record, its
// events in order, no finished step run again. On SQLite, and under DOTMAC_TEST_DIALECT=postgres
// (`npm run test:pg`) on PostgreSQL; the API is `server start --no-worker`, the workers are
// `dotmac worker` processes, as an operator would run them.
import { randomBytes } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/client/api-client.js';
import { httpTransport } from '../../src/client/transports/http.js';
import type { DeploymentEvents } from '../../src/client/types.js';
import { connect, type DatabaseTarget } from '../../src/db/connect.js';
import { DIALECT, PG_URL } from '../support/harness.js';
import { cleanup, cliJson, newWorkspace, startServer, startWorker, tempDir, type RunningServer } from './cli.js';

const STEP_MS = 1000;

interface Backend {
  env: Record<string, string>;
  /** the database, for the test to look at (and hold locks on) as its owner */
  target: DatabaseTarget;
  /** what `dotmac worker` needs to find the database and keys */
  workerArgs: string[];
  client: ApiClient;
  close(): Promise<void>;
}

async function onDatabase(url: string, statement: string): Promise<void> {
  const owner = await connect({ dialect: 'postgres', url });
  try {
    await owner.db.executeQuery(CompiledQuery.raw(statement));
  } finally {
    await owner.close();
  }
}

async function backend(): Promise<Backend> {
  let database: string | undefined;
  let dir: string;
  let home: Record<string, string>;
  let token: string;
  let dbArgs: string[];
  let target: DatabaseTarget;
  if (DIALECT === 'postgres') {
    database = `dotmac_crash_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await onDatabase(PG_URL, `create database ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    dir = join(tempDir(), 'ws');
    home = { HOME: tempDir('dotmac-home-') };
    ({ token } = await cliJson<{ token: string }>(['init', '--dir', dir, '--database-url', url.toString()], { env: home, timeoutMs: 60_000 }));
    dbArgs = ['--dir', dir, '--database-url', url.toString()];
    target = { dialect: 'postgres', url: url.toString() };
  } else {
    const ws = await newWorkspace();
    dir = ws.dir;
    home = ws.env;
    token = ws.token;
    dbArgs = ['--dir', dir, '--db', ws.db];
    target = { dialect: 'sqlite', path: ws.db };
  }
  const server: RunningServer = await startServer(home, [...dbArgs, '--quiet', '--no-worker']);
  const env = { ...home, DOTMAC_API_URL: server.url, DOTMAC_TOKEN: token };
  return {
    env,
    target,
    workerArgs: [...dbArgs, '--lease-seconds', '1'],
    client: new ApiClient(await httpTransport(server.url, {}, {}), token),
    async close() {
      await server.stop();
      if (database) await onDatabase(PG_URL, `drop database if exists ${database} with (force)`);
    },
  };
}

/** Asks until `done` holds (no fixed sleep decides anything; the pause only spaces the questions). */
async function waitFor(client: ApiClient, id: string, done: (e: DeploymentEvents) => boolean, what: string): Promise<DeploymentEvents> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await client.deployments.events(id);
    if (done(now)) return now;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(now.events.at(-1))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const finished = (e: DeploymentEvents, step: string) => e.events.some((x) => x.type === 'step' && x.step === step && x.progress === 100);

let b: Backend | undefined;
let backups: Backend | undefined;
afterAll(async () => {
  await b?.close();
  await backups?.close();
  cleanup();
});

describe(`a worker killed in the middle of a deployment (${DIALECT})`, () => {
  it('leaves a deployment that a new worker finishes: one record, events in order, no finished step run twice', { timeout: 180_000 }, async () => {
    b = await backend();
    const workerEnv = { ...b.env, DOTMAC_SIM_STEP_MS: String(STEP_MS) };
    await cliJson(['tenants', 'create', '--slug', 'crashy', '--name', 'Crashy'], { env: b.env });
    const created = await cliJson<{ id: string; job_id: string }>(['deployments', 'create', '--tenant', 'crashy', '--version', '7.0.0'], { env: b.env });

    const first = await startWorker(workerEnv, b.workerArgs);
    await waitFor(b.client, created.id, (e) => finished(e, 'provision'), 'provision to finish');
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const midway = await b.client.deployments.events(created.id);
    expect(midway.deployment.status).toBe('running');
    expect(finished(midway, 'health_check')).toBe(false);

    const second = await startWorker(workerEnv, b.workerArgs);
    const end = await waitFor(b.client, created.id, (e) => e.deployment.status !== 'running' && e.deployment.status !== 'queued', 'the deployment to end');
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    expect(end.deployment.status).toBe('succeeded');
    const all = await b.client.deployments.list({ tenant: 'crashy' });
    expect(all.data.map((d) => d.id)).toEqual([created.id]);
    const { events } = end;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'status').map((e) => e.status)).toEqual(['queued', 'running', 'succeeded']);
    const steps = ['validate', 'provision', 'configure', 'health_check'];
    expect(events.filter((e) => e.type === 'step' && e.progress === 100).map((e) => e.step)).toEqual(steps);
    // the steps the dead worker finished were not started again
    for (const step of ['validate', 'provision']) expect(events.filter((e) => e.step === step && e.progress === 0), step).toHaveLength(1);
    const job = await b.client.jobs.get(created.job_id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
    // each step finished by the worker that was running when it finished: the dead one before the kill, the new one after
    const byFirst = steps.filter((step) => finished(midway, step));
    expect(byFirst.slice(0, 2)).toEqual(['validate', 'provision']);
    expect(job.steps.map((s) => [s.step, s.worker])).toEqual(steps.map((step) => [step, byFirst.includes(step) ? first.id : second.id]));
  });
});

/**
 * Holds the worker inside its backup's transaction, where it has written the backup's row and not
 * committed. PostgreSQL: the test holds the audit chain's head row, which the backup's audit event
 * updates after the row is inserted; the worker waits on that lock. SQLite has one writer at a
 * time, so a tenant large enough that the backup takes a while is seeded, and the worker is inside
 * it once the write lock stays taken (the lease renewals in between take it for a moment only).
 */
async function holdInsideBackup(target: DatabaseTarget, tenantId: string): Promise<{ lock(): Promise<void>; inside(): Promise<void>; release(): Promise<void> }> {
  if (target.dialect === 'postgres') {
    const { default: pg } = await import('pg');
    const holder = new pg.Client({ connectionString: target.url });
    await holder.connect();
    return {
      // after the job is queued (asking for it writes an audit event too), and after the worker opened the database
      async lock() {
        await holder.query('begin');
        await holder.query('select seq from audit_chain where id = 1 for update');
      },
      async inside() {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const { rows } = await holder.query<{ n: string }>(
            // a backend waiting for the lock this test holds on the chain's head
            'select count(*) as n from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))',
          );
          if (Number(rows[0]!.n) > 0) return;
          if (Date.now() > deadline) {
            const { rows: all } = await holder.query('select pid, state, wait_event_type, wait_event, left(query, 120) as query from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()');
            throw new Error(`the worker never reached the backup's audit event: ${JSON.stringify(all)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      async release() {
        await holder.query('rollback');
        await holder.end();
      },
    };
  }
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(target.path, { timeout: 0 });
  // about 12 MB of configuration history: a backup of it takes the worker a second or more
  const insert = db.prepare('insert into configuration_versions (tenant_id, version, action, snapshot, changes, restored_from, actor, created_at) values (?, ?, ?, ?, ?, null, ?, ?)');
  db.transaction(() => {
    for (let version = 1; version <= 3000; version++) {
      const snapshot = JSON.stringify({ 'branding.company_name': { value: randomBytes(2000).toString('hex'), secret: false } });
      insert.run(tenantId, version, 'set', snapshot, '[]', 'usr_seed', new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString());
    }
  })();
  const writerHolds = () => {
    try {
      db.exec('begin immediate');
      db.exec('rollback');
      return false;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      return true;
    }
  };
  return {
    async lock() {},
    async inside() {
      const deadline = Date.now() + 60_000;
      let held = 0;
      for (;;) {
        held = writerHolds() ? held + 1 : 0;
        if (held >= 5) return;
        if (Date.now() > deadline) throw new Error('the worker never held the write lock long enough');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async release() {
      db.close();
    },
  };
}

describe(`a worker killed in the middle of a backup (${DIALECT})`, () => {
  it('leaves no half-written backup; a new worker takes it whole under the same id', { timeout: 180_000 }, async () => {
    backups = await backend();
    const tenant = await cliJson<{ id: string }>(['tenants', 'create', '--slug', 'snapshotty', '--name', 'Snapshotty'], { env: backups.env });
    const hold = await holdInsideBackup(backups.target, tenant.id);
    // the worker starts (and opens the database) first, and is paused while the job is queued and the lock taken
    const first = await startWorker(backups.env, backups.workerArgs);
    first.kill('SIGSTOP');
    const job = await cliJson<{ id: string; payload: { backup_id: string } }>(['backups', 'create', '--tenant', 'snapshotty'], { env: backups.env });
    const backupId = job.payload.backup_id;
    await hold.lock();
    first.kill('SIGCONT');
    await hold.inside();
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await hold.release();

    const owner = await connect(backups.target);
    try {
      expect(await owner.db.selectFrom('backups').select('id').where('tenant_id', '=', tenant.id).execute(), 'no backup, whole or half').toEqual([]);
      expect(await owner.db.selectFrom('job_steps').select('step').where('job_id', '=', job.id).execute()).toEqual([]);
      expect((await backups.client.jobs.get(job.id)).status).toBe('running');

      const second = await startWorker(backups.env, backups.workerArgs);
      const deadline = Date.now() + 120_000;
      let ended = await backups.client.jobs.get(job.id);
      while (ended.status === 'running' || ended.status === 'queued') {
        if (Date.now() > deadline) throw new Error(`gave up waiting for job ${job.id}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        ended = await backups.client.jobs.get(job.id);
      }
      second.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      expect(ended).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(ended.steps.map((s) => [s.step, s.worker])).toEqual([['backup', second.id]]);
      expect((await owner.db.selectFrom('backups').select('id').where('tenant_id', '=', tenant.id).execute()).map((r) => r.id)).toEqual([backupId]);
      const verified = await backups.client.backups.verify(backupId);
      expect(verified.valid, verified.problem ?? '').toBe(true);
      expect(verified.tables.find((t) => t.table === 'configuration_versions')?.rows).toBe(DIALECT === 'sqlite' ? 3000 : 0);
    } finally {
      await owner.close();
    }
  });
});
