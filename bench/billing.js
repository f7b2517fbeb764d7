// The billing run in the benchmarks (issue 8, must-hold 6): `POST /v1/billing/runs` for last
// month over N tenants, each with a subscription started the month before (fee and add-on in
// advance, bands on a recorded peak, overage, discounts), timed against a bare better-sqlite3
// prepared insert of the same rows (the invoices and their lines the run wrote) in one
// transaction. A second run must write nothing.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { copyFileSync, rmSync } from 'node:fs';
import { inRounds, monthsAgo, postPeriodRunTwice } from './processes.js';
import { roundsNote } from './commissions.js';

const Database = createRequire(import.meta.url)('better-sqlite3');

/** A subscription for every tenant of the workspace, started two months ago, with a peak recorded for last month's predecessor. */
export function seedSubscriptions(workspace) {
  const db = new Database(workspace.db);
  const start = `${monthsAgo(2)}-01`;
  const termEnds = `${monthsAgo(-10)}-01`;
  const now = new Date().toISOString();
  // the demo's own billing activity goes first: the run is measured over these subscriptions alone
  db.transaction(() => {
    for (const table of ['payout_lines', 'payouts', 'commission_events', 'invoice_lines', 'invoices', 'subscription_changes', 'usage_readings', 'subscriptions']) db.prepare(`delete from ${table}`).run();
  })();
  const tenants = db.prepare('select id from tenants order by id').all();
  const sub = db.prepare(
    `insert into subscriptions (id, tenant_id, reseller_id, quote_id, plan, term_months, price_book_version, subscribers, addons, discount_bps, waive_setup,
       platform_fee_cents, setup_cents, status, started_on, trial_ends_on, billing_starts_on, term_ends_on, cancel_on, cancelled_on, pending_change, pending_on, upgrade_required, created_at, updated_at)
     values (?, ?, null, null, ?, 12, '2025.1', ?, '["sandbox"]', 500, 0, null, null, 'active', ?, null, ?, ?, null, null, null, null, 0, ?, ?)`,
  );
  const usage = db.prepare('insert into usage_readings (tenant_id, period, metric, value, updated_at) values (?, ?, ?, ?, ?)');
  db.transaction(() => {
    tenants.forEach(({ id }, i) => {
      const plan = ['starter', 'professional', 'enterprise'][i % 3];
      const subscribers = [150, 1_500, 4_000][i % 3];
      sub.run(`sub_bench${String(i).padStart(17, '0')}`, id, plan, subscribers, start, start, termEnds, now, now);
      usage.run(id, monthsAgo(2), 'subscribers', subscribers + (i % 200), now);
      usage.run(id, monthsAgo(2), 'users', 10 + (i % 60), now);
    });
  })();
  db.close();
  return tenants.length;
}

/** The floor: the run's own rows inserted again with prepared statements in one transaction, into a copy of the schema. */
function floorSeconds(workspace, period) {
  const copy = join(workspace.dir, 'floor.db');
  copyFileSync(workspace.db, copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const invoices = db.prepare('select * from invoices where period = ?').all(period);
  const lines = db.prepare('select l.* from invoice_lines l join invoices i on i.id = l.invoice_id where i.period = ?').all(period);
  db.prepare('delete from invoice_lines where invoice_id in (select id from invoices where period = ?)').run(period);
  db.prepare('delete from invoices where period = ?').run(period);
  const insertInvoice = db.prepare(`insert into invoices (${Object.keys(invoices[0]).join(', ')}) values (${Object.keys(invoices[0]).map(() => '?').join(', ')})`);
  const insertLine = db.prepare(`insert into invoice_lines (${Object.keys(lines[0]).join(', ')}) values (${Object.keys(lines[0]).map(() => '?').join(', ')})`);
  const started = performance.now();
  db.transaction(() => {
    for (const row of invoices) insertInvoice.run(...Object.values(row));
    for (const row of lines) insertLine.run(...Object.values(row));
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(copy, { force: true });
  return { seconds, rows: invoices.length + lines.length };
}

export async function measureBillingRun({ env, workspace, log, rounds = 1 }) {
  const period = monthsAgo(1);
  const { median, ratios } = await inRounds(
    workspace,
    rounds,
    async () => {
      const { first, second } = await postPeriodRunTwice({ env, workspace, path: '/v1/billing/runs', period, name: 'billing run' });
      if (second.body.issued !== 0 || second.outcome !== 'unchanged') throw new Error(`a second billing run wrote ${second.body.issued} invoices`);
      const floor = floorSeconds(workspace, period);
      log(`billing run: ${first.body.issued} invoices in ${first.seconds.toFixed(2)} s; again: nothing in ${second.seconds.toFixed(2)} s; bare insert of the same ${floor.rows} rows: ${floor.seconds.toFixed(3)} s`);
      return { invoices: first.body.issued, rows: floor.rows, seconds: first.seconds, again: second.seconds, floor: floor.seconds };
    },
    (r) => r.floor / r.seconds,
  );
  return { ...median, ratios };
}

export function billingSection({ invoices, rows, seconds, again, floor, ratios }, tenants, command, machine, stamp) {
  const ratio = floor / seconds;
  return [
    '<!-- billing -->',
    `### Billing run (\`${command}\`, ${stamp} UTC, ${machine})`,
    '',
    `\`POST /v1/billing/runs\` for last month against \`server start\`, ${tenants} tenants each with a 12-month subscription (fee, an add-on, bands on a recorded peak, overage, term and negotiated discounts), against better-sqlite3 inserting the same ${rows} rows (${invoices} invoices and their lines) with prepared statements in one transaction (WAL, synchronous=FULL). ${roundsNote(ratios)}`,
    '',
    '| target | seconds |',
    '| --- | --- |',
    `| billing run (${invoices} invoices${ratios.length > 1 ? ', the median round' : ''}) | ${seconds.toFixed(2)} |`,
    `| the same run again (writes nothing) | ${again.toFixed(2)} |`,
    `| bare prepared insert of the same rows | ${floor.toFixed(3)} |`,
    `| ratio (floor ÷ run) | ${(ratio * 100).toFixed(0)} % (budget ≥ 25 %: ${ratio >= 0.25 ? 'met' : 'missed'}) |`,
    '<!-- /billing -->',
  ].join('\n');
}
