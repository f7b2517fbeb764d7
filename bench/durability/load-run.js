// npm run load -- [--dialect sqlite|postgres]: a fixed-rate load run against `dotmac server start`.
//
// Requests arrive at a constant rate (an open model, see constant-rate.js): of every five, two
// `GET /v1/tenants?limit=50`, two `GET /v1/tenants/{slug}` and one `POST /v1/tenants` with a unique
// slug, over a workspace seeded with --tenants demo tenants. Afterwards: no errors and no answer
// other than 200/201, as many new rows in the database as 201s the client saw, the audit chain
// verifies, and each kind's p99 (counted from when the request was due) is within DESIGN §7: list
// < 100 ms, single CRUD < 50 ms.
//
//   node bench/durability/load-run.js [--dialect sqlite] [--seconds 60] [--rate 100] [--warmup 10] [--tenants 10000]
//                                     [--pg-url postgres://postgres@127.0.0.1:5432] [--no-latency] [--json] [--record]
//
// A warm-up at the same rate comes first (--warmup seconds, default 10: a fresh server's first
// seconds are spent compiling and opening connections); its answers and rows are checked like the
// rest, its latencies are not counted. --no-latency checks everything but the p99 budgets (for CI
// on a shared machine). On PostgreSQL a fresh database is created for the run and dropped after it.
import Database from 'better-sqlite3';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { constantRate } from './constant-rate.js';
import { createWorkspace, flag, option, requireBuild, sleep, startServer, stopServer, verifyAudit } from './workspace.js';
import { recordResults } from './record.js';

requireBuild();
const DIALECT = option('dialect', 'sqlite');
const SECONDS = option('seconds', 60);
const RATE = option('rate', 100);
const WARMUP = option('warmup', 10);
const TENANTS = option('tenants', 10_000);
const PG_URL = option('pg-url', 'postgres://postgres@127.0.0.1:5432');
const CHECK_LATENCY = !flag('no-latency');
if (!['sqlite', 'postgres'].includes(DIALECT)) throw new Error(`--dialect is sqlite or postgres, not ${DIALECT}`);

/** p99 budgets of DESIGN §7, and the answer each kind must get */
const KINDS = {
  list: { budgetMs: 100, status: 200 },
  get: { budgetMs: 50, status: 200 },
  create: { budgetMs: 50, status: 201 },
};
const PATTERN = ['list', 'get', 'create', 'list', 'get'];

const database = DIALECT === 'postgres' ? await createPostgresDatabase() : undefined;
const ws = await createWorkspace({ tenants: TENANTS, databaseUrl: database?.url });
const server = await startServer(ws, database ? ['--database-url', database.url] : []);
const rows = database ? postgresRows(database.url) : sqliteRows(ws.db);
const auth = { authorization: `Bearer ${ws.token}` };
const slugs = await seededSlugs();
const before = await rows.created();

/** Request i of a phase; creates get slugs unique across phases. */
const planOf = (phase) => (i) => {
  const kind = PATTERN[i % PATTERN.length];
  if (kind === 'list') return { kind, method: 'GET', path: '/v1/tenants?limit=50', headers: auth };
  if (kind === 'get') return { kind, method: 'GET', path: `/v1/tenants/${slugs[i % slugs.length]}`, headers: auth };
  const body = JSON.stringify({ slug: `load-${phase}-${i}`, name: `Load ${phase} ${i}`, plan: 'starter' });
  return { kind, method: 'POST', path: '/v1/tenants', headers: { ...auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body };
};

let peakRssMb = 0;
const rssTimer = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(server.child.pid))), 1000);
const loadBefore = loadAverage();
console.error(`${DIALECT}: ${RATE} req/s, ${WARMUP} s warm-up then ${SECONDS} s measured, over ${TENANTS} tenants…`);
const warmup = WARMUP > 0 ? await constantRate({ url: server.url, rate: RATE, seconds: WARMUP, plan: planOf('w') }) : undefined;
const run = await constantRate({ url: server.url, rate: RATE, seconds: SECONDS, plan: planOf('m') });
clearInterval(rssTimer);

const createdRows = (await rows.created()) - before;
await rows.close();
const audit = await verifyAudit({ ...ws.env, DOTMAC_API_URL: server.url, DOTMAC_TOKEN: ws.token });
await stopServer(server);
ws.remove();
await database?.drop();

