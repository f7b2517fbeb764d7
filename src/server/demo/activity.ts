import { addDays, addPeriods, dayOf, periodOf } from '../../core/calendar.js';
import { backdatedUlid } from '../../core/ids.js';
import type { NewTenantRow } from '../../db/tables/tenants.js';
import type { NewResellerRow } from '../../db/tables/resellers.js';
import { OPPORTUNITY_STAGES } from '../../db/tables/pipeline.js';
import { PRICE_BOOK_2025_1 } from '../modules/pricebook/book.js';
import { invoiceRows } from '../modules/invoices/store.js';
import { priceOf } from '../modules/subscriptions/service.js';
import { escalated, responseDue } from '../modules/tickets/sla.js';
import { random } from './generator.js';

// What the dashboard's panels show on a fresh demo workspace, besides tenants and resellers:
// deployments (succeeded, one failed, one running) with health checks, subscriptions with their
// first invoices (some paid, some overdue), tickets (some breached), opportunities in every stage,
// commissions and a payout. Rows only, written in bulk by seed.ts; the same inputs make the same
// rows but for their ids. Invoices are priced by the subscriptions module's own priceOf.

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** how many active tenants get activity: enough to fill every panel, few enough to seed fast */
const ACTIVE = 60;

type Rows = Record<string, Record<string, unknown>[]>;

