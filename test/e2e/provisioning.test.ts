// The provisioning settings and the exec driver as an operator meets them: `dotmac worker` and
// `server start` flags, and local mode's --wait and watch, which read the same settings from the
// environment and refuse them the same way.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, startWorker, tempDir, type Workspace } from './cli.js';

interface Deployment {
  id: string;
  job_id: string;
  status: string;
  failure_reason: string | null;
}

const FAST = { DOTMAC_SIM_STEP_MS: '10' };
const TIMEOUT = 'must be a whole number of seconds from 1 to 86400 (24 h), not';

let ws: Workspace;
let dir: string;
let succeeds: string;

function program(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\ncat >/dev/null\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet']);
  dir = tempDir('dotmac-programs-');
  succeeds = program('provision-ok', 'exit 0');
});
afterAll(cleanup);

describe('the worker\'s flags', () => {
  it('refuses what it cannot use: exit 2, one line naming the flag, or the variable when the value came from the environment', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['worker', '--provision-timeout', '99999999999'], {}, `--provision-timeout: ${TIMEOUT} "99999999999"`],
      [['worker'], { DOTMAC_PROVISION_TIMEOUT: '99999999999' }, `DOTMAC_PROVISION_TIMEOUT: ${TIMEOUT} "99999999999"`],
      [['worker'], { DOTMAC_DRIVER: 'bogus' }, 'Expected DOTMAC_DRIVER=bogus to be one of: simulated, exec'],
      [['worker'], { DOTMAC_LEASE_SECONDS: '0' }, 'DOTMAC_LEASE_SECONDS: Expected an integer greater than or equal to 1 but received: 0'],
      [['server', 'start', '--lease-seconds', '0'], { DOTMAC_LEASE_SECONDS: '5' }, '--lease-seconds: Expected an integer greater than or equal to 1 but received: 0'],
      // a flag whose name starts with another's is not taken for it
      [['server', 'start', '--port', '0'], { DOTMAC_RATE_LIMIT: '5', DOTMAC_RATE_LIMIT_PER_ADDRESS: 'bad' }, 'DOTMAC_RATE_LIMIT_PER_ADDRESS: Expected an integer but received: bad'],
      [['server', 'start', '--port', '0', '--rate-limit-per-address', 'bad'], { DOTMAC_RATE_LIMIT: '5' }, '--rate-limit-per-address: Expected an integer but received: bad'],
      // flags that exclude each other: the one from the environment named, and no value repeated (a URL may hold a password)
      [['worker', '--database-url', 'postgres://u:S3cretPw@h/db'], { DOTMAC_DB: '/x.db' }, '--database-url cannot also be provided with DOTMAC_DB'],
      [['worker', '--db', '/x.db', '--database-url', 'postgres://u:S3cretPw@h/db'], {}, '--database-url cannot also be provided with --db'],
      [['server', 'start', '--provision-timeout', '0'], {}, `--provision-timeout: ${TIMEOUT} "0"`],
      [['worker', '--driver', 'exec', '--provision-command', dir], {}, `--provision-command ${dir} is not an executable file`],
      [['worker', '--provision-command', succeeds], {}, '--provision-command needs --driver exec'],
      [['worker'], { DOTMAC_PROVISION_COMMAND: succeeds }, '--provision-command needs --driver exec'],
      [['server', 'start', '--driver', 'simulated', '--provision-command', succeeds], {}, '--provision-command needs --driver exec'],
    ];
    for (const [args, env, message] of cases) {
      const res = await ws.run(args, { env, timeoutMs: 10_000 });
      expect(res.code, `${args.join(' ')} ${JSON.stringify(env)}\n${res.stderr}`).toBe(2);
      expect(expectOneLineError(res).message).toBe(message);
    }
  });

  it('on SIGTERM with no job running it says it stops, without handing anything back', async () => {
    const worker = await startWorker(ws.env, ['--probe-interval', '0']);
    worker.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toBe(0);
    expect(worker.stderr()).toMatch(/^SIGTERM: stopping…$/m);
    expect(worker.stderr()).not.toMatch(/handing back/);
  });

  it('on SIGTERM while a job runs it names the job it hands back, and its program is killed', async () => {
    const pidFile = join(dir, 'running.pid');
    const slow = program('provision-slow', `echo '{"step":"validate","progress":100}'\necho $$ > ${pidFile}\nsleep 30`);
    const worker = await startWorker(ws.env, ['--probe-interval', '0', '--driver', 'exec', '--provision-command', slow]);
    const deployment = await ws.json<Deployment>(['deployments', 'create', '--tenant', 'fibernet', '--version', '0.1.0']);
    await until('the program to start', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'));
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stderr()).toContain(`SIGTERM: handing back job ${deployment.job_id} and stopping…`);
    expect((await ws.json<{ status: string }>(['jobs', 'get', deployment.job_id])).status).toBe('queued');
    expect(() => process.kill(Number(readFileSync(pidFile, 'utf8')), 0)).toThrow();
    // finished here, with the simulated driver, so the workspace has no job left queued
    const watched = await ws.run(['deployments', 'watch', deployment.id], { env: FAST });
    expect(watched.code, watched.stderr).toBe(0);
  });
});

