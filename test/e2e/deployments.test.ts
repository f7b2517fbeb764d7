// Deployments, jobs and scaling as a new user runs them: in local mode (a command's --wait runs
// its job in-process), and over HTTP against `server start`, whose worker runs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, startServer, type RunningServer, type Workspace } from './cli.js';

const FAST = { DOTMAC_SIM_STEP_MS: '10' };
const STEPS = ['validate', 'provision', 'configure', 'health_check'];

interface Deployment {
  id: string;
  job_id: string;
  status: string;
  endpoint_url: string | null;
  failure_reason: string | null;
}

let ws: Workspace;
beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet']);
  await ws.json(['tenants', 'create', '--slug', 'other', '--name', 'Other']);
});
afterAll(cleanup);

describe('in local mode', () => {
  it('without --wait: queued, and it says how to run it', async () => {
    const res = await ws.run(['deployments', 'create', '--tenant', 'other', '--version', '0.9.0'], { env: FAST });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^status\tqueued$/m);
    expect(res.stderr).toMatch(/^Queued deployment dep_\w+ \(job job_\w+\)\. In local mode it runs when you follow it, dotmac deployments watch dep_\w+/);
  });

  it('watch runs it and prints one JSON line per event, then the final state; exit 0', async () => {
    const [queued] = await ws.json<Deployment[]>(['deployments', 'list', '--tenant', 'other', '--status', 'queued']);
    const res = await ws.run(['deployments', 'watch', queued!.id], { env: FAST });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const final = lines.pop() as { deployment: Deployment };
    expect(final.deployment).toMatchObject({ id: queued!.id, status: 'succeeded', endpoint_url: 'https://other.eu-west.sim.dotmac.invalid' });
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.filter((e) => e.progress === 100).map((e) => e.step)).toEqual(STEPS);
    expect(lines.at(-1)).toMatchObject({ type: 'status', status: 'succeeded' });
  });

  it('--wait runs the job here and prints the deployment that succeeded', async () => {
    const deployment = await ws.json<Deployment>(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.0.0', '--wait'], { env: FAST });
    expect(deployment).toMatchObject({ status: 'succeeded', endpoint_url: 'https://fibernet.eu-west.sim.dotmac.invalid' });
    const job = await ws.json<{ status: string; steps: { step: string }[] }>(['jobs', 'get', deployment.job_id]);
    expect(job.status).toBe('succeeded');
    expect(job.steps.map((s) => s.step)).toEqual(STEPS);
  });

  it('a failing step: --wait exits 1 with the reason; the job retried finishes without repeating steps', async () => {
    const failed = await ws.run(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.1.0', '--wait'], { env: { ...FAST, DOTMAC_SIM_FAIL_STEP: 'configure' } });
    expect(failed.code).toBe(1);
    const { message, hint } = expectOneLineError(failed);
    expect(message).toMatch(/^deployment dep_\w+ failed: simulated failure in step configure \(DOTMAC_SIM_FAIL_STEP=configure\)$/);
    const jobId = /dotmac jobs retry (job_\w+)/.exec(hint ?? '')![1]!;
    const [job] = await ws.json<{ id: string; status: string; last_error: string }[]>(['jobs', 'list', '--status', 'failed']);
    expect(job).toMatchObject({ id: jobId, status: 'failed' });
    const retried = await ws.run(['jobs', 'retry', jobId, '--reason', 'configure fixed']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toBe(`Queued ${jobId} again\n`);
    const again = await ws.run(['jobs', 'retry', jobId]);
    expect(again.stderr).toBe(`${jobId} is already queued; nothing changed\n`);
    const [deployment] = await ws.json<Deployment[]>(['deployments', 'list', '--tenant', 'fibernet', '--limit', '1']);
    const watched = await ws.run(['deployments', 'watch', deployment!.id], { env: FAST });
    expect(watched.code, watched.stderr).toBe(0);
    const events = watched.stdout.trim().split('\n').slice(0, -1).map((line) => JSON.parse(line) as { step: string | null; progress: number | null });
    expect(events.filter((e) => e.progress === 0).map((e) => e.step)).toEqual(['validate', 'provision', 'configure', 'configure', 'health_check']);
  });

  it('watch of a deployment that failed exits 1', async () => {
    const job = (await ws.json<{ id: string }>(['deployments', 'create', '--tenant', 'other', '--version', '2.0.0'])) as Deployment;
    const cancelled = await ws.run(['jobs', 'cancel', job.job_id, '--reason', 'wrong version']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const res = await ws.run(['deployments', 'watch', job.id], { env: FAST });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout.trim().split('\n').at(-1)!).deployment).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^cancelled by usr_\w+: wrong version$/) });
  });

  it('rollback returns to the previous version and marks the replaced one rolled_back', async () => {
    const rollback = await ws.json<Deployment & { version: string }>(['deployments', 'rollback', '--tenant', 'fibernet', '--wait'], { env: FAST });
    expect(rollback).toMatchObject({ status: 'succeeded', version: '1.0.0', kind: 'rollback' });
    const rolledBack = await ws.json<Deployment[]>(['deployments', 'list', '--tenant', 'fibernet', '--status', 'rolled_back']);
    expect(rolledBack.map((d) => (d as unknown as { version: string }).version)).toEqual(['1.1.0']);
  });

  it('scale prints the monthly cost before and after in dollars, and in cents with --json', async () => {
    const dry = await ws.run(['tenants', 'scale', 'fibernet', '--replicas', '2', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe('current\t1 × small = $99.00/month\nproposed\t2 × small = $198.00/month\ndifference\t+$99.00/month\n');
    const plan = await ws.json<{ difference_cents: number; deployment: null }>(['tenants', 'scale', 'fibernet', '--replicas', '2', '--size', 'large', '--dry-run']);
    expect(plan).toMatchObject({ current: { monthly_cents: 9_900 }, proposed: { monthly_cents: 159_800 }, difference_cents: 149_900, deployment: null });
    const refused = await ws.run(['tenants', 'scale', 'fibernet', '--replicas', '2', '--size', 'large']);
    expect(refused.code).toBe(2);
    expect(expectOneLineError(refused).message).toBe('refusing to scale fibernet to 2 × large, more than doubling its monthly cost ($99.00 → $1,598.00) without confirmation');
    const scaled = await ws.json<{ deployment: Deployment & { replicas: number } }>(['tenants', 'scale', 'fibernet', '--replicas', '2', '--wait'], { env: FAST });
    expect(scaled.deployment).toMatchObject({ status: 'succeeded', kind: 'scale', replicas: 2, size: 'small' });
  });

  it('a tenant admin leaves out --tenant, and sees only its own tenant\'s deployments and jobs', async () => {
    const { token } = await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'other']);
    const env = { ...FAST, DOTMAC_TOKEN: token };
    const deployment = await ws.json<Deployment & { tenant_id: string }>(['deployments', 'create', '--version', '2.1.0', '--wait'], { env });
    expect(deployment.status).toBe('succeeded');
    const seen = await ws.json<{ tenant_id: string }[]>(['deployments', 'list', '--all'], { env });
    expect(new Set(seen.map((d) => d.tenant_id))).toEqual(new Set([deployment.tenant_id]));
    const jobs = await ws.json<{ tenant_id: string }[]>(['jobs', 'list', '--all'], { env });
    expect(new Set(jobs.map((j) => j.tenant_id))).toEqual(new Set([deployment.tenant_id]));
    const foreign = await ws.run(['deployments', 'create', '--tenant', 'fibernet', '--version', '2.1.0'], { env });
    expect(foreign.code).toBe(5);
  });

  it('bad input: one line, the right exit code, nothing written', async () => {
    const before = await ws.json<Deployment[]>(['deployments', 'list', '--all']);
    const cases: [string[], number, RegExp][] = [
      [['tenants', 'scale', 'fibernet', '--replicas', '4'], 2, /^--replicas: replicas 4 is over the limit of 3 for size small$/],
      [['tenants', 'scale', 'fibernet', '--replicas', '1', '--size', 'huge'], 2, /--size=huge to be one of: micro, small, medium, large, xlarge/],
      [['deployments', 'create', '--tenant', 'fibernet', '--version', '3', '--size', 'huge'], 2, /--size=huge/],
      [['deployments', 'create', '--tenant', 'fibernet', '--version', '3', '--endpoint', 'ftp://files.example.test'], 2, /^--endpoint: must be an http:\/\/ or https:\/\/ URL, not ftp:$/],
      [['deployments', 'create', '--tenant', 'fibernet', '--version', '3', '--endpoint', 'https://admin:hunter2@isp.example.test'], 2, /^--endpoint: must not hold a user name or password: an endpoint is stored and shown to the tenant's people$/],
      [['deployments', 'create', '--tenant', 'fibernet', '--version', '3', '--size', 'micro', '--replicas', '3'], 2, /^--replicas: replicas 3 is over the limit of 2 for size micro$/],
      [['deployments', 'create', '--version', '3'], 2, /--tenant is required/],
      [['jobs', 'get', 'job_00000000000000000000000000'], 5, /job "job_00000000000000000000000000" was not found/],
      [['jobs', 'retry', 'nonsense'], 5, /job "nonsense" was not found/],
      [['deployments', 'get', 'dep_nope'], 5, /deployment "dep_nope" was not found/],
      [['deployments', 'watch', 'dep_nope'], 5, /deployment "dep_nope" was not found/],
      [['jobs', 'list', '--status', 'lost'], 2, /--status=lost/],
      [['worker', '--driver', 'exec'], 2, /^--driver exec needs --provision-command$/],
      [['server', 'start', '--driver', 'exec', '--provision-command', '/no/such/program'], 2, /^--provision-command \/no\/such\/program is not an executable file$/],
    ];
    for (const [args, code, message] of cases) {
      const res = await ws.run(args);
      expect(res.code, `${args.join(' ')}\n${res.stderr}`).toBe(code);
      expect(expectOneLineError(res).message, args.join(' ')).toMatch(message);
    }
    expect(await ws.json<Deployment[]>(['deployments', 'list', '--all'])).toEqual(before);
  });
});