export function generateActivity(tenants: NewTenantRow[], resellers: NewResellerRow[], now: Date, seed = 7): Rows {
  const rand = random(seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  const t0 = now.getTime();
  const today = dayOf(now);
  const rows: Rows = { jobs: [], deployments: [], health_checks: [], subscriptions: [], invoices: [], invoice_lines: [], tickets: [], opportunities: [], commission_events: [], payouts: [], payout_lines: [] };
  const active = tenants.filter((t) => t.status === 'active').slice(0, ACTIVE);
  const clock = { clock: { now: () => now } };
  active.forEach((tenant, i) => {
    // a deployment per tenant: the first failed, the second running, the rest succeeded
    const status = i === 0 ? 'failed' : i === 1 ? 'running' : 'succeeded';
    const started = t0 - (i + 1) * HOUR;
    const jobId = `job_${backdatedUlid(started)}`;
    const depId = `dep_${backdatedUlid(started)}`;
    rows.jobs!.push({ id: jobId, tenant_id: tenant.id, kind: 'deployment', payload: JSON.stringify({ deployment_id: depId }), status, attempts: 1, max_attempts: 3, run_at: iso(started), lease_owner: null, lease_expires_at: null, last_error: status === 'failed' ? 'demo: image pull failed' : null, created_at: iso(started), updated_at: iso(started + 60_000), finished_at: status === 'running' ? null : iso(started + 60_000) });
    rows.deployments!.push({ id: depId, tenant_id: tenant.id, job_id: jobId, kind: 'deploy', version: '2026.11.2', region: tenant.region, size: 'small', replicas: 2, status, endpoint_url: status === 'succeeded' ? `https://${tenant.slug}.isp.example` : null, rollback_to: null, replaces: null, failure_reason: status === 'failed' ? 'demo: image pull failed' : null, created_by: 'demo', created_at: iso(started), updated_at: iso(started + 60_000), started_at: iso(started), finished_at: status === 'running' ? null : iso(started + 60_000) });
    // health checks every 30 minutes over the last 12 hours for tenants that deployed; a few down or slow
    if (status === 'succeeded' && i < 30) {
      const flaky = i % 7 === 2;
      for (let k = 0; k < 24; k++) {
        const at = t0 - k * 30 * 60_000 - i * 1000;
        const down = flaky && k < 3;
        const latency = Math.round(40 + rand() * 120 + (i % 9 === 4 ? 1200 : 0));
        rows.health_checks!.push({ id: `hck_${backdatedUlid(at)}`, tenant_id: tenant.id, deployment_id: depId, at: iso(at), status: down ? 'down' : latency >= 1000 ? 'degraded' : 'up', latency_ms: down ? null : latency, http_status: down ? null : 200, error: down ? 'connect ECONNREFUSED' : null });
      }
    }
    // a subscription on the tenant's plan, started 70 to 90 days ago, with its first invoice: most paid, every fifth overdue
    const startedOn = addDays(today, -70 - (i % 20));
    const sub = { id: `sub_${backdatedUlid(started)}`, tenant_id: tenant.id, reseller_id: tenant.reseller_id ?? null, quote_id: null, plan: tenant.plan, term_months: i % 3 === 0 ? 12 : 1, price_book_version: PRICE_BOOK_2025_1.version, subscribers: 80 + Math.floor(rand() * 900), addons: '[]', discount_bps: 0, waive_setup: 1, platform_fee_cents: null, setup_cents: null, status: i % 5 === 3 ? 'past_due' : 'active', started_on: startedOn, trial_ends_on: null, billing_starts_on: startedOn, term_ends_on: null, cancel_on: null, cancelled_on: null, pending_change: null, pending_on: null, upgrade_required: 0, created_at: iso(started), updated_at: iso(started) };
    rows.subscriptions!.push(sub);
    const made = invoiceRows(clock, { subscription: sub, period: periodOf(startedOn), kind: 'first', issued_on: startedOn, lines: priceOf(PRICE_BOOK_2025_1, sub as never).lines });
    const paid = i % 5 !== 3;
    rows.invoices!.push({ ...made.invoice, status: paid ? 'paid' : 'open', paid_on: paid ? addDays(startedOn, 3) : null, first_paid: paid ? 1 : 0 });
    rows.invoice_lines!.push(...made.lines);
    // billed in advance on the 1st of every month since: paid three days later, except a
    // past-due customer's, and this month's while it is not yet due to be paid
    const recurringLines = priceOf(PRICE_BOOK_2025_1, sub as never).lines.filter((line) => line.recurring);
    for (let period = addPeriods(periodOf(startedOn), 1); period <= periodOf(today); period = addPeriods(period, 1)) {
      const issued = `${period}-01`;
      const billed = invoiceRows(clock, { subscription: sub, period, kind: 'recurring', issued_on: issued, lines: recurringLines });
      const paidOn = addDays(issued, 3);
      const settled = paid && paidOn <= today;
      rows.invoices!.push({ ...billed.invoice, status: settled ? 'paid' : 'open', paid_on: settled ? paidOn : null });
      rows.invoice_lines!.push(...billed.lines);
    }
    // tickets: one open per tenant for the first twenty, at every priority, each as the SLA rules
    // leave it: within its response window, or (every third) opened days ago, breached, and
    // escalated one step with a new window by the check that found it ten minutes ago
    if (i < 20) {
      const openedAs = (['p1', 'p2', 'p3', 'p4'] as const)[i % 4]!;
      const breached = i % 3 === 0;
      const openedAt = breached ? t0 - 6 * DAY - i * HOUR : t0 - (10 + i) * 60_000;
      const missed = breached ? responseDue(openedAs, new Date(openedAt)).getTime() : null;
      const checkedAt = t0 - 10 * 60_000;
      const priority = breached ? (escalated(openedAs) ?? openedAs) : openedAs;
      const windowFrom = breached ? checkedAt : openedAt;
      const due = breached && escalated(openedAs) === null ? null : responseDue(priority, new Date(windowFrom)).getTime();
      rows.tickets!.push({
        id: `tkt_${backdatedUlid(openedAt)}`, tenant_id: tenant.id, subject: ['Radius auth timeouts', 'Invoice PDF missing', 'Slow captive portal', 'Add a second admin'][i % 4], body: null, priority,
        status: i % 6 === 5 ? 'in_progress' : 'open', assignee: i % 2 ? 'noc@dotmac.example' : null, created_by: `admin@${tenant.slug}.example`, created_role: 'tenant_admin',
        created_at: iso(openedAt), updated_at: iso(breached ? checkedAt : openedAt), sla_started_at: iso(windowFrom), response_due_at: due === null ? null : iso(due), responded_at: null,
        breaches: breached ? 1 : 0, last_breach_at: missed === null ? null : iso(missed), resolved_at: null, closed_at: null, csat: null,
      });
    }
    // commissions for the reseller of record on each paid first invoice
    if (paid && tenant.reseller_id) {
      const amount = Math.round(made.invoice.recurring_cents * 0.15);
      const eligible = addDays(addDays(startedOn, 3), 30);
      rows.commission_events!.push({ id: `com_${backdatedUlid(started)}`, key: `demo:${sub.id}:recurring`, reseller_id: tenant.reseller_id, tenant_id: tenant.id, subscription_id: sub.id, invoice_id: made.invoice.id, type: 'recurring', period: periodOf(startedOn), base_cents: made.invoice.recurring_cents, rate_bps: 1500, amount_cents: amount, basis: JSON.stringify({ source: 'tier', tier: 'bronze', demo: true }), status: eligible <= today ? 'eligible' : 'pending', eligible_on: eligible, payout_id: null, reverses_id: null, dispute_reason: null, disputed_at: null, resolved_at: null, created_at: iso(started), updated_at: iso(started) });
    }
  });
  // opportunities: every reseller has one in every stage
  resellers.forEach((reseller, r) => {
    OPPORTUNITY_STAGES.forEach((stage, s) => {
      const at = t0 - (r * 10 + s + 1) * DAY;
      rows.opportunities!.push({ id: `opp_${backdatedUlid(at)}`, reseller_id: reseller.id, prospect_name: `${['Hilltop', 'Lakeside', 'Northgate', 'Sunrise', 'Canyon', 'Meadow'][s]} ISP ${r + 1}`, prospect_email: null, region: 'eu-west', territory_id: null, value_cents: 150_000 + s * 50_000 + r * 10_000, close_date: addDays(today, 30 - s * 5), stage, quote_id: null, created_by: 'demo', created_at: iso(at), updated_at: iso(at), closed_at: stage === 'won' || stage === 'lost' ? iso(at) : null });
    });
  });
  // a payout: the first reseller's eligible events, paid on the last 15th
  const first = resellers[0];
  const runOn = today >= `${periodOf(today)}-15` ? `${periodOf(today)}-15` : `${periodOf(addDays(`${periodOf(today)}-01`, -1))}-15`;
  const cutoff = addDays(`${periodOf(runOn)}-01`, -1);
  const payable = rows.commission_events!.filter((e) => e.reseller_id === first?.id && e.status === 'eligible' && String(e.eligible_on) <= cutoff);
  if (first && payable.length > 0) {
    const id = `pay_${backdatedUlid(t0 - DAY)}`;
    const net = payable.reduce((s, e) => s + Number(e.amount_cents), 0);
    rows.payouts!.push({ id, reseller_id: first.id, run_on: runOn, cutoff, status: 'paid', net_cents: net, amount_cents: net, event_count: payable.length, created_at: iso(t0 - DAY) });
    for (const e of payable) {
      e.status = 'paid';
      e.payout_id = id;
      rows.payout_lines!.push({ payout_id: id, event_id: e.id, reseller_id: first.id, amount_cents: e.amount_cents });
    }
  }
  return rows;
}
