// The commission run in the benchmarks (issue 8): after the billing run, every invoice of last
// month is given one reseller of record and paid, then `POST /v1/commissions/run` for that month is
// timed against a bare better-sqlite3 prepared insert of the same rows (the events the run wrote)
// in one transaction. A second run must write nothing.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { copyFileSync, rmSync } from 'node:fs';
import { inRounds, monthsAgo, postPeriodRunTwice } from './processes.js';

const Database = createRequire(import.meta.url)('better-sqlite3');

/** One reseller of record for every subscription, and every invoice of the period paid on its 5th. */
export function seedPaidInvoices(workspace, period = monthsAgo(1)) {
  const db = new Database(workspace.db);
  const now = new Date().toISOString();
  const reseller = 'rsl_bench0000000000000000000';
  db.transaction(() => {
    db.prepare(`insert into resellers (id, slug, name, territory, tier, quota_cents, default_commission_bps, created_at, updated_at) values (?, 'bench-channel', 'Bench Channel', null, 'bronze', null, null, ?, ?)`).run(reseller, now, now);
    db.prepare('update subscriptions set reseller_id = ?').run(reseller);
    db.prepare(`update invoices set reseller_id = ?, status = 'paid', paid_on = ? where period = ? and status = 'open'`).run(reseller, `${period}-05`, period);
  })();
  const paid = db.prepare(`select count(*) as n from invoices where period = ? and status = 'paid'`).get(period).n;
  db.close();
  return paid;
}

/** The floor: the run's own events inserted again with prepared statements in one transaction, into a copy of the database. */
function floorSeconds(workspace, period) {
  const copy = join(workspace.dir, 'commission-floor.db');
  copyFileSync(workspace.db, copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const events = db.prepare('select * from commission_events where period = ?').all(period);
  db.prepare('delete from commission_events where period = ?').run(period);
  const insert = db.prepare(`insert into commission_events (${Object.keys(events[0]).join(', ')}) values (${Object.keys(events[0]).map(() => '?').join(', ')})`);
  const started = performance.now();
  db.transaction(() => {
    for (const row of events) insert.run(...Object.values(row));
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(copy, { force: true });
  return { seconds, rows: events.length };
}

export async function measureCommissionRun({ env, workspace, log, rounds = 1 }) {
  const period = monthsAgo(1);
  const invoices = seedPaidInvoices(workspace, period);
  const { median, ratios } = await inRounds(
    workspace,
    rounds,
    async () => {
      const { first, second } = await postPeriodRunTwice({ env, workspace, path: '/v1/commissions/run', period, name: 'commission run' });
      if (second.body.written !== 0 || second.outcome !== 'unchanged') throw new Error(`a second commission run wrote ${second.body.written} events`);
      const floor = floorSeconds(workspace, period);
      log(`commission run: ${first.body.written} events over ${invoices} paid invoices in ${first.seconds.toFixed(2)} s; again: nothing in ${second.seconds.toFixed(2)} s; bare insert of the same ${floor.rows} rows: ${floor.seconds.toFixed(3)} s`);
      return { invoices, events: first.body.written, seconds: first.seconds, again: second.seconds, floor: floor.seconds };
    },
    (r) => r.floor / r.seconds,
  );
  return { ...median, ratios };
}

export function commissionSection({ invoices, events, seconds, again, floor, ratios }, command, machine, stamp) {
  const ratio = floor / seconds;
  return [
    '<!-- commissions -->',
    `### Commission run (\`${command}\`, ${stamp} UTC, ${machine})`,
    '',
    `\`POST /v1/commissions/run\` for last month against \`server start\`, over the ${invoices} invoices the billing run wrote, each paid and given one reseller of record, against better-sqlite3 inserting the same ${events} events with prepared statements in one transaction (WAL, synchronous=FULL). ${roundsNote(ratios)}`,
    '',
    '| target | seconds |',
    '| --- | --- |',
    `| commission run (${events} events${ratios.length > 1 ? ', the median round' : ''}) | ${seconds.toFixed(2)} |`,
    `| the same run again (writes nothing) | ${again.toFixed(2)} |`,
    `| bare prepared insert of the same rows | ${floor.toFixed(3)} |`,
    `| ratio (floor ÷ run) | ${(ratio * 100).toFixed(1)} % (budget ≥ 25 %: ${ratio >= 0.25 ? 'met' : 'not met'}) |`,
    '<!-- /commissions -->',
  ].join('\n');
}

/** Which round the table shows, and every round's ratio. */
export const roundsNote = (ratios) =>
  ratios.length > 1 ? `Each of ${ratios.length} rounds ran on a fresh copy of the same database; the table shows the round with the median ratio (all rounds: ${ratios.map((r) => `${(r * 100).toFixed(1)} %`).join(', ')}).` : '';
