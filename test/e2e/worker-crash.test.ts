// Must-hold 3 of issue 7: a worker killed with SIGKILL in the middle of a deployment. A new worker
// takes the job once the dead one's lease runs out and finishes it: one deployment record, its
// events in order, no finished step run again. On SQLite, and under DOTMAC_TEST_DIALECT=postgres
// (`npm run test:pg`) on PostgreSQL; the API is `server start --no-worker`, the workers are
// `dotmac worker` processes, as an operator would run them.
import { CompiledQuery } from 'kysely';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/client/api-client.js';
import { httpTransport } from '../../src/client/transports/http.js';
import type { DeploymentEvents } from '../../src/client/types.js';
import { connect } from '../../src/db/connect.js';
import { DIALECT, PG_URL } from '../support/harness.js';
import { cleanup, cliJson, newWorkspace, startServer, startWorker, tempDir, type RunningServer } from './cli.js';

const STEP_MS = 1000;

interface Backend {
  env: Record<string, string>;
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
  if (DIALECT === 'postgres') {
    database = `dotmac_crash_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await onDatabase(PG_URL, `create database ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    dir = join(tempDir(), 'ws');
    home = { HOME: tempDir('dotmac-home-') };
    ({ token } = await cliJson<{ token: string }>(['init', '--dir', dir, '--database-url', url.toString()], { env: home, timeoutMs: 60_000 }));
    dbArgs = ['--dir', dir, '--database-url', url.toString()];
  } else {
    const ws = await newWorkspace();
    dir = ws.dir;
    home = ws.env;
    token = ws.token;
    dbArgs = ['--dir', dir, '--db', ws.db];
  }
  const server: RunningServer = await startServer(home, [...dbArgs, '--quiet', '--no-worker']);
  const env = { ...home, DOTMAC_API_URL: server.url, DOTMAC_TOKEN: token };
  return {
    env,
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
afterAll(async () => {
  await b?.close();
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
