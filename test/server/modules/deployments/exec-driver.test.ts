import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execDriver } from '../../../../src/server/modules/deployments/drivers/exec.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { testWorker } from '../../../support/jobs.js';

/**
 * The exec driver against real programs: one that succeeds (reading the deployment from stdin),
 * one that fails, one that hangs (with a child of its own), one that prints garbage. Each ends as
 * a deployment state with a reason, and nothing is left running.
 */

let api: TestApi;
let dir: string;
let serial = 0;

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

const line = (step: string, progress: number, extra = '') => `echo '{"step":"${step}","progress":${progress}${extra}}'`;

/** Deploys a fresh tenant through the exec driver running `command`; the deployment as it ended. */
async function deployWith(command: string, timeoutMs = 10_000) {
  const slug = `exec-${++serial}`;
  await api.admin.tenants.create({ slug, name: slug });
  const created = await api.admin.deployments.create({ tenant: slug, version: '4.2.0' });
  await testWorker(api, { driver: execDriver({ command, timeoutMs }) }).runJob(created.job_id);
  return api.admin.deployments.events(created.id);
}

beforeAll(async () => {
  api = await startTestApi();
  dir = mkdtempSync(join(tmpdir(), 'dotmac-exec-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the exec driver', () => {
  it('a command that reports every step and exits 0: succeeded, with its endpoint and the deployment it read on stdin', async () => {
    const command = script(
      'provision-ok',
      `#!${process.execPath}
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', () => {
  const { deployment, tenant, steps, completed_steps } = JSON.parse(input);
  for (const step of steps) {
    console.log(JSON.stringify({ step, progress: 40, message: 'working on ' + step }));
    console.log(JSON.stringify({ step, progress: 100 }));
  }
  console.log(JSON.stringify({ step: 'health_check', progress: 100, endpoint_url: 'https://' + tenant.slug + '.example.test/v' + deployment.version }));
  process.stderr.write('completed before: ' + completed_steps.length + '\\n');
});
`,
    );
    const { deployment, events } = await deployWith(command);
    expect(deployment).toMatchObject({ status: 'succeeded', endpoint_url: `https://exec-${serial}.example.test/v4.2.0`, failure_reason: null });
    expect(events.filter((e) => e.type === 'step').map((e) => `${e.step} ${e.progress}`)).toEqual(
      ['validate', 'provision', 'configure', 'health_check'].flatMap((s) => [`${s} 40`, `${s} 100`]),
    );
    expect(events.find((e) => e.progress === 40)?.message).toBe('working on validate');
  });

  it('a command that exits non-zero: failed, with the tail of its stderr, after the steps it finished', async () => {
    const command = script('provision-fails', `#!/bin/sh\ncat >/dev/null\n${line('validate', 100)}\necho "starting provision" >&2\necho "error: quota exceeded in region af-east" >&2\nexit 3\n`);
    const { deployment, events } = await deployWith(command);
    expect(deployment.status).toBe('failed');
    expect(deployment.failure_reason).toBe('the provisioning command exited with 3: starting provision error: quota exceeded in region af-east');
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(['validate']);
  });

  it('a command that hangs: killed with its whole process group after the timeout, failed with the reason', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const command = script('provision-hangs', `#!/bin/sh\ncat >/dev/null\n${line('validate', 100)}\nsleep 600 &\necho $! > ${pidFile}\nsleep 600\n`);
    const { deployment } = await deployWith(command, 1_000);
    expect(deployment).toMatchObject({ status: 'failed', failure_reason: 'the provisioning command did not finish within 1s and was killed' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(grandchild), `the hanging command's own child ${grandchild} was left running`).toBe(false);
  });

  it('a command that prints garbage: killed, failed with a reason quoting the line', async () => {
    const command = script('provision-garbage', `#!/bin/sh\ncat >/dev/null\n${line('validate', 100)}\necho 'Provisioning... done!'\nsleep 600\n`);
    const { deployment, events } = await deployWith(command);
    expect(deployment).toMatchObject({ status: 'failed', failure_reason: 'the provisioning command printed a line that is not JSON: "Provisioning... done!"' });
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(['validate']);
  });

  it('reports that are not progress: an unknown step, progress out of range, a step before the one it follows', async () => {
    const cases: [string, string][] = [
      [line('reboot', 100), 'the provisioning command reported an unknown step "reboot" (the steps are validate, provision, configure, health_check)'],
      [line('validate', 250), 'the provisioning command reported progress 250 for validate; it must be a number from 0 to 100'],
      [line('configure', 100), 'the driver reported step configure before validate finished'],
      [`echo '[1,2]'`, 'the provisioning command printed a line that is not a progress object: "[1,2]"'],
      [`echo '{"progress":100}'`, 'the provisioning command printed a progress line with no step: "{\\"progress\\":100}" (the steps are validate, provision, configure, health_check)'],
      [
        `echo '{"step":"validate","progress":100,"endpoint_url":"https://admin:hunter2@isp.example.test"}'`,
        'the provisioning command reported an endpoint_url with a user name or password in it; an endpoint is stored and shown, so it must not hold credentials',
      ],
    ];
    for (const [i, [print, reason]] of cases.entries()) {
      const { deployment } = await deployWith(script(`provision-bad-${i}`, `#!/bin/sh\ncat >/dev/null\n${print}\nsleep 600\n`));
      expect(deployment, print).toMatchObject({ status: 'failed', failure_reason: reason });
    }
  });

  it('a command that cannot be run: failed, saying so', async () => {
    const { deployment } = await deployWith(join(dir, 'no-such-program'));
    expect(deployment.status).toBe('failed');
    expect(deployment.failure_reason).toMatch(/^the provisioning command could not be started: .*ENOENT/);
  });

  it('a command that exits leaving a child of another session on its stdout: done a second later all the same', async () => {
    const pidFile = join(dir, 'daemon.pid');
    const command = script('provision-daemon', `#!/bin/sh\ncat >/dev/null\n${line('validate', 100)}\nsetsid sleep 600 &\necho $! > ${pidFile}\nexit 0\n`);
    try {
      const { deployment } = await deployWith(command);
      expect(deployment.status).toBe('succeeded');
    } finally {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('a command that exits 0 quietly: every step counts as finished', async () => {
    const { deployment, events } = await deployWith(script('provision-quiet', '#!/bin/sh\ncat >/dev/null\nexit 0\n'));
    expect(deployment).toMatchObject({ status: 'succeeded', endpoint_url: null });
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(['validate', 'provision', 'configure', 'health_check']);
  });

  it('a command printing endless stdout without a newline: killed once a line passes 64 KiB, failed saying so', async () => {
    const command = script('provision-endless-line', '#!/bin/sh\ncat >/dev/null\nexec tr "\\0" a </dev/zero\n');
    const before = process.memoryUsage().rss;
    const { deployment } = await deployWith(command, 5_000);
    expect(deployment).toMatchObject({ status: 'failed', failure_reason: 'the provisioning command printed a progress line longer than 64 KiB and was killed' });
    expect(process.memoryUsage().rss - before, 'memory held for the output').toBeLessThan(64 * 1024 * 1024);
  });

  it('a progress line just under 64 KiB is read whole', async () => {
    const long = 'x'.repeat(64 * 1024 - 100);
    const command = script('provision-long-line', `#!/bin/sh\ncat >/dev/null\n${line('validate', 100, `,"message":"${long}"`)}\n`);
    const { deployment, events } = await deployWith(command);
    expect(deployment.status, deployment.failure_reason ?? '').toBe('succeeded');
    expect(events.find((e) => e.step === 'validate')?.message).toBe('x'.repeat(500));
  });

  it('a command that fails after a megabyte of stderr: the reason quotes the last whole lines that fit', async () => {
    const command = script(
      'provision-chatty',
      `#!/bin/sh\ncat >/dev/null\ni=0\nwhile [ $i -lt 16000 ]; do echo "line $i of the provisioning log, padded to sixty characters...." >&2; i=$((i+1)); done\nexit 4\n`,
    );
    const { deployment } = await deployWith(command);
    const reason = deployment.failure_reason ?? '';
    expect(reason).toMatch(/^the provisioning command exited with 4: line \d+ of the provisioning log/);
    const quoted = reason.slice('the provisioning command exited with 4: '.length);
    expect(quoted.length).toBeLessThanOrEqual(500);
    const lines = Array.from({ length: 16000 }, (_, i) => `line ${i} of the provisioning log, padded to sixty characters....`);
    const fitting = lines.slice(-Math.floor(501 / (lines.at(-1)!.length + 1)));
    expect(quoted).toBe(fitting.join(' '));
  });

  it('the program gets the environment without dotmac\'s variables and secrets', async () => {
    const dump = join(dir, 'environment');
    const command = script('provision-env', `#!/bin/sh\ncat >/dev/null\nenv > ${dump}\n`);
    const planted = { DOTMAC_METRICS_SECRET: 's'.repeat(40), DOTMAC_TOKEN: 'tok', DATABASE_URL: 'postgres://u:p@h/d', PGPASSWORD: 'pw', PGUSER: 'u', ISP_REGION: 'af-east' };
    const saved = Object.fromEntries(Object.keys(planted).map((name) => [name, process.env[name]]));
    Object.assign(process.env, planted);
    try {
      const { deployment } = await deployWith(command);
      expect(deployment.status, deployment.failure_reason ?? '').toBe('succeeded');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const names = readFileSync(dump, 'utf8').split('\n').map((entry) => entry.split('=')[0]);
    expect(names.filter((name) => /^(DOTMAC_|PG)|^DATABASE_URL$/.test(name ?? ''))).toEqual([]);
    expect(names).toContain('ISP_REGION');
    expect(names).toContain('PATH');
  });

  it('what a program started in the background is killed when it exits, succeeded or failed', async () => {
    for (const [i, exit] of [0, 1].entries()) {
      const pidFile = join(dir, `background-${i}.pid`);
      const command = script(`provision-background-${i}`, `#!/bin/sh\ncat >/dev/null\n( sleep 1000 ) &\necho $! > ${pidFile}\nexit ${exit}\n`);
      const { deployment } = await deployWith(command);
      expect(deployment.status).toBe(exit === 0 ? 'succeeded' : 'failed');
      const background = Number(readFileSync(pidFile, 'utf8'));
      expect(isAlive(background), `the program's background child ${background} was left running`).toBe(false);
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]!.startsWith('Z');
  } catch {
    return false;
  }
}
