// npm run bench: cold-start cost of the CLI, as ratios to baselines measured in the same run.
// Writes docs/benchmarks.md. Options: --runs N (default 25), --tenants N (default 10000).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 25);
const TENANTS = arg('tenants', 10_000);
const WARMUP = 3;

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), 'dotmac-bench-'));
const dir = join(home, 'ws');
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), NO_COLOR: '1' };
for (const k of ['DOTMAC_PROFILE', 'DOTMAC_API_URL', 'DOTMAC_TOKEN', 'DOTMAC_DB']) delete env[k];
const cli = join(root, 'bin', 'run.js');

function sh(args, extraEnv = {}) {
  const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Median and spread of wall time over RUNS sequential cold starts. */
function measure(label, args, extraEnv = {}) {
  const times = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = process.hrtime.bigint();
    sh(args, extraEnv);
    if (i >= WARMUP) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p90 = times[Math.floor(times.length * 0.9)];
  console.error(`${label.padEnd(52)} median ${median.toFixed(1)} ms  p90 ${p90.toFixed(1)} ms`);
  return { label, args, median, p90 };
}

console.error(`seeding a workspace with ${TENANTS} tenants…`);
sh([cli, 'init', '--tenants', String(TENANTS), '--dir', dir]);
const listed = JSON.parse(sh([cli, 'tenants', 'list', '--json', '--limit', '50']));
if (listed.length !== 50) throw new Error('tenants list --json did not return 50 rows');
const token = JSON.parse(sh([cli, 'tokens', 'create', '--role', 'master_admin', '--json'])).token;

const server = spawn(process.execPath, [cli, 'server', 'start', '--quiet', '--port', '0', '--dir', dir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

const results = [];
try {
  results.push(measure('node -e 0', ['-e', '0']));
  results.push(measure('bare oclif command (bench/fixtures/bare-oclif)', [join(root, 'bench', 'fixtures', 'bare-oclif', 'run.js'), 'noop']));
  results.push(measure('dotmac --version', [cli, '--version']));
  results.push(measure(`dotmac tenants list --json (local, ${TENANTS} tenants)`, [cli, 'tenants', 'list', '--json']));
  results.push(measure('dotmac tenants list --json (HTTP server)', [cli, 'tenants', 'list', '--json'], { DOTMAC_API_URL: url, DOTMAC_TOKEN: token }));
} finally {
  server.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}

const [node, bare] = results;
const budgets = { 'dotmac tenants list --json (local': 2.5, 'dotmac tenants list --json (HTTP': 2.3 };
const rows = results.map((r) => {
  const budget = Object.entries(budgets).find(([k]) => r.label.startsWith(k))?.[1];
  const ratio = r.median / node.median;
  return `| ${r.label} | ${r.median.toFixed(1)} | ${ratio.toFixed(2)} × | ${(r.median / bare.median).toFixed(2)} × | ${budget ? `≤ ${budget} × ${ratio <= budget ? '(met)' : `(over by ${(ratio - budget).toFixed(2)} ×)`}` : ''} |`;
});

const doc = readFileSync(join(root, 'docs', 'benchmarks.md'), 'utf8').split('<!-- results -->')[0];
const section = [
  '<!-- results -->',
  `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${RUNS} cold runs each (median wall time).`,
  '',
  '| command | median ms | × `node -e 0` | × bare oclif | budget |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
writeFileSync(join(root, 'docs', 'benchmarks.md'), doc + section);
console.error('wrote docs/benchmarks.md');
