// GET /v1/overview for each role at N tenants with their deployments, invoices and tickets: p50 and
// p99 under 50 connections, as ratios to GET /healthz of the same server (issue 9). The activity is
// written straight into the workspace's database in bulk (INSERT … SELECT over the tenants).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cannon, measureOnce, median } from './throughput.js';
import { CLI, run, startListening } from './processes.js';

/** A deployment, a subscription with its first invoice, health checks, and every third tenant an open ticket. */
export function seedOverviewActivity(workspace) {
  const db = new Database(workspace.db);
  const now = new Date();
  const iso = now.toISOString();
  const day = iso.slice(0, 10);
  const period = day.slice(0, 7);
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  // open tickets answer within their SLA window during the run (half have breached before): due
  // all at once, the worker's SLA check would escalate 3,000 tickets in the middle of the measure
  const inHours = new Date(now.getTime() + 3 * 3600_000).toISOString();
  db.transaction(() => {
    // tenants.id is ten_<26>: the suffix keeps every id unique and well-formed
    db.prepare(`insert into jobs (id, tenant_id, kind, payload, status, attempts, max_attempts, run_at, lease_owner, lease_expires_at, last_error, created_at, updated_at, finished_at)
      select 'job_' || substr(id, 5), id, 'deployment', '{}', 'succeeded', 1, 3, ?, null, null, null, ?, ?, ? from tenants where id not in (select tenant_id from deployments)`).run(iso, iso, iso, iso);
    db.prepare(`insert into deployments (id, tenant_id, job_id, kind, version, region, size, replicas, status, endpoint_url, rollback_to, replaces, failure_reason, created_by, created_at, updated_at, started_at, finished_at)
      select 'dep_' || substr(id, 5), id, 'job_' || substr(id, 5), 'deploy', '2026.11.2', region, 'small', 2,
        case abs(random()) % 50 when 0 then 'failed' when 1 then 'running' else 'succeeded' end, null, null, null, null, 'bench', ?, ?, ?, ? from tenants where id not in (select tenant_id from deployments)`).run(iso, iso, iso, iso);
    for (const [k, at] of [[1, hourAgo], [2, iso]]) {
      db.prepare(`insert into health_checks (id, tenant_id, deployment_id, at, status, latency_ms, http_status, error)
        select 'hck_' || substr(d.id, 5) || ${k}, d.tenant_id, d.id, ?, case abs(random()) % 40 when 0 then 'down' when 1 then 'degraded' else 'up' end, 80, 200, null from deployments d where d.id like 'dep_%' and d.created_by = 'bench'`).run(at);
    }
    db.prepare(`insert into subscriptions (id, tenant_id, reseller_id, quote_id, plan, term_months, price_book_version, subscribers, addons, discount_bps, waive_setup,
        platform_fee_cents, setup_cents, status, started_on, trial_ends_on, billing_starts_on, term_ends_on, cancel_on, cancelled_on, pending_change, pending_on, upgrade_required, created_at, updated_at)
      select 'sub_' || substr(id, 5), id, reseller_id, null, case plan when 'custom' then 'starter' else plan end, 1, '2025.1', 100, '[]', 0, 1, null, null,
        case abs(random()) % 30 when 0 then 'cancelled' else 'active' end, ?, null, ?, null, null, case when 1 then ? end, null, null, 0, ?, ? from tenants where id not in (select tenant_id from subscriptions)`).run(day, day, day, iso, iso);
    db.prepare(`update subscriptions set cancelled_on = null where status <> 'cancelled'`).run();
    db.prepare(`insert into invoices (id, tenant_id, subscription_id, reseller_id, period, kind, status, issued_on, due_on, paid_on, voided_on, total_cents, recurring_cents, refunded_cents, refunded_on, first_paid, created_at)
      select 'inv_' || substr(s.id, 5), s.tenant_id, s.id, s.reseller_id, ?, 'first', case abs(random()) % 4 when 0 then 'open' else 'paid' end, ?, ?, null, null,
        case s.plan when 'starter' then 4900 when 'professional' then 14900 else 49900 end, case s.plan when 'starter' then 4900 when 'professional' then 14900 else 49900 end, 0, null, 0, ?
      from subscriptions s where s.id like 'sub_%' and not exists (select 1 from invoices i where i.subscription_id = s.id)`).run(period, day, day, iso);
    db.prepare(`insert into tickets (id, tenant_id, subject, body, priority, status, assignee, created_by, created_role, created_at, updated_at, sla_started_at, response_due_at, responded_at, breaches, last_breach_at, resolved_at, closed_at, csat)
      select 'tkt_' || substr(id, 5), id, 'bench ticket', null, 'p' || (1 + abs(random()) % 4), 'open', null, 'bench', 'tenant_admin', ?, ?, ?, ?, null, abs(random()) % 2, null, null, null, null
      from tenants where abs(random()) % 3 = 0 and id not in (select tenant_id from tickets)`).run(hourAgo, hourAgo, hourAgo, inHours);
  })();
  const tenant = db.prepare(`select t.slug from tenants t join tickets k on k.tenant_id = t.id where t.status = 'active' order by t.id limit 1`).get().slug;
  const reseller = db.prepare(`select r.slug from resellers r join tenants t on t.reseller_id = r.id group by r.slug order by count(*) desc limit 1`).get().slug;
  const counts = Object.fromEntries(['tenants', 'deployments', 'invoices', 'tickets', 'health_checks'].map((t) => [t, db.prepare(`select count(*) as n from ${t}`).get().n]));
  db.close();
  return { tenant, reseller, counts };
}

