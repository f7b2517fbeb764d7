// Instance health as a new user runs it: probes, an instance agent's pushes, and `dotmac health`,
// in local mode and over HTTP against `server start`, whose worker probes on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, closedPort, type HealthServer } from '../support/health-servers.js';
import { cleanup, expectOneLineError, newWorkspace, startServer, type RunningServer, type Workspace } from './cli.js';

const FAST = { DOTMAC_SIM_STEP_MS: '10' };

interface Health {
  tenant_slug: string;
  status: string;
  uptime_24h: number | null;
  checks_24h: number;
  cpu: number | null;
  subscribers: number | null;
  recent?: { status: string }[];
}

let ws: Workspace;
let healthy: HealthServer;
let agentToken: string;
beforeAll(async () => {
  healthy = await answers.ok();
  ws = await newWorkspace();
  for (const slug of ['fibernet', 'downnet', 'quiet']) await ws.json(['tenants', 'create', '--slug', slug, '--name', slug]);
  await ws.json(['deployments', 'create', '--tenant', 'fibernet', '--version', '1.0.0', '--endpoint', healthy.url, '--wait'], { env: FAST });
  await ws.json(['deployments', 'create', '--tenant', 'downnet', '--version', '1.0.0', '--endpoint', await closedPort(), '--wait'], { env: FAST });
  agentToken = (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'instance', '--tenant', 'fibernet', '--label', 'agent'])).token;
});
afterAll(async () => {
  cleanup();
  await healthy.close();
});

describe('in local mode', () => {
  it('health probe probes the current deployment and prints what it found', async () => {
    const res = await ws.run(['health', 'probe', '--tenant', 'fibernet']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^fibernet\tup\t\d+\t200\t/);
    const [down] = await ws.json<{ status: string; error: string }[]>(['health', 'probe', '--tenant', 'downnet']);
    expect(down).toMatchObject({ status: 'down', error: 'connection refused' });
  });

  it('an instance token pushes its tenant\'s metrics and can do nothing else', async () => {
    const env = { DOTMAC_TOKEN: agentToken };
    const pushed = await ws.run(['health', 'push', '--tenant', 'fibernet', 'cpu=41.5', 'memory=63', 'subscribers=1200', 'bandwidth_mbps=830'], { env });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toMatch(/^Stored 4 points for tenant fibernet\.$/m);
    const other = await ws.run(['health', 'push', '--tenant', 'downnet', 'cpu=1'], { env });
    expect(other.code).toBe(5);
    const listed = await ws.run(['tenants', 'list'], { env });
    expect(listed.code).toBe(4);
    expect(expectOneLineError(listed).message).toBe('the instance role may not list tenants (master_admin or tenant_admin or reseller only)');
  });

  it('a bad batch is a one-line error naming the point and field, exit 2, and nothing is stored', async () => {
    const env = { DOTMAC_TOKEN: agentToken };
    const fraction = await ws.run(['health', 'push', '--tenant', 'fibernet', 'cpu=10', 'subscribers=1.5'], { env });
    expect(fraction.code).toBe(2);
    expect(expectOneLineError(fraction).message).toBe('body points.1.value: subscribers is a whole number');
    const unknown = await ws.run(['health', 'push', '--tenant', 'fibernet', 'temperature=20'], { env });
    expect(unknown.code).toBe(2);
    expect(expectOneLineError(unknown).message).toMatch(/^body points\.0\.metric: /);
    const garbage = await ws.run(['health', 'push', '--tenant', 'fibernet', 'cpu=abc'], { env });
    expect(garbage.code).toBe(2);
    expect(expectOneLineError(garbage).message).toBe('cpu=abc: the value is not a number');
    const health = await ws.json<Health>(['health', '--tenant', 'fibernet']);
    expect(health).toMatchObject({ cpu: 41.5, subscribers: 1200 });
  });

  it('health --tenant gives the numbers; without, one row per tenant, worst first', async () => {
    const health = await ws.json<Health>(['health', '--tenant', 'fibernet']);
    expect(health).toMatchObject({ tenant_slug: 'fibernet', status: 'up', uptime_24h: 100, checks_24h: 1, cpu: 41.5, subscribers: 1200 });
    expect(health.recent!.map((r) => r.status)).toEqual(['up']);
    const res = await ws.run(['health']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim().split('\n').map((line) => line.split('\t').slice(0, 3))).toEqual([
      ['downnet', 'down', '0'],
      ['quiet', 'unknown', ''],
      ['fibernet', 'up', '100'],
    ]);
  });

  it('a tenant admin\'s health is its own tenant\'s, without --tenant', async () => {
    const { token } = await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'fibernet']);
    const health = await ws.json<Health>(['health'], { env: { DOTMAC_TOKEN: token } });
    expect(health.tenant_slug).toBe('fibernet');
  });

  it('bad targets: an unknown tenant is exit 5, a tenant with nothing to probe exit 6', async () => {
    const unknown = await ws.run(['health', 'probe', '--tenant', 'nosuch']);
    expect(unknown.code).toBe(5);
    expectOneLineError(unknown);
    const nothing = await ws.run(['health', 'probe', '--tenant', 'quiet']);
    expect(nothing.code).toBe(6);
    expect(expectOneLineError(nothing).message).toBe('tenant "quiet" has no succeeded deployment with an endpoint to probe');
  });
  it('bad flags: one line and exit 2, before anything starts or is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['worker', '--probe-interval', '-1'], /--probe-interval/],
      [['server', 'start', '--probe-degraded-ms', '0'], /--probe-degraded-ms/],
      [['server', 'start', '--probe-timeout-ms', 'soon'], /--probe-timeout-ms/],
      [['health', '--limit', '0'], /--limit/],
      [['health', 'push', 'cpu=1'], /required flag tenant/],
      [['health', 'push', '--tenant', 'fibernet', 'cpu'], /^"cpu" is not METRIC=VALUE$/],
    ];
    for (const [args, message] of cases) {
      const res = await ws.run(args, { env: { DOTMAC_TOKEN: agentToken } });
      expect(res.code, `${args.join(' ')}\n${res.stderr}`).toBe(2);
      expect(expectOneLineError(res).message, args.join(' ')).toMatch(message);
    }
  });
});