describe('local mode', () => {
  it('create --wait with a setting the worker would refuse: exit 2, the same line naming the variable, nothing queued', async () => {
    const before = await ws.json<Deployment[]>(['deployments', 'list', '--all']);
    const cases: [Record<string, string>, string][] = [
      [{ DOTMAC_PROVISION_TIMEOUT: '0' }, `DOTMAC_PROVISION_TIMEOUT: ${TIMEOUT} "0"`],
      [{ DOTMAC_PROVISION_TIMEOUT: 'abc' }, `DOTMAC_PROVISION_TIMEOUT: ${TIMEOUT} "abc"`],
      [{ DOTMAC_PROVISION_TIMEOUT: '99999999999' }, `DOTMAC_PROVISION_TIMEOUT: ${TIMEOUT} "99999999999"`],
      [{ DOTMAC_DRIVER: 'bogus' }, 'Expected DOTMAC_DRIVER=bogus to be one of: simulated, exec'],
      [{ DOTMAC_DRIVER: 'exec' }, 'DOTMAC_DRIVER=exec needs DOTMAC_PROVISION_COMMAND'],
      [{ DOTMAC_DRIVER: 'exec', DOTMAC_PROVISION_COMMAND: dir }, `DOTMAC_PROVISION_COMMAND ${dir} is not an executable file`],
      [{ DOTMAC_PROVISION_COMMAND: succeeds }, 'DOTMAC_PROVISION_COMMAND needs DOTMAC_DRIVER=exec'],
    ];
    for (const [env, message] of cases) {
      const res = await ws.run(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.0.0', '--wait'], { env: { ...FAST, ...env } });
      expect(res.code, `${JSON.stringify(env)}\n${res.stderr}`).toBe(2);
      expect(expectOneLineError(res).message).toBe(message);
    }
    expect(await ws.json<Deployment[]>(['deployments', 'list', '--all'])).toEqual(before);
  });

  it('watch with a bad setting: exit 2 naming the variable, and the deployment is left queued, not faked', async () => {
    const queued = await ws.json<Deployment>(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.1.0']);
    for (const env of [{ DOTMAC_DRIVER: 'bogus' }, { DOTMAC_PROVISION_TIMEOUT: '0' }]) {
      const res = await ws.run(['deployments', 'watch', queued.id], { env: { ...FAST, ...env } });
      expect(res.code, res.stderr).toBe(2);
      expect(expectOneLineError(res).message).toMatch(/^(Expected DOTMAC_DRIVER=bogus|DOTMAC_PROVISION_TIMEOUT: )/);
    }
    expect((await ws.json<Deployment>(['deployments', 'get', queued.id])).status).toBe('queued');
    const watched = await ws.run(['deployments', 'watch', queued.id], { env: FAST });
    expect(watched.code, watched.stderr).toBe(0);
  });

  it('--wait with the exec driver: the program gets no DOTMAC_* or database variables', async () => {
    const dump = join(dir, 'environment');
    const command = program('provision-env', `env > ${dump}`);
    const env = { DOTMAC_DRIVER: 'exec', DOTMAC_PROVISION_COMMAND: command, DOTMAC_METRICS_SECRET: 'm'.repeat(40), PGPASSWORD: 'pw', ISP_REGION: 'af-east' };
    const deployment = await ws.json<Deployment>(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.2.0', '--wait'], { env });
    expect(deployment.status).toBe('succeeded');
    const names = readFileSync(dump, 'utf8').split('\n').map((entry) => entry.split('=')[0]!);
    expect(names.filter((name) => /^(DOTMAC_|PG)|^DATABASE_URL$/.test(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['ISP_REGION', 'PATH', 'HOME']));
  });

  it('--wait with a program printing one endless line: exit 1 at once, the deployment failed with the reason', async () => {
    const command = program('provision-endless', 'exec tr "\\0" a </dev/zero');
    const res = await ws.run(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.3.0', '--wait'], {
      env: { DOTMAC_DRIVER: 'exec', DOTMAC_PROVISION_COMMAND: command, DOTMAC_PROVISION_TIMEOUT: '20' },
      timeoutMs: 15_000,
    });
    expect(res.code, res.stderr).toBe(1);
    expect(expectOneLineError(res).message).toMatch(/^deployment dep_\w+ failed: the provisioning command printed a progress line longer than 64 KiB and was killed$/);
  });
});
