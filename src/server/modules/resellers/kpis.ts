// A reseller's KPIs for a month (issue 8 `resellers kpis`), as pure functions of the facts the
// service gathers: integer cents and bps, no I/O. Each figure is defined in docs/api.md.
import { daysBetween, firstDay } from '../../../core/calendar.js';
import { roundHalfUp } from '../commissions/rates.js';
import { attainmentBps } from '../commissions/rules.js';
import type { SubscriptionChangeKind } from '../../../db/tables/billing.js';

/** One row of the MRR ledger (subscription_changes). */
export interface MrrChangeFact {
  subscription_id: string;
  kind: SubscriptionChangeKind;
  effective_on: string;
  from_mrr_cents: number;
  to_mrr_cents: number;
  /** orders changes effective the same day */
  created_at: string;
  id: string;
}

export interface MrrMovement {
  /** MRR in force just before the period's first day */
  start_mrr_cents: number;
  new_mrr_cents: number;
  expansion_mrr_cents: number;
  contraction_mrr_cents: number;
  churned_mrr_cents: number;
  /** net revenue retention of the subscriptions with MRR at the period's start; null when there was none */
  net_revenue_retention_bps: number | null;
}

const order = (a: MrrChangeFact, b: MrrChangeFact) => (a.effective_on < b.effective_on ? -1 : a.effective_on > b.effective_on ? 1 : a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A reseller's MRR movement in a period from its ledger rows effective on or before the period's
 * last day: new (new rows in the period), expansion (upgrades: to − from), contraction (downgrades:
 * from − to), churn (cancellations: the MRR lost). Net revenue retention counts only the
 * subscriptions with MRR at the period's start (the customers then): (their start MRR + their
 * expansion − contraction − churn in the period) × 10,000 / start MRR, rounded half-up.
 */
export function mrrMovement(changes: readonly MrrChangeFact[], period: string): MrrMovement {
  const start = firstDay(period);
  const bySubscription = new Map<string, MrrChangeFact[]>();
  for (const c of [...changes].sort(order)) bySubscription.set(c.subscription_id, [...(bySubscription.get(c.subscription_id) ?? []), c]);
  const out: MrrMovement = { start_mrr_cents: 0, new_mrr_cents: 0, expansion_mrr_cents: 0, contraction_mrr_cents: 0, churned_mrr_cents: 0, net_revenue_retention_bps: null };
  let retained = 0;
  for (const rows of bySubscription.values()) {
    const before = rows.filter((c) => c.effective_on < start);
    const opening = before.length ? before[before.length - 1]!.to_mrr_cents : 0;
    out.start_mrr_cents += opening;
    let closing = opening;
    for (const c of rows.filter((r) => r.effective_on >= start && periodOfDay(r.effective_on) === period)) {
      if (c.kind === 'new') out.new_mrr_cents += c.to_mrr_cents;
      else if (c.kind === 'upgrade') out.expansion_mrr_cents += c.to_mrr_cents - c.from_mrr_cents;
      else if (c.kind === 'downgrade') out.contraction_mrr_cents += c.from_mrr_cents - c.to_mrr_cents;
      else out.churned_mrr_cents += c.from_mrr_cents;
      closing = c.to_mrr_cents;
    }
    if (opening > 0) retained += closing;
  }
  out.net_revenue_retention_bps = out.start_mrr_cents > 0 ? roundHalfUp(BigInt(retained) * 10_000n, out.start_mrr_cents) : null;
  return out;
}

const periodOfDay = (day: string) => day.slice(0, 7);

/** won ÷ (won + lost) in bps, rounded half-up; null when nothing closed. */
export function winRateBps(won: number, lost: number): number | null {
  return won + lost === 0 ? null : roundHalfUp(BigInt(won) * 10_000n, won + lost);
}

/**
 * The median of whole days from each quote's sending to its acceptance (a quote accepted before
 * the day it was sent counts 0); with an even count, the mean of the middle two rounded half-up.
 * Null when none.
 */
export function medianQuoteToCloseDays(quotes: readonly { sent_on: string; accepted_on: string }[]): number | null {
  if (quotes.length === 0) return null;
  const days = quotes.map((q) => Math.max(0, daysBetween(q.sent_on, q.accepted_on))).sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  return days.length % 2 === 1 ? days[mid]! : roundHalfUp(days[mid - 1]! + days[mid]!, 2);
}

/** booked × 10,000 / quota (commissions' attainmentBps); null without a quota. */
export function attainment(bookedCents: number, quotaCents: number | null): number | null {
  return quotaCents === null || quotaCents <= 0 ? null : attainmentBps(bookedCents, quotaCents);
}

export interface ResellerKpiFacts {
  paid_cents: number;
  refunded_cents: number;
  changes: readonly MrrChangeFact[];
  pipeline_weighted_cents: number;
  won: number;
  lost: number;
  quotes: readonly { sent_on: string; accepted_on: string }[];
  commissions_earned_cents: number;
  commissions_paid_cents: number;
  booked_cents: number;
  quota_cents: number | null;
}

export interface ResellerKpiFigures extends Omit<MrrMovement, 'start_mrr_cents'> {
  revenue_cents: number;
  start_mrr_cents: number;
  pipeline_weighted_cents: number;
  won: number;
  lost: number;
  win_rate_bps: number | null;
  quotes_accepted: number;
  quote_to_close_days: number | null;
  commissions_earned_cents: number;
  commissions_paid_cents: number;
  booked_cents: number;
  quota_cents: number | null;
  attainment_bps: number | null;
}

export function resellerKpis(facts: ResellerKpiFacts, period: string): ResellerKpiFigures {
  const movement = mrrMovement(facts.changes, period);
  return {
    revenue_cents: facts.paid_cents - facts.refunded_cents,
    ...movement,
    pipeline_weighted_cents: facts.pipeline_weighted_cents,
    won: facts.won,
    lost: facts.lost,
    win_rate_bps: winRateBps(facts.won, facts.lost),
    quotes_accepted: facts.quotes.length,
    quote_to_close_days: medianQuoteToCloseDays(facts.quotes),
    commissions_earned_cents: facts.commissions_earned_cents,
    commissions_paid_cents: facts.commissions_paid_cents,
    booked_cents: facts.booked_cents,
    quota_cents: facts.quota_cents,
    attainment_bps: attainment(facts.booked_cents, facts.quota_cents),
  };
}