describe('over HTTP', () => {
  let server: RunningServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({ ...ws.env, ...FAST }, ['--db', ws.db, '--dir', ws.dir, '--quiet', '--probe-interval', '1']);
    env = { DOTMAC_API_URL: server.url, DOTMAC_TOKEN: ws.token };
  });
  afterAll(() => server?.stop());

  it('the server\'s worker probes every --probe-interval on its own', async () => {
    const before = (await ws.json<Health>(['health', '--tenant', 'fibernet'], { env })).checks_24h;
    for (let waited = 0; ; waited += 250) {
      const now = await ws.json<Health>(['health', '--tenant', 'fibernet'], { env });
      if (now.checks_24h >= before + 2) break;
      if (waited > 30_000) throw new Error(`no new probes in 30 s (${before} → ${now.checks_24h})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const jobs = await ws.json<{ kind: string; status: string }[]>(['jobs', 'list', '--tenant', 'fibernet'], { env });
    expect(jobs.some((j) => j.kind === 'health_probe' && j.status === 'succeeded')).toBe(true);
  });

  it('an agent pushes over HTTP, health probe runs through the server, and health shows both', async () => {
    const pushed = await ws.run(['health', 'push', '--tenant', 'fibernet', 'cpu=12'], { env: { ...env, DOTMAC_TOKEN: agentToken } });
    expect(pushed.code, pushed.stderr).toBe(0);
    const [check] = await ws.json<{ tenant_slug: string; status: string }[]>(['health', 'probe', '--tenant', 'fibernet'], { env });
    expect(check).toMatchObject({ tenant_slug: 'fibernet', status: 'up' });
    const health = await ws.json<Health>(['health', '--tenant', 'fibernet'], { env });
    expect(health).toMatchObject({ status: 'up', uptime_24h: 100, cpu: 12 });
    const bad = await ws.run(['health', 'push', '--tenant', 'fibernet', 'memory=120'], { env: { ...env, DOTMAC_TOKEN: agentToken } });
    expect(bad.code).toBe(2);
    expect(expectOneLineError(bad).message).toBe('body points.0.value: memory must be between 0 and 100 (percent)');
  });
});