const clients = Object.entries(KINDS).map(([name, { budgetMs, status }]) => {
  const k = run.kinds[name];
  const w = warmup?.kinds[name] ?? { requests: 0, statuses: {}, errors: [] };
  const statuses = { ...k.statuses };
  for (const [s, n] of Object.entries(w.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  const errors = [...w.errors, ...k.errors];
  const unexpected = Object.fromEntries(Object.entries(statuses).filter(([s]) => Number(s) !== status));
  return {
    name,
    requests: k.requests + w.requests,
    statuses,
    errors: errors.length,
    first_errors: errors.slice(0, 3),
    unexpected_statuses: unexpected,
    latency_ms: k.fromDue,
    service_time_ms: k.fromSent,
    budget_p99_ms: budgetMs,
    within_budget: k.fromDue.p99 < budgetMs,
  };
});
const acknowledged = clients.find((c) => c.name === 'create').statuses['201'] ?? 0;
const report = {
  dialect: DIALECT,
  warmup_seconds: WARMUP,
  seconds: SECONDS,
  rate: RATE,
  achieved_rate: Math.round((RATE * SECONDS) / run.elapsedSeconds),
  generator_max_late_ms: Math.round(run.maxLateMs),
  slowest_answer_ms_by_second: run.worstBySecond.join(' '),
  tenants: TENANTS,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average ${loadBefore} before the run, ${loadAverage()} after`,
  clients,
  created_201: acknowledged,
  created_rows: createdRows,
  server_peak_rss_mb: peakRssMb,
  audit_verify: { exit: audit.exit, ok: audit.ok, checked: audit.checked ?? null, problem: audit.problem ?? null },
};
const errorsFree = clients.every((c) => c.errors === 0 && Object.keys(c.unexpected_statuses).length === 0);
report.ok = errorsFree && acknowledged === createdRows && acknowledged > 0 && audit.ok === true && (!CHECK_LATENCY || clients.every((c) => c.within_budget));

if (flag('json')) console.log(JSON.stringify(report, null, 2));
else console.error(JSON.stringify(report, null, 2));
if (flag('record')) recordResults(`load:${DIALECT}`, loadSummary(report));
process.exit(report.ok ? 0 : 1);

function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

/** Slugs of seeded tenants for the single-tenant reads. */
async function seededSlugs() {
  const res = await fetch(`${server.url}/v1/tenants?limit=500`, { headers: auth });
  const page = await res.json();
  if (!res.ok || page.data.length === 0) throw new Error(`could not list the seeded tenants: ${res.status}`);
  return page.data.map((t) => t.slug);
}

function sqliteRows(path) {
  const db = new Database(path, { readonly: true });
  const count = db.prepare("select count(*) from tenants where slug like 'load-%'").pluck();
  return { created: async () => count.get(), close: async () => db.close() };
}

function postgresRows(url) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    created: async () => Number((await pool.query("select count(*) as n from tenants where slug like 'load-%'")).rows[0].n),
    close: () => pool.end(),
  };
}

/** A database of its own on the PostgreSQL server, dropped after the run. */
async function createPostgresDatabase() {
  const name = `dotmac_load_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `${PG_URL}/${name}`,
    async drop() {
      await sleep(100);
      const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function loadSummary(r) {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const row = (c) =>
    `| ${c.name} | ${c.requests} | ${Object.entries(c.statuses).map(([s, n]) => `${n} × ${s}`).join(', ')} | ${c.errors} | ${c.latency_ms.p50} | ${c.latency_ms.p99} | ${c.service_time_ms.p99} | < ${c.budget_p99_ms} ${c.within_budget ? '(met)' : '(missed)'} |`;
  return [
    `\`npm run load -- --dialect ${r.dialect}\`: ${r.rate} req/s for ${r.warmup_seconds} s of warm-up, then ${r.seconds} s measured (achieved ${r.achieved_rate}/s), ${r.tenants} seeded tenants, ${when} UTC; ${r.machine}. Requests and answers include the warm-up; latencies do not.`,
    '',
    '| requests | sent | answers | errors | p50 ms | p99 ms | p99 from sending, ms | p99 budget ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.clients.map(row),
    '',
    `201s the client saw: ${r.created_201}; new rows in the database: ${r.created_rows}. Audit chain: ${r.audit_verify.ok ? `verifies (${r.audit_verify.checked} events)` : `FAILED (${r.audit_verify.problem})`}. Server peak RSS: ${r.server_peak_rss_mb} MB. The generator was at most ${r.generator_max_late_ms} ms late.`,
    '',
    `Slowest answer of each measured second, ms: ${r.slowest_answer_ms_by_second}.`,
  ].join('\n');
}