export async function measureOverview({ env, workspace, rounds, seconds, warmupSeconds, log }) {
  const { tenant, reseller, counts } = seedOverviewActivity(workspace);
  log(`overview: ${JSON.stringify(counts)}`);
  const token = (args) => JSON.parse(run(env, [CLI, 'tokens', 'create', ...args, '--json'], { DOTMAC_DB: workspace.db })).token;
  const tokens = { master_admin: workspace.token, tenant_admin: token(['--role', 'tenant_admin', '--tenant', tenant]), reseller: token(['--role', 'reseller', '--reseller', reseller]) };
  // probes of 10,000 made-up endpoints would measure the worker, not the overview (as in the other
  // server benches); one worker on the workspace is enough
  const serve = (shareMs, ...flags) => startListening(env, [CLI, 'server', 'start', '--quiet', '--port', '0', '--dir', workspace.dir, '--rate-limit', '1000000000', '--probe-interval', '0', '--share-figures-ms', String(shareMs), ...flags]);
  // as shipped (answers shared by callers of one scope for 1 s), and every request computing its own
  const shared = await serve(1000);
  const own = await serve(0, '--no-worker');
  const roleTargets = (api, suffix, key, connections) =>
    Object.entries(tokens).map(([role, t]) => ({ key: `${role}${key}`, label: `GET /v1/overview as ${role}${suffix}`, url: `${api.url}/v1/overview`, headers: { authorization: `Bearer ${t}` }, pid: api.pid, connections }));
  const targets = [
    { key: 'healthz', label: 'GET /healthz', url: `${shared.url}/healthz`, pid: shared.pid },
    ...roleTargets(shared, '', ''),
    // what one computation costs: one connection (fifty would queue fifty computations, past autocannon's timeout)
    ...roleTargets(own, ', computed per request, 1 connection', ':own', 1),
  ];
  try {
    for (const target of targets) await cannon(target, warmupSeconds);
    const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const m = await measureOnce(target, seconds);
        runs[target.key].push(m);
        log(`round ${round + 1}/${rounds}  ${target.label.padEnd(60)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms`);
      }
    }
    const rows = targets.map((t) => ({ key: t.key, label: t.label, rps: median(runs[t.key].map((m) => m.rps)), p50: median(runs[t.key].map((m) => m.p50)), p99: median(runs[t.key].map((m) => m.p99)) }));
    return { rows, counts };
  } finally {
    await shared.stop();
    await own.stop();
  }
}

export function overviewSection({ rows, counts }, settings, command, machine, stamp) {
  const floor = rows.find((r) => r.key === 'healthz');
  // a sub-millisecond p50 reads as 0 or 1 from autocannon: the ratio is taken over at least 1 ms
  const ratio = (a, b) => (a / Math.max(1, b)).toFixed(1);
  return [
    '<!-- overview -->',
    `### GET /v1/overview by role (\`${command}\`, ${stamp} UTC, ${machine})`,
    '',
    `autocannon, 50 connections on loopback unless marked; ${counts.tenants} tenants, ${counts.deployments} deployments, ${counts.invoices} invoices, ${counts.tickets} tickets, ${counts.health_checks} health checks; medians over ${settings.rounds} round(s) of ${settings.seconds} s per target after warm-up. Each figure of an overview is one aggregate query (no per-tenant loop). As shipped, callers of one scope share an answer for up to 1 s (\`--share-figures-ms\`; any change through the server ends the sharing at once); the rows marked "computed per request" come from a server started with \`--share-figures-ms 0\`, driven by one connection: what one computation costs (fifty connections would queue fifty computations; the staff overview then passed autocannon\'s 10 s timeout). Their ratios are to /healthz at 50 connections. Budget (DESIGN §7): p99 under 200 ms.`,
    '',
    '| target | req/s | p50 ms | p99 ms | p50 ÷ healthz | p99 ÷ healthz |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${ratio(r.p50, floor.p50)} × | ${ratio(r.p99, floor.p99)} × |`),
    '<!-- /overview -->',
  ].join('\n');
}
