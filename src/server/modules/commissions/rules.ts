// Commission maths (COMMERCE.md § Commissions): the events a paid invoice earns, the quarterly
// bonus, clawbacks, eligibility and the dispute window. Pure: no I/O, integer cents and bps, each
// line rounded half-up once.
import { addDays, addPeriods, lastDay, periodOf } from '../../../core/calendar.js';
import type { CommissionEventsTable } from '../../../db/tables/commissions.js';
import { periodsOfQuarter } from './days.js';
import {
  applyBps,
  chooseRate,
  effectiveTier,
  roundHalfUp,
  type CommissionRule,
  type CommissionType,
  type Partner,
  type PartnerTier,
  type RateSource,
} from './rates.js';

/**
 * awaiting_payment: the initial commission written when a quote is accepted, before the first
 * invoice is paid (never paid out; paying the invoice makes it pending, eligible 30 days later).
 */
export const COMMISSION_STATUSES = ['awaiting_payment', 'pending', 'eligible', 'paid', 'disputed', 'cancelled'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

export const ELIGIBLE_AFTER_DAYS = 30;
export const CLAWBACK_WINDOW_DAYS = 90;
export const DISPUTE_WINDOW_DAYS = 60;
export const CAP_BPS = 5_000;
export const INITIAL_SHARE_BPS = 5_000;

/** What `explain` shows of how an event was reached, stored with it as JSON. */
export interface EventBasis extends RateSource {
  /** recurring: the commission before the contract bonus, and the bonus */
  commission_cents?: number;
  contract_bonus_bps?: number;
  contract_bonus_cents?: number;
  /** bonus: attainment and the multiplier it earned */
  attainment_bps?: number;
  multiplier?: '1' | '1.5';
  quota_cents?: number;
  booked_cents?: number;
  /** trimmed to the cap of 5,000 bps of the customer's revenue that month */
  capped_from_cents?: number;
  cap_cents?: number;
  /** clawback: why, and what it reverses */
  clawback_of?: string;
  refund_id?: string;
  refunded_cents?: number;
  invoice_total_cents?: number;
  months?: number;
}

/** An event to record; `key` makes a second run write nothing (unique per reseller). */
export type NewCommissionEvent = Pick<CommissionEventsTable, 'key' | 'reseller_id' | 'tenant_id' | 'subscription_id' | 'invoice_id' | 'type' | 'period' | 'base_cents' | 'rate_bps' | 'amount_cents' | 'eligible_on' | 'reverses_id'> & {
  /** stored as JSON */
  basis: EventBasis;
};

export interface PaidInvoiceInput {
  reseller: Partner;
  /** lifetime partner-sourced revenue before this invoice, for a tier that follows revenue */
  lifetime_revenue_cents?: number;
  rules: readonly CommissionRule[];
  subscription: { id: string; tenant_id: string; plan: string; term_months: number; started_on: string };
  invoice: { id: string; period: string; paid_on: string; recurring_cents: number; total_cents: number };
  /** the subscription's month this invoice is for, 1-based */
  month: number;
  first_paid: boolean;
  /** expansion MRR in force (expansionInForce), included in recurring_cents */
  expansion_mrr_cents: number;
}

/** The contract bonus, as a share of the recurring commission: 5 % on a 12-month term, 10 % on 24 or more. */
export function contractBonusBps(termMonths: number): number {
  if (termMonths >= 24) return 1_000;
  if (termMonths >= 12) return 500;
  return 0;
}

/**
 * The events one paid invoice earns its reseller of record. Months 1–12: `recurring` on the
 * original recurring revenue (recurring_cents less the expansion in force), with the contract
 * bonus folded into the same event (its basis shows the commission and the bonus apart); month 1
 * adds `initial`, half the recurring commission before the bonus. From month 13, `renewal` at half
 * the rate, none for referral partners. `upsell` on the expansion MRR in force, no contract bonus.
 * The invoice's events together never exceed 5,000 bps of its total: upsell is trimmed first, then
 * initial, then recurring. Events of zero are left out.
 */
export function commissionsForPaidInvoice(input: PaidInvoiceInput): NewCommissionEvent[] {
  const { reseller, subscription, invoice } = input;
  const tier = effectiveTier(reseller, input.lifetime_revenue_cents ?? 0);
  const expansion = Math.min(Math.max(0, input.expansion_mrr_cents), invoice.recurring_cents);
  const original = invoice.recurring_cents - expansion;
  const rateFor = (type: 'recurring' | 'renewal' | 'upsell') => chooseRate({ partner: reseller, tier, rules: input.rules, type, tenant_id: subscription.tenant_id, plan: subscription.plan, on: invoice.paid_on });
  const eligibleOn = addDays(invoice.paid_on, ELIGIBLE_AFTER_DAYS);
  const event = (type: CommissionType, base: number, rate: number, amount: number, basis: EventBasis): NewCommissionEvent => ({
    key: `${type}:${invoice.id}`,
    reseller_id: reseller.id,
    tenant_id: subscription.tenant_id,
    subscription_id: subscription.id,
    invoice_id: invoice.id,
    type,
    period: invoice.period,
    base_cents: base,
    rate_bps: rate,
    amount_cents: amount,
    basis,
    eligible_on: eligibleOn,
    reverses_id: null,
  });

  const events: NewCommissionEvent[] = [];
  if (input.month <= 12) {
    const rate = rateFor('recurring');
    const commission = applyBps(original, rate.bps);
    const bonusBps = contractBonusBps(subscription.term_months);
    const bonus = applyBps(commission, bonusBps);
    const basis = strip(rate);
    basis.commission_cents = commission;
    basis.contract_bonus_bps = bonusBps;
    basis.contract_bonus_cents = bonus;
    events.push(event('recurring', original, rate.bps, commission + bonus, basis));
    if (input.month === 1 && input.first_paid) {
      const initial = applyBps(commission, INITIAL_SHARE_BPS);
      const initialBasis = strip(rate);
      initialBasis.description = `50 % of the month-1 recurring commission (${rate.description})`;
      events.push(event('initial', commission, INITIAL_SHARE_BPS, initial, initialBasis));
    }
  } else if (reseller.kind === 'reseller') {
    const rate = rateFor('renewal');
    events.push(event('renewal', original, rate.bps, applyBps(original, rate.bps), strip(rate)));
  }
  if (expansion > 0) {
    const rate = rateFor('upsell');
    events.push(event('upsell', expansion, rate.bps, applyBps(expansion, rate.bps), strip(rate)));
  }
  return applyCap(events, applyBps(invoice.total_cents, CAP_BPS)).filter((e) => e.amount_cents > 0);
}

/**
 * A rate's source as an event keeps it: rule_id only when a rule chose it. Written out, not
 * spread: a commission run makes one per invoice, and object spreads were most of its time.
 */
const strip = ({ source, rule_id, description }: RateSource): EventBasis => (rule_id ? { source, rule_id, description } : { source, description });

const TRIM_ORDER: CommissionType[] = ['upsell', 'initial', 'recurring', 'renewal'];

function applyCap(events: NewCommissionEvent[], cap: number): NewCommissionEvent[] {
  let excess = events.reduce((sum, e) => sum + e.amount_cents, 0) - cap;
  if (excess <= 0) return events;
  const trimmed = events.map((e) => ({ ...e, basis: { ...e.basis } }));
  for (const type of TRIM_ORDER) {
    for (const e of trimmed.filter((x) => x.type === type)) {
      if (excess <= 0) break;
      const cut = Math.min(excess, e.amount_cents);
      e.basis.capped_from_cents = e.amount_cents;
      e.basis.cap_cents = cap;
      e.amount_cents -= cut;
      excess -= cut;
    }
  }
  return trimmed;
}

/** An upgrade's MRR change, as the MRR ledger (subscription_changes) holds it. */
export interface Upgrade {
  effective_on: string;
  from_mrr_cents: number;
  to_mrr_cents: number;
}

/**
 * The expansion MRR in force for a subscription's invoice of period P: the sum of its upgrades'
 * (to − from) effective in the 12 periods before P (P−12 to P−1). The month of the upgrade itself
 * is billed by a proration invoice (no recurring lines, so no commission), and that month's period
 * invoice was issued in advance on the old terms; the 12 months after the expansion are therefore
 * the 12 periods that follow the upgrade's month. commissionsForPaidInvoice caps it at the
 * invoice's recurring revenue.
 */
export function expansionInForce(upgrades: readonly Upgrade[], period: string): number {
  if (upgrades.length === 0) return 0;
  const from = addPeriods(period, -12);
  const to = addPeriods(period, -1);
  return upgrades
    .filter((u) => periodOf(u.effective_on) >= from && periodOf(u.effective_on) <= to)
    .reduce((sum, u) => sum + (u.to_mrr_cents - u.from_mrr_cents), 0);
}

/** booked × 10,000 / quota, in whole bps (rounded down: attainment is reached, not rounded up to). */
export function attainmentBps(bookedCents: number, quotaCents: number): number {
  return Number((BigInt(bookedCents) * 10_000n) / BigInt(quotaCents));
}

export interface QuarterBonusInput {
  reseller: Partner;
  lifetime_revenue_cents?: number;
  rules: readonly CommissionRule[];
  /** 'YYYY-Qn' */
  quarter: string;
  quota_cents: number | null;
  /** monthly recurring revenue, after discounts, of the partner's subscriptions started in the quarter */
  booked_cents: number;
  /** partner-sourced recurring revenue of invoices paid in the quarter */
  collected_cents: number;
}

/**
 * The quarterly bonus: collected × the tier's bonus bps at attainment ≥ 10,000 bps, × 1.5 at
 * ≥ 12,500 (one rounding). None without a quota. Period: the quarter's last month; eligible 30
 * days after the quarter ends.
 */
export function quarterBonus(input: QuarterBonusInput): NewCommissionEvent | null {
  if (!input.quota_cents || input.quota_cents <= 0 || input.collected_cents <= 0) return null;
  const attainment = attainmentBps(input.booked_cents, input.quota_cents);
  if (attainment < 10_000) return null;
  const tier: PartnerTier = effectiveTier(input.reseller, input.lifetime_revenue_cents ?? 0);
  const lastPeriod = periodsOfQuarter(input.quarter)[2]!;
  const rate = chooseRate({ partner: input.reseller, tier, rules: input.rules, type: 'bonus', tenant_id: null, plan: null, on: lastDay(lastPeriod) });
  const boosted = attainment >= 12_500;
  const amount = roundHalfUp(BigInt(input.collected_cents) * BigInt(rate.bps) * (boosted ? 3n : 1n), boosted ? 20_000 : 10_000);
  return {
    key: `bonus:${input.quarter}`,
    reseller_id: input.reseller.id,
    tenant_id: null,
    subscription_id: null,
    invoice_id: null,
    type: 'bonus',
    period: lastPeriod,
    base_cents: input.collected_cents,
    rate_bps: rate.bps,
    amount_cents: amount,
    basis: { ...strip(rate), attainment_bps: attainment, multiplier: boosted ? '1.5' : '1', quota_cents: input.quota_cents, booked_cents: input.booked_cents },
    eligible_on: addDays(lastDay(lastPeriod), ELIGIBLE_AFTER_DAYS),
    reverses_id: null,
  };
}

/** What clawbacks read of an event already recorded. */
export interface RecordedEvent {
  id: string;
  key: string;
  reseller_id: string;
  tenant_id: string | null;
  subscription_id: string | null;
  invoice_id: string | null;
  type: CommissionType;
  amount_cents: number;
  status: CommissionStatus;
  payout_id: string | null;
  eligible_on: string;
  reverses_id: string | null;
}

export interface Clawback {
  /** unpaid events reversed whole: cancelled */
  cancel: string[];
  /** negative `clawback` events for what was paid (or for part of an unpaid event) */
  create: NewCommissionEvent[];
}

export const withinClawbackWindow = (firstPaidOn: string, on: string) => on >= firstPaidOn && on <= addDays(firstPaidOn, CLAWBACK_WINDOW_DAYS);

/** Cancelling a subscription within 90 days of its first paid invoice reverses the initial commission. */
export function clawbacksForCancellation(input: { events: readonly RecordedEvent[]; first_paid_on: string; cancelled_on: string }): Clawback {
  const out: Clawback = { cancel: [], create: [] };
  if (!withinClawbackWindow(input.first_paid_on, input.cancelled_on)) return out;
  for (const initial of input.events.filter((e) => e.type === 'initial' && e.status !== 'cancelled')) {
    const already = reversedSoFar(input.events, initial.id);
    if (initial.payout_id === null && already === 0) out.cancel.push(initial.id);
    else if (initial.amount_cents - already > 0) out.create.push(clawbackOf(initial, initial.amount_cents - already, input.cancelled_on, `cancel`, { clawback_of: initial.id, description: 'the subscription was cancelled within 90 days of its first paid invoice' }));
  }
  return out;
}

/**
 * A refund within 90 days of the first paid invoice reverses that invoice's commissions pro rata:
 * each event's reversal is round-half-up(amount × refunded so far / invoice total), less what
 * earlier refunds reversed, so refunding the whole invoice, at once or in parts, nets to zero.
 * An unpaid event refunded whole is cancelled; the rest become negative `clawback` events.
 */
export function clawbacksForRefund(input: {
  events: readonly RecordedEvent[];
  invoice: { id: string; total_cents: number };
  refund: { id: string; on: string; refunded_cents: number };
  first_paid_on: string;
}): Clawback {
  const out: Clawback = { cancel: [], create: [] };
  if (!withinClawbackWindow(input.first_paid_on, input.refund.on) || input.invoice.total_cents <= 0) return out;
  const refunded = Math.min(Math.max(0, input.refund.refunded_cents), input.invoice.total_cents);
  const originals = input.events.filter((e) => e.invoice_id === input.invoice.id && e.type !== 'clawback' && e.status !== 'cancelled' && e.amount_cents > 0);
  for (const original of originals) {
    const target = roundHalfUp(BigInt(original.amount_cents) * BigInt(refunded), input.invoice.total_cents);
    const already = reversedSoFar(input.events, original.id);
    const delta = target - already;
    if (delta <= 0) continue;
    if (original.payout_id === null && already === 0 && target === original.amount_cents) out.cancel.push(original.id);
    else {
      out.create.push(
        clawbackOf(original, delta, input.refund.on, input.refund.id, {
          clawback_of: original.id,
          refund_id: input.refund.id,
          refunded_cents: refunded,
          invoice_total_cents: input.invoice.total_cents,
          description: `refund of ${refunded} of ${input.invoice.total_cents} cents within 90 days of the first paid invoice`,
        }),
      );
    }
  }
  return out;
}

function reversedSoFar(events: readonly RecordedEvent[], id: string): number {
  return events.filter((e) => e.type === 'clawback' && e.reverses_id === id && e.status !== 'cancelled').reduce((sum, e) => sum - e.amount_cents, 0);
}

function clawbackOf(original: RecordedEvent, cents: number, on: string, reference: string, basis: Omit<EventBasis, 'source'>): NewCommissionEvent {
  return {
    key: `clawback:${original.id}:${reference}`,
    reseller_id: original.reseller_id,
    tenant_id: original.tenant_id,
    subscription_id: original.subscription_id,
    invoice_id: original.invoice_id,
    type: 'clawback',
    period: periodOf(on),
    base_cents: original.amount_cents,
    rate_bps: roundHalfUp(BigInt(cents) * 10_000n, original.amount_cents),
    amount_cents: -cents,
    basis: { ...basis, source: 'clawback', description: basis.description ?? 'clawback' },
    // netted against the next payout; an unpaid event's reversal waits for the event itself
    eligible_on: original.payout_id === null && original.eligible_on > on ? original.eligible_on : on,
    reverses_id: original.id,
  };
}

/** An event may be disputed until 60 days after the statement of its period (the period's last day). */
export function disputeOpen(period: string, today: string): boolean {
  return today <= addDays(lastDay(period), DISPUTE_WINDOW_DAYS);
}

/** The status as of a day: a pending event whose day has come is eligible. */
export function statusOn(status: CommissionStatus, eligibleOn: string, today: string): CommissionStatus {
  return status === 'pending' && eligibleOn <= today ? 'eligible' : status;
}
