// npm run bench: API throughput and CLI cold starts, each as a ratio to a floor measured in the same
// run on the same machine, written to docs/benchmarks.md (DESIGN §7 budgets).
//
//   node bench/run.js [--quick] [--rounds N] [--seconds N] [--runs N] [--tenants N] [--api-tenants N]
//                     [--only throughput|cold|billing|dashboard|overview]
//
// Cold starts are also counted in instructions under valgrind (callgrind) when it is installed,
// except with --quick.
//
// --only runs one section and keeps the others as docs/benchmarks.md last recorded them.
//
// --quick is for development (short runs, noisy figures); the defaults are for the record.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { coldStartCommands, countInstructions, measureColdStarts } from './cold-start.js';
import { benchEnv, CLI, ROOT, run, seedConfiguration, seedWorkspace, startListening } from './processes.js';
import { measureThroughput } from './throughput.js';
import { BATCH, measureIngestion, seedHealthHistory } from './health.js';
import { billingSection, measureBillingRun, seedSubscriptions } from './billing.js';
import { commissionSection, measureCommissionRun } from './commissions.js';
import { dashboardSection, measureDashboardFirstFrame } from './dashboard.js';
import { measureOverview, overviewSection } from './overview.js';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const quick = flag('quick');
const settings = {
  rounds: Number(option('rounds', quick ? 1 : 3)),
  seconds: Number(option('seconds', quick ? 3 : 10)),
  warmupSeconds: quick ? 2 : 5,
  runs: Number(option('runs', quick ? 5 : 20)),
  warmupRuns: quick ? 1 : 3,
  tenants: Number(option('tenants', 10_000)),
  apiTenants: Number(option('api-tenants', 100_000)),
};
const only = option('only');

