// npm run durability: kill -9 trials on one SQLite workspace.
//
// Writers run all the time: local-mode CLI processes (`dotmac tenants create`, one after another
// in each of --cli loops) and HTTP clients creating through a `dotmac server start` on the same
// file (--http loops, each create sent with an Idempotency-Key and retried with it after a
// connection failure). Each trial waits a random moment, then SIGKILLs one live process: the
// server (restarted at once) or a CLI process. Afterwards: every create that was acknowledged
// (CLI exit 0, HTTP 201) is in the database, each tenant has its audit event and no event lacks
// its tenant, `PRAGMA integrity_check` is ok, and `dotmac audit verify` passes.
//
//   node bench/durability/kill-trials.js [--trials 200] [--seed N] [--cli 3] [--http 2] [--json] [--record]
//
// Exit 0 when every check holds; --json prints the report on stdout; --record writes it into
// docs/benchmarks.md.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createWorkspace, flag, option, random, requireBuild, runCli, sleep, startServer, stopServer, verifyAudit } from './workspace.js';
import { recordResults } from './record.js';

requireBuild();
const TRIALS = option('trials', 200);
const SEED = option('seed', Date.now() % 1_000_000);
const CLI_LOOPS = option('cli', 3);
const HTTP_LOOPS = option('http', 2);
/** the server is the victim this often; otherwise a random live CLI process */
const SERVER_SHARE = 0.25;
/** the longest wait before a kill; CLI processes live a few hundred milliseconds */
const MAX_GAP_MS = 400;

const rand = random(SEED);
const started = Date.now();
const ws = await createWorkspace();
const acknowledged = new Map(); // slug → 'cli' | 'http'
const attempted = new Set();
const unexpected = []; // failures that no kill explains
const kills = { server: 0, cli: 0, cli_already_exited: 0 };
const retries = { requests: 0, replayed: 0, created: 0 }; // creates resent after a server kill
const liveCli = new Set();
let stopping = false;

let server = await startServer(ws);
let serverUp = Promise.resolve();

async function cliLoop(loop) {
  for (let n = 0; !stopping; n++) {
    const slug = `c${loop}-${n}`;
    attempted.add(slug);
    const run = runCli(ws.env, ['tenants', 'create', '--slug', slug, '--name', `Crash ${slug}`, '--reason', 'kill -9 trials', '--json']);
    const entry = { child: run.child, born: Date.now(), killed: false };
    liveCli.add(entry);
    const r = await run.done;
    liveCli.delete(entry);
    if (entry.killed && r.signal !== 'SIGKILL') kills.cli_already_exited++; // it finished as the signal went out
    if (r.code === 0 && JSON.parse(r.stdout).slug === slug) acknowledged.set(slug, 'cli');
    else if (!entry.killed) unexpected.push(`cli ${slug}: exit ${r.signal ?? r.code}: ${r.stderr.trim()}`);
  }
}

