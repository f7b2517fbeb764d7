// Cold starts: wall time from spawning a process to its exit, as ratios to `node -e 0` measured in
// the same run. Commands take turns round by round, so a neighbour's load falls on all alike.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT } from './processes.js';

function once(env, args, extraEnv) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/**
 * Every command in `commands` ({ key, label, args, env? }) `runs` times after `warmup` runs each;
 * the median wall time of each. `baseEnv` is the environment every process starts with.
 */
export function measureColdStarts({ baseEnv, commands, runs, warmup, log }) {
  const times = Object.fromEntries(commands.map((c) => [c.key, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const command of commands) {
      const ms = once(baseEnv, command.args, command.env);
      if (round >= warmup) times[command.key].push(ms);
    }
  }
  const results = commands.map((c) => ({ key: c.key, label: c.label, median: median(times[c.key]), p90: [...times[c.key]].sort((a, b) => a - b)[Math.floor(times[c.key].length * 0.9)] }));
  for (const r of results) log(`${r.label.padEnd(58)} median ${r.median.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms`);
  return results;
}

/**
 * The instructions each command runs, counted once by valgrind's callgrind (after the timed runs,
 * so the code cache is warm): unlike wall time, a busy or throttled machine does not move them
 * (0.3 % run to run), so they compare across runs where ratios of milliseconds compare only within
 * one. Under valgrind SHA-256 runs without the CPU's SHA extensions, which inflates the loader's
 * hash of the bundles (about 60 M here, 1-2 ms of real time). Undefined when valgrind is not installed.
 */
export function countInstructions({ baseEnv, commands, log }) {
  if (spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status !== 0) {
    log('valgrind is not installed: instruction counts skipped (apt-get install valgrind)');
    return undefined;
  }
  return commands.map((command) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...command.args], {
      env: { ...baseEnv, ...command.env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const collected = /Collected : (\d+)/.exec(r.stderr ?? '');
    if (r.status !== 0 || !collected) throw new Error(`valgrind node ${command.args.join(' ')} exited ${r.status}: ${r.stderr?.split('\n').slice(-5).join(' ')}`);
    const instructions = Number(collected[1]);
    log(`${command.label.padEnd(58)} ${(instructions / 1e6).toFixed(0)} M instructions`);
    return { key: command.key, instructions };
  });
}

/** The commands the budget names, and the floors they are compared with. */
export function coldStartCommands({ workspace, serverUrl, token, tenants, configTenant, configKeys, healthTenant }) {
  return [
    { key: 'node', label: 'node -e 0', args: ['-e', '0'] },
    { key: 'floor', label: 'floor: node + better-sqlite3 printing the same page', args: [join(ROOT, 'bench', 'floor-cli.js'), workspace.db] },
    { key: 'oclif', label: 'bare oclif command (bench/fixtures/bare-oclif)', args: [join(ROOT, 'bench', 'fixtures', 'bare-oclif', 'run.js'), 'noop'] },
    { key: 'version', label: 'dotmac --version', args: [CLI, '--version'] },
    { key: 'local', label: `dotmac tenants list --json (local, ${tenants} tenants)`, args: [CLI, 'tenants', 'list', '--json'], env: { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token } },
    { key: 'http', label: 'dotmac tenants list --json (HTTP server)', args: [CLI, 'tenants', 'list', '--json'], env: { DOTMAC_API_URL: serverUrl, DOTMAC_TOKEN: token } },
    {
      key: 'configs',
      label: `dotmac configs list --json (local, one tenant's ${configKeys} keys)`,
      args: [CLI, 'configs', 'list', '--tenant', configTenant, '--json'],
      env: { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token },
    },
    {
      key: 'quote',
      label: 'dotmac quotes create --json (local; a draft priced and audited)',
      args: [CLI, 'quotes', 'create', '--prospect', 'Bench Fibre', '--email', 'buyer@bench.test', '--plan', 'professional', '--term', '12', '--subscribers', '1800', '--addon', 'premium-support', '--json'],
      env: { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token },
    },
    ...(healthTenant
      ? [{ key: 'health', label: 'dotmac health --json, one tenant, 7 days at 1/min (local)', args: [CLI, 'health', '--tenant', healthTenant, '--json'], env: { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token } }]
      : []),
  ];
}
