// Instance health in the benchmarks (issue 7, must-hold 7):
// - `dotmac health --json --tenant T` cold, for a tenant with 7 days of history at one probe and
//   one point per metric per minute (seeded straight into the workspace's SQLite file);
// - metric ingestion over HTTP (batches of 100 points from an instance token, as an agent pushes)
//   in points per second, against better-sqlite3 inserting the same rows in the same batches.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CLI, run, startListening } from './processes.js';

const Database = createRequire(import.meta.url)('better-sqlite3');
const MINUTE = 60_000;
const WEEK_MINUTES = 7 * 24 * 60;
const METRICS = ['cpu', 'memory', 'disk', 'subscribers', 'bandwidth_mbps'];
export const BATCH = 100;

const valueOf = (metric, i) => (metric === 'subscribers' ? 1000 + (i % 50) : metric === 'bandwidth_mbps' ? 500 + (i % 300) : 20 + (i % 60));

/**
 * A tenant with a current deployment and a week of history: 10,080 probes (one in 60 down, one in
 * 20 degraded) and 50,400 metric points. Returns its slug.
 */
export function seedHealthHistory(env, workspace) {
  const slug = 'bench-health';
  const as = { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token, DOTMAC_SIM_STEP_MS: '0' };
  run(env, [CLI, 'tenants', 'create', '--slug', slug, '--name', 'Bench Health', '--json'], as);
  const deployment = JSON.parse(run(env, [CLI, 'deployments', 'create', '--tenant', slug, '--version', '1.0.0', '--wait', '--json'], as));
  const db = new Database(workspace.db);
  const now = Date.now();
  const check = db.prepare('insert into health_checks (id, tenant_id, deployment_id, at, status, latency_ms, http_status, error) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const point = db.prepare('insert into metric_points (tenant_id, metric, at, value) values (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < WEEK_MINUTES; i++) {
      const at = new Date(now - (WEEK_MINUTES - i) * MINUTE).toISOString();
      const down = i % 60 === 0;
      const status = down ? 'down' : i % 20 === 0 ? 'degraded' : 'up';
      check.run(`hck_bench${String(i).padStart(8, '0')}`, deployment.tenant_id, deployment.id, at, status, down ? null : 20 + (i % 40), down ? null : 200, down ? 'connection refused' : null);
      for (const metric of METRICS) point.run(deployment.tenant_id, metric, at, valueOf(metric, i));
    }
  })();
  db.close();
  return slug;
}

/** A workspace with no tenants, and a master_admin token for it. */
function emptyWorkspace(env, dir) {
  run(env, [CLI, 'init', '--dir', dir]);
  const db = join(dir, 'dotmac.db');
  const token = JSON.parse(run(env, [CLI, 'tokens', 'create', '--role', 'master_admin', '--json'], { DOTMAC_DB: db })).token;
  return { dir, db, token };
}

/** Bodies of BATCH points, each point at its own millisecond (counting back from `base`), so every one is stored. */
function batches(base) {
  let n = 0;
  return () => {
    const first = n;
    n += BATCH;
    return Array.from({ length: BATCH }, (_, i) => ({ metric: METRICS[(first + i) % METRICS.length], value: valueOf(METRICS[(first + i) % METRICS.length], first + i), at: new Date(base - first - i).toISOString() }));
  };
}

/** The floor: better-sqlite3 inserting (upserting) the same rows, one transaction per batch, for `seconds`. */
function floorPointsPerSecond(dbPath, tenantId, seconds) {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare('insert into metric_points (tenant_id, metric, at, value) values (?, ?, ?, ?) on conflict (tenant_id, metric, at) do update set value = excluded.value');
  const next = batches(Date.now() - 60_000);
  const write = db.transaction((points) => {
    for (const p of points) insert.run(tenantId, p.metric, p.at, p.value);
  });
  let points = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    write(next());
    points += BATCH;
  }
  const rate = points / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

/**
 * Points per second through `POST /v1/instances/{tenant}/metrics` (a server with --probe-interval
 * 0, rate limits far above the run), and the floor over a copy of the same schema.
 */
export async function measureIngestion({ env, home, rounds, seconds, warmupSeconds, log }) {
  const api = emptyWorkspace(env, join(home, 'ingest-api'));
  const floor = emptyWorkspace(env, join(home, 'ingest-floor'));
  const tenantOf = (workspace) => JSON.parse(run(env, [CLI, 'tenants', 'create', '--slug', 'agent', '--name', 'Agent', '--json'], { DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token })).id;
  tenantOf(api);
  const floorTenant = tenantOf(floor);
  const agent = JSON.parse(run(env, [CLI, 'tokens', 'create', '--role', 'instance', '--tenant', 'agent', '--ttl', '1d', '--json'], { DOTMAC_DB: api.db, DOTMAC_TOKEN: api.token })).token;
  const server = await startListening(env, [CLI, 'server', 'start', '--quiet', '--port', '0', '--dir', api.dir, '--rate-limit', '1000000000', '--probe-interval', '0']);
  const next = batches(Date.now() - 60_000);
  const push = (duration) =>
    autocannon({
      url: server.url,
      connections: 10,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/v1/instances/agent/metrics',
          setupRequest: (req) => ({
            ...req,
            headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            body: JSON.stringify({ points: next() }),
          }),
        },
      ],
    });
  try {
    await push(warmupSeconds);
    const http = [];
    const bare = [];
    for (let round = 0; round < rounds; round++) {
      const result = await push(seconds);
      if (result.errors || result.timeouts || result.non2xx) throw new Error(`metric ingestion: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
      http.push((result['2xx'] * BATCH) / result.duration);
      bare.push(floorPointsPerSecond(floor.db, floorTenant, seconds));
      log(`round ${round + 1}/${rounds}  ingestion over HTTP ${http.at(-1).toFixed(0)} points/s, bare better-sqlite3 ${bare.at(-1).toFixed(0)} points/s`);
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
    return { http: median(http), bare: median(bare) };
  } finally {
    await server.stop();
  }
}