if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const log = (line) => console.error(line);
const loadAtStart = loadavg()[0];
const { home, env } = benchEnv();
const results = {};
try {
  if (!only || only === 'throughput') {
    log(`seeding ${settings.apiTenants} tenants for the API…`);
    const workspace = seedWorkspace(env, join(home, 'api'), settings.apiTenants);
    log(`throughput: ${settings.rounds} round(s) of ${settings.seconds} s per target, after ${settings.warmupSeconds} s of warm-up each`);
    results.throughput = await measureThroughput({ env, workspace, rounds: settings.rounds, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, log });
    log(`metric ingestion: ${settings.rounds} round(s) of ${settings.seconds} s, batches of ${BATCH} points`);
    results.ingestion = await measureIngestion({ env, home, rounds: settings.rounds, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, log });
  }
  if (!only || only === 'billing') {
    log(`seeding ${settings.tenants} tenants with a subscription each for the billing run…`);
    const workspace = seedWorkspace(env, join(home, 'billing'), settings.tenants);
    seedSubscriptions(workspace);
    results.billing = await measureBillingRun({ env, workspace, log, rounds: settings.rounds });
    results.commissions = await measureCommissionRun({ env, workspace, log, rounds: settings.rounds });
  }
  if (!only || only === 'cold') {
    log(`seeding ${settings.tenants} tenants for the CLI…`);
    // seeded last, so that `init` leaves its profile current: the local runs use it as a user would
    const workspace = seedWorkspace(env, join(home, 'cli'), settings.tenants);
    log('seeding 7 days of health history (a probe and a point per metric per minute) for one tenant…');
    const healthTenant = seedHealthHistory(env, workspace);
    const server = await startListening(env, [CLI, 'server', 'start', '--quiet', '--port', '0', '--dir', workspace.dir]);
    try {
      const listed = JSON.parse(run(env, [CLI, 'tenants', 'list', '--json']));
      if (listed.length !== 50) throw new Error('tenants list --json did not print 50 rows');
      const configTenant = listed[0].slug;
      const configKeys = seedConfiguration(env, workspace, configTenant);
      const commands = coldStartCommands({ workspace, serverUrl: server.url, token: workspace.token, tenants: settings.tenants, configTenant, configKeys, healthTenant });
      // Node reads every certificate in NODE_EXTRA_CA_CERTS as it starts (a sandbox or corporate
      // proxy sets it), a cost that `node -e 0` pays too and that flatters every ratio; both are
      // measured when it is set, and the budget is read without it.
      const withoutCa = { ...env };
      delete withoutCa.NODE_EXTRA_CA_CERTS;
      log(`cold starts: ${settings.runs} runs each after ${settings.warmupRuns} warm-up run(s), commands taking turns`);
      results.cold = measureColdStarts({ baseEnv: withoutCa, commands, runs: settings.runs, warmup: settings.warmupRuns, log });
      if (env.NODE_EXTRA_CA_CERTS) {
        log('again with NODE_EXTRA_CA_CERTS as set in this environment');
        results.coldWithCa = measureColdStarts({ baseEnv: env, commands, runs: settings.runs, warmup: settings.warmupRuns, log });
      }
      if (!quick) {
        log('instructions, once each under callgrind (NODE_EXTRA_CA_CERTS unset)');
        results.coldInstructions = countInstructions({ baseEnv: withoutCa, commands, log });
      }
    } finally {
      await server.stop();
    }
  }
  if (!only || only === 'dashboard') {
    log(`seeding ${settings.tenants} tenants for the dashboard…`);
    const workspace = seedWorkspace(env, join(home, 'dashboard'), settings.tenants);
    results.dashboard = await measureDashboardFirstFrame({ env, workspace, runs: Math.min(settings.runs, 10), warmup: settings.warmupRuns, log });
  }
  if (!only || only === 'overview') {
    log(`seeding ${settings.tenants} tenants with deployments, invoices and tickets for the overview…`);
    const workspace = seedWorkspace(env, join(home, 'overview'), settings.tenants);
    results.overview = await measureOverview({ env, workspace, rounds: settings.rounds, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, log });
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderDoc(readFileSync(join(ROOT, 'docs', 'benchmarks.md'), 'utf8'), results));
log('wrote docs/benchmarks.md');

function renderDoc(doc, { throughput, ingestion, cold, coldWithCa, coldInstructions, billing, commissions, dashboard, overview }) {
  const [intro, previous = ''] = doc.split('<!-- results -->');
  const kept = (name) => new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->`).exec(previous)?.[0];
  const command = `node bench/run.js${argv.length ? ` ${argv.join(' ')}` : ''}`;
  // a busy machine stretches every figure; its load says how far to trust them
  const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end`;
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return [
    intro.trimEnd(),
    '',
    '<!-- results -->',
    throughput ? throughputSection(throughput, command, machine, stamp) : (kept('throughput') ?? ''),
    '',
    ingestion ? ingestionSection(ingestion, command, machine, stamp) : (kept('ingestion') ?? ''),
    '',
    cold ? coldSection(cold, coldWithCa, coldInstructions, command, machine, stamp) : (kept('cold') ?? ''),
    '',
    billing ? billingSection(billing, settings.tenants, command, machine, stamp) : (kept('billing') ?? ''),
    '',
    commissions ? commissionSection(commissions, command, machine, stamp) : (kept('commissions') ?? ''),
    '',
    dashboard ? dashboardSection(dashboard, settings.tenants, command, machine, stamp) : (kept('dashboard') ?? ''),
    '',
    overview ? overviewSection(overview, settings, command, machine, stamp) : (kept('overview') ?? ''),
    '',
  ].join('\n');
}

function verdict(value, budget, higherIsBetter) {
  const met = higherIsBetter ? value >= budget : value <= budget;
  if (met) return 'met';
  return higherIsBetter ? `missed by ${((budget - value) * 100).toFixed(0)} points` : `over by ${(value - budget).toFixed(2)} ×`;
}

function throughputSection(rows, command, machine, stamp) {
  const by = Object.fromEntries(rows.map((r) => [r.key, r]));
  const listRatio = by.list.rps / by.floor.rps;
  const meRatio = by.me.rps / by.healthz.rps;
  const cpu = (r) => (r.cpuMicros === undefined ? '' : r.cpuMicros.toFixed(0));
  return [
    '<!-- throughput -->',
    `### Throughput (\`${command}\`, ${stamp} UTC, ${machine})`,
    '',
    `autocannon, 50 connections on loopback, ${settings.apiTenants} tenants; medians over ${settings.rounds} round(s) of ${settings.seconds} s per target after warm-up. CPU is the server process's user + system time per answered request.`,
    '',
    '| target | req/s | p50 ms | p99 ms | server CPU µs/req |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${cpu(r)} |`),
    '',
    '| ratio | value | budget |',
    '| --- | --- | --- |',
    `| GET /v1/tenants?limit=50 ÷ floor (req/s) | ${(listRatio * 100).toFixed(0)} % | ≥ 70 % (${verdict(listRatio, 0.7, true)}) |`,
    `| GET /v1/me ÷ GET /healthz (req/s) | ${(meRatio * 100).toFixed(0)} % | ≥ 70 % (${verdict(meRatio, 0.7, true)}) |`,
    `| list p99 at 50 connections | ${by.list.p99} ms | < 100 ms (${by.list.p99 < 100 ? 'met' : 'missed'}) |`,
    `| /metrics on ÷ off, list req/s | ${((by.list.rps / by.listBare.rps) * 100).toFixed(0)} % | the cost of metrics |`,
    '<!-- /throughput -->',
  ].join('\n');
}

function ingestionSection({ http, bare }, command, machine, stamp) {
  return [
    '<!-- ingestion -->',
    `### Metric ingestion (\`${command}\`, ${stamp} UTC, ${machine})`,
    '',
    `Points per second stored through \`POST /v1/instances/{tenant}/metrics\` (autocannon, 10 connections, batches of ${BATCH} points, an instance token, an Idempotency-Key per request, as an agent sends them), against better-sqlite3 upserting the same rows in the same batches, one transaction each (WAL, synchronous=FULL, as the server runs it); medians over ${settings.rounds} round(s) of ${settings.seconds} s.`,
    '',
    '| target | points/s |',
    '| --- | --- |',
    `| over HTTP | ${http.toFixed(0)} |`,
    `| bare better-sqlite3 | ${bare.toFixed(0)} |`,
    `| ratio | ${((http / bare) * 100).toFixed(0)} % |`,
    '<!-- /ingestion -->',
  ].join('\n');
}

function coldSection(rows, withCa, instructions, command, machine, stamp) {
  const ratios = (set) => {
    const node = set.find((r) => r.key === 'node').median;
    return Object.fromEntries(set.map((r) => [r.key, r.median / node]));
  };
  const plain = ratios(rows);
  const ca = withCa && ratios(withCa);
  const counted = instructions && Object.fromEntries(instructions.map((r) => [r.key, r.instructions]));
  // configs list and health keep the foundation's local budget (issue 7, item 7): against node -e 0,
  // and against the foundation's own command (local tenants list) in instructions
  const budgets = { local: 2.0, http: 1.8, configs: 2.0, health: 2.0 };
  const againstList = (key) => (counted && ['configs', 'health', 'quote'].includes(key) ? ` (${((counted[key] / counted.local - 1) * 100).toFixed(0).replace(/^(?!-)/, '+')} % of tenants list)` : '');
  return [
    '<!-- cold -->',
    `### Cold starts (\`${command}\`, ${stamp} UTC, ${machine})`,
    '',
    `Median wall time of ${settings.runs} runs per command (spawn to exit), commands taking turns; NODE_EXTRA_CA_CERTS unset.${ca ? ' The column "with NODE_EXTRA_CA_CERTS" repeats the ratios with it as this machine sets it, which makes every process, `node -e 0` included, read those certificates first.' : ''}${counted ? ' Instructions: each command once under callgrind with the code cache warm, NODE_EXTRA_CA_CERTS unset; they do not move with the machine\'s load, so they are the figures to compare across runs.' : ''}`,
    '',
    `| command | median ms | × \`node -e 0\` | budget |${ca ? ' × `node -e 0` with NODE_EXTRA_CA_CERTS |' : ''}${counted ? ' instructions | × `node -e 0` in instructions |' : ''}`,
    `| --- | --- | --- | --- |${ca ? ' --- |' : ''}${counted ? ' --- | --- |' : ''}`,
    ...rows.map((r) => {
      const budget = budgets[r.key];
      const instructionCells = counted ? ` ${(counted[r.key] / 1e6).toFixed(0)} M | ${(counted[r.key] / counted.node).toFixed(2)} ×${againstList(r.key)} |` : '';
      return `| ${r.label} | ${r.median.toFixed(1)} | ${plain[r.key].toFixed(2)} × | ${budget ? `≤ ${budget.toFixed(1)} × (${verdict(plain[r.key], budget, false)})` : ''} |${ca ? ` ${ca[r.key].toFixed(2)} × |` : ''}${instructionCells}`;
    }),
    '<!-- /cold -->',
  ].join('\n');
}
