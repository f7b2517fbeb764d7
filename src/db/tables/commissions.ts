import type { Selectable } from 'kysely';
import type { CommissionType } from '../../server/modules/commissions/rates.js';
import type { CommissionStatus } from '../../server/modules/commissions/rules.js';

/** A rule of the partner programme's rate precedence (an account override when tenant_id is set). */
export interface CommissionRulesTable {
  id: string;
  /** lower numbers are tried first */
  priority: number;
  bps: number;
  reseller_id: string | null;
  tenant_id: string | null;
  plan: string | null;
  commission_type: CommissionType | null;
  description: string;
  /** inclusive days, YYYY-MM-DD */
  active_from: string;
  active_to: string | null;
  created_at: string;
}

/** A certification module a reseller completed. */
export interface ResellerTrainingTable {
  reseller_id: string;
  module: string;
  completed_on: string;
  /** the user who recorded it */
  recorded_by: string;
}

/** One commission a reseller earned or lost (a clawback is negative). */
export interface CommissionEventsTable {
  id: string;
  /** what earned it, unique per reseller: `recurring:inv_…`, `bonus:2026-Q1`, `clawback:com_…:ref_…` */
  key: string;
  reseller_id: string;
  tenant_id: string | null;
  subscription_id: string | null;
  invoice_id: string | null;
  type: CommissionType;
  /** the period it was earned in, YYYY-MM */
  period: string;
  base_cents: number;
  rate_bps: number;
  amount_cents: number;
  /** JSON: the rule that chose the rate, and the steps from base to amount (EventBasis) */
  basis: string;
  status: CommissionStatus;
  eligible_on: string;
  payout_id: string | null;
  /** the event a clawback reverses */
  reverses_id: string | null;
  dispute_reason: string | null;
  disputed_at: string | null;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

export const PAYOUT_STATUSES = ['paid', 'carried_forward'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** One reseller's outcome of a payout run on a day: paid, or carried forward under the minimum. */
export interface PayoutsTable {
  id: string;
  reseller_id: string;
  run_on: string;
  /** events eligible on or before this day were considered */
  cutoff: string;
  status: PayoutStatus;
  /** the eligible events' sum, clawbacks netted */
  net_cents: number;
  /** what was paid: net_cents when paid, 0 when carried forward */
  amount_cents: number;
  event_count: number;
  created_at: string;
}

export interface PayoutLinesTable {
  payout_id: string;
  event_id: string;
  reseller_id: string;
  amount_cents: number;
}

export type CommissionRuleRow = Selectable<CommissionRulesTable>;
export type CommissionEventRow = Selectable<CommissionEventsTable>;
export type PayoutRow = Selectable<PayoutsTable>;