async function httpLoop(loop) {
  for (let n = 0; !stopping; n++) {
    const slug = `h${loop}-${n}`;
    attempted.add(slug);
    const body = JSON.stringify({ slug, name: `Crash ${slug}` });
    for (let attempt = 0; ; attempt++) {
      await serverUp;
      let res;
      let text;
      try {
        res = await fetch(`${server.url}/v1/tenants`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ws.token}`, 'content-type': 'application/json', 'idempotency-key': `trial-${slug}` },
          body,
        });
        text = await res.text();
      } catch {
        // the server died under this request: send it again, same key, once one is back
        if (attempt === 0) retries.requests++;
        await sleep(20);
        continue;
      }
      if (res.status === 201) {
        acknowledged.set(slug, 'http');
        if (attempt > 0) retries[res.headers.get('idempotent-replayed') ? 'replayed' : 'created']++;
      } else {
        unexpected.push(`http ${slug}${attempt ? ` (retry ${attempt})` : ''}: ${res.status} ${text}`);
      }
      break;
    }
  }
}

async function killServer() {
  kills.server++;
  let restarted;
  serverUp = new Promise((resolve) => (restarted = resolve));
  server.child.kill('SIGKILL');
  await server.exited;
  server = await startServer(ws);
  restarted();
}

function killCli() {
  const live = [...liveCli].filter((entry) => !entry.killed);
  if (live.length === 0) return undefined;
  const victim = live[Math.floor(rand() * live.length)];
  victim.killed = true;
  victim.child.kill('SIGKILL');
  kills.cli++;
  return Date.now() - victim.born;
}

const writers = [...Array.from({ length: CLI_LOOPS }, (_, i) => cliLoop(i)), ...Array.from({ length: HTTP_LOOPS }, (_, i) => httpLoop(i))];
const cliAges = [];
for (let trial = 0; trial < TRIALS; trial++) {
  await sleep(Math.floor(rand() * MAX_GAP_MS));
  if (rand() < SERVER_SHARE) {
    await killServer();
  } else {
    let age;
    while ((age = killCli()) === undefined) await sleep(10);
    cliAges.push(age);
  }
  if (!flag('json') && (trial + 1) % 20 === 0) console.error(`${trial + 1}/${TRIALS} kills, ${acknowledged.size} creates acknowledged`);
}
stopping = true;
await Promise.all(writers);
await stopServer(server);

const sqlite = new Database(ws.db);
const integrity = sqlite.pragma('integrity_check', { simple: true });
const foreignKeyProblems = sqlite.pragma('foreign_key_check').length;
const present = new Set(sqlite.prepare('select slug from tenants').pluck().all());
const tenantsWithoutEvent = sqlite
  .prepare("select count(*) from tenants t where not exists (select 1 from audit_events e where e.action = 'tenant.create' and e.target_id = t.id)")
  .pluck()
  .get();
const eventsWithoutTenant = sqlite
  .prepare("select count(*) from audit_events e where e.action = 'tenant.create' and not exists (select 1 from tenants t where t.id = e.target_id)")
  .pluck()
  .get();
sqlite.close();
const audit = await verifyAudit(ws.env);
const lost = [...acknowledged.keys()].filter((slug) => !present.has(slug));
const unacknowledged = [...attempted].filter((slug) => !acknowledged.has(slug));

const report = {
  trials: TRIALS,
  seed: SEED,
  seconds: Math.round((Date.now() - started) / 1000),
  load_average: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  kills,
  cli_kill_age_ms: percentiles(cliAges),
  acknowledged: { cli: count(acknowledged, 'cli'), http: count(acknowledged, 'http') },
  unacknowledged: { total: unacknowledged.length, committed_anyway: unacknowledged.filter((slug) => present.has(slug)).length },
  http_retries_after_kill: retries,
  lost,
  unexpected_failures: unexpected,
  integrity_check: integrity,
  foreign_key_problems: foreignKeyProblems,
  tenants_without_audit_event: tenantsWithoutEvent,
  audit_events_without_tenant: eventsWithoutTenant,
  audit_verify: { exit: audit.exit, ok: audit.ok, checked: audit.checked ?? null, problem: audit.problem ?? null },
};
const ok =
  lost.length === 0 &&
  unexpected.length === 0 &&
  integrity === 'ok' &&
  foreignKeyProblems === 0 &&
  tenantsWithoutEvent === 0 &&
  eventsWithoutTenant === 0 &&
  audit.exit === 0 &&
  audit.ok === true;
report.ok = ok;
ws.remove();

if (flag('json')) console.log(JSON.stringify(report, null, 2));
else console.error(JSON.stringify(report, null, 2));
if (flag('record')) recordResults('kill', killSummary(report));
process.exit(ok ? 0 : 1);

function count(map, value) {
  return [...map.values()].filter((v) => v === value).length;
}

function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? null;
  return { min: sorted[0] ?? null, p50: at(0.5), max: sorted.at(-1) ?? null };
}

function killSummary(r) {
  return [
    `\`npm run durability\` (${r.trials} trials, seed ${r.seed}, ${r.seconds} s, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${r.load_average} at the end):`,
    '',
    '| check | result |',
    '| --- | --- |',
    `| kills | ${r.kills.server} server, ${r.kills.cli} CLI (${r.kills.cli_already_exited} of them had just finished; the others at ${r.cli_kill_age_ms.min}–${r.cli_kill_age_ms.max} ms of age, median ${r.cli_kill_age_ms.p50}) |`,
    `| creates acknowledged | ${r.acknowledged.cli} by CLI exit 0, ${r.acknowledged.http} by HTTP 201 |`,
    `| acknowledged but missing | ${r.lost.length} |`,
    `| not acknowledged (killed) | ${r.unacknowledged.total}, of which committed anyway: ${r.unacknowledged.committed_anyway} |`,
    `| HTTP creates resent with their Idempotency-Key after a server kill | ${r.http_retries_after_kill.requests} resent: ${r.http_retries_after_kill.replayed} replayed the first answer, ${r.http_retries_after_kill.created} created |`,
    `| failures no kill explains | ${r.unexpected_failures.length} |`,
    `| \`PRAGMA integrity_check\` / foreign keys | ${r.integrity_check} / ${r.foreign_key_problems} problems |`,
    `| tenants without their audit event / events without their tenant | ${r.tenants_without_audit_event} / ${r.audit_events_without_tenant} |`,
    `| \`dotmac audit verify\` | ${r.audit_verify.ok ? `ok, ${r.audit_verify.checked} events` : `FAILED: ${r.audit_verify.problem}`} |`,
  ].join('\n');
}