describe('over HTTP', () => {
  let server: RunningServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({ ...ws.env, ...FAST }, ['--db', ws.db, '--dir', ws.dir, '--quiet']);
    env = { DOTMAC_API_URL: server.url, DOTMAC_TOKEN: ws.token };
  });
  afterAll(() => server?.stop());

  it('the server\'s worker runs what the CLI queues; --wait and watch follow it', async () => {
    await ws.json(['tenants', 'create', '--slug', 'remote', '--name', 'Remote'], { env });
    const queued = await ws.run(['deployments', 'create', '--tenant', 'remote', '--version', '5.0.0'], { env });
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/a worker of the server's runs it\. Follow it: dotmac deployments watch dep_\w+/);
    const id = /watch (dep_\w+)/.exec(queued.stderr)![1]!;
    const watched = await ws.run(['deployments', 'watch', id], { env });
    expect(watched.code, watched.stderr).toBe(0);
    expect(JSON.parse(watched.stdout.trim().split('\n').at(-1)!).deployment).toMatchObject({ id, status: 'succeeded' });
    const waited = await ws.json<Deployment>(['deployments', 'create', '--tenant', 'remote', '--version', '5.1.0', '--wait'], { env });
    expect(waited.status).toBe('succeeded');
    const jobs = await ws.json<{ status: string }[]>(['jobs', 'list', '--tenant', 'remote'], { env });
    expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('/metrics counts the job queue by status', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ws.token}` } });
    const text = await res.text();
    for (const status of ['queued', 'running', 'succeeded', 'failed', 'cancelled']) expect(text).toMatch(new RegExp(`^dotmac_job_queue_depth\\{status="${status}"\\} \\d+$`, 'm'));
    expect(text).toMatch(/^dotmac_job_queue_depth\{status="cancelled"\} 1$/m);
  });
});
