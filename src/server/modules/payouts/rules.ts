// Payout maths (COMMERCE.md § Commissions): which events a run on a day pays, per reseller, net of
// clawbacks, with the 10,000-cent minimum. Pure: no I/O. What is not paid stays unpaid, so it is
// carried forward to the next run by itself; a negative balance likewise.
import { endOfPreviousMonth } from '../commissions/days.js';
import type { CommissionStatus } from '../commissions/rules.js';

export const MINIMUM_PAYOUT_CENTS = 10_000;

export interface PayableEvent {
  id: string;
  reseller_id: string;
  amount_cents: number;
  status: CommissionStatus;
  eligible_on: string;
  payout_id: string | null;
}

export interface PlannedPayout {
  reseller_id: string;
  /** the last day an event may have become eligible on to be in this run */
  cutoff: string;
  event_ids: string[];
  net_cents: number;
  /** paid when the net reaches the minimum; otherwise carried forward (events stay unpaid) */
  outcome: 'paid' | 'carried_forward';
}

/** A run on day D pays events eligible on or before the last day of D's previous month. */
export const payoutCutoff = (on: string) => endOfPreviousMonth(on);

/** Never an event already paid, disputed or cancelled, nor one not yet eligible by the cutoff. */
export function isPayable(event: PayableEvent, cutoff: string): boolean {
  return event.payout_id === null && (event.status === 'pending' || event.status === 'eligible') && event.eligible_on <= cutoff;
}

/** One planned payout per reseller that has payable events, ordered by reseller id. */
export function planPayouts(on: string, events: readonly PayableEvent[]): PlannedPayout[] {
  const cutoff = payoutCutoff(on);
  const byReseller = new Map<string, PayableEvent[]>();
  for (const event of events) {
    if (!isPayable(event, cutoff)) continue;
    byReseller.set(event.reseller_id, [...(byReseller.get(event.reseller_id) ?? []), event]);
  }
  return [...byReseller.keys()].sort().map((resellerId) => {
    const own = byReseller.get(resellerId)!;
    const net = own.reduce((sum, e) => sum + e.amount_cents, 0);
    return {
      reseller_id: resellerId,
      cutoff,
      event_ids: own.map((e) => e.id).sort(),
      net_cents: net,
      outcome: net >= MINIMUM_PAYOUT_CENTS ? 'paid' : 'carried_forward',
    };
  });
}
