// What the benchmarks run: the CLI as a user would, with a throw-away home, and servers that say
// "listening on http://…" when they are ready.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'bin', 'run.js');

/** An environment with its own home, config, data and code cache, and no dotmac settings from outside. */
export function benchEnv() {
  const home = mkdtempSync(join(tmpdir(), 'dotmac-bench-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };
  for (const k of ['DOTMAC_PROFILE', 'DOTMAC_API_URL', 'DOTMAC_TOKEN', 'DOTMAC_DB', 'DOTMAC_HOME']) delete env[k];
  return { home, env };
}

/** Runs node with these arguments to the end; its stdout, or an error with its stderr. */
export function run(env, args, extraEnv = {}) {
  const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A workspace in `dir` with `tenants` demo tenants, current in env's config, and a master_admin token for it. */
export function seedWorkspace(env, dir, tenants) {
  run(env, [CLI, 'init', '--tenants', String(tenants), '--dir', dir]);
  const token = JSON.parse(run(env, [CLI, 'tokens', 'create', '--role', 'master_admin', '--json'], { DOTMAC_DB: join(dir, 'dotmac.db') })).token;
  return { dir, db: join(dir, 'dotmac.db'), token };
}

/** Starts a server process and resolves with its URL once it listens; stop() ends it with SIGTERM. */
export function startListening(env, args) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({
          url: m[1],
          pid: child.pid,
          stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGTERM')))),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before listening: ${err}`)));
  });
}

/**
 * A configuration such as an ISP runs with, a key or two in every category, three of them secret,
 * written through `configs apply` as a user would (a second version on top, so history is not empty).
 */
export function seedConfiguration(env, workspace, tenant) {
  const file = join(workspace.dir, 'bench-config.json');
  const values = {
    'network.radius_host': 'radius.isp.example',
    'network.radius_port': 1812,
    'network.radius_secret': 'bench-radius-shared-secret',
    'network.dns_servers': ['1.1.1.1', '8.8.8.8'],
    'network.max_subscribers': 25000,
    'billing.currency': 'KES',
    'billing.tax_rate_bps': 1600,
    'billing.invoice_due_days': 14,
    'billing.gateway_api_key': 'bench-gateway-api-key',
    'notifications.smtp_host': 'smtp.isp.example',
    'notifications.smtp_port': 587,
    'notifications.smtp_password': 'bench-smtp-password',
    'notifications.from_email': 'noc@isp.example',
    'security.session_timeout_minutes': 30,
    'security.mfa_required': true,
    'security.password_min_length': 12,
    'integrations.webhook_url': 'https://hooks.isp.example/dotmac',
    'integrations.crm': { vendor: 'acme-crm', sync: ['customers', 'invoices'], interval_minutes: 15 },
    'branding.company_name': 'Bench ISP',
    'branding.primary_color': '#0a7cff',
    'branding.logo_url': 'https://cdn.isp.example/logo.svg',
  };
  writeFileSync(file, JSON.stringify(values));
  const extra = { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token };
  run(env, [CLI, 'configs', 'apply', '-f', file, '--tenant', tenant], extra);
  run(env, [CLI, 'configs', 'set', 'security.session_timeout_minutes=45', '--tenant', tenant], extra);
  return Object.keys(values).length;
}

/** The first day's period `back` months before this one: monthsAgo(1) is last month, YYYY-MM. */
export function monthsAgo(back) {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

/**
 * A period's run (billing, commissions) timed over HTTP on a server of its own, then run again:
 * POST `path` with `{ period }` as the workspace's master token, twice. Answers both timings and
 * bodies, and the second's outcome header, for the caller to check that it wrote nothing.
 */
export async function postPeriodRunTwice({ env, workspace, path, period, name }) {
  const server = await startListening(env, [CLI, 'server', 'start', '--quiet', '--port', '0', '--dir', workspace.dir, '--rate-limit', '1000000000', '--probe-interval', '0']);
  const post = async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workspace.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ period }),
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
    return { seconds: (performance.now() - started) / 1000, body, outcome: res.headers.get('dotmac-outcome') };
  };
  try {
    const first = await post();
    const second = await post();
    return { first, second };
  } finally {
    await server.stop();
  }
}

/**
 * `measure` run `rounds` times, each on the workspace's database as it is now (a copy put back
 * before each round, its WAL removed), answering every round's result and the one whose `ratio`
 * is the median. One run of a period is one sample of a cold server; the floor beside it varies
 * with the machine's disk and cache by half again, so a single round can land far either way.
 * The workspace is left as the last round left it.
 */
export async function inRounds(workspace, rounds, measure, ratio) {
  const pristine = `${workspace.db}.pristine`;
  copyFileSync(workspace.db, pristine);
  const results = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const suffix of ['-wal', '-shm']) rmSync(`${workspace.db}${suffix}`, { force: true });
      copyFileSync(pristine, workspace.db);
      results.push(await measure());
    }
  } finally {
    rmSync(pristine, { force: true });
  }
  const sorted = [...results].sort((a, b) => ratio(a) - ratio(b));
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], ratios: results.map(ratio) };
}
