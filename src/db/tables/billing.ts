import type { Selectable } from 'kysely';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A tenant's subscription to a plan of one price-book version (COMMERCE.md "Subscriptions and invoices"). */
export interface SubscriptionsTable {
  id: string;
  tenant_id: string;
  /** the reseller of record: the tenant's reseller when the subscription was made */
  reseller_id: string | null;
  quote_id: string | null;
  plan: string;
  term_months: number;
  price_book_version: string;
  /** the subscribed count; on terms of 12 months or more, the committed (billed floor) count */
  subscribers: number;
  /** add-on codes, a JSON array */
  addons: string;
  discount_bps: number;
  waive_setup: number;
  /** the custom plan's quoted fees; null on the other plans */
  platform_fee_cents: number | null;
  setup_cents: number | null;
  status: SubscriptionStatus;
  /** YYYY-MM-DD */
  started_on: string;
  trial_ends_on: string | null;
  /** the day billing began: started_on, or the day a trial converted */
  billing_starts_on: string | null;
  /** the last day of the current term */
  term_ends_on: string | null;
  cancel_on: string | null;
  cancelled_on: string | null;
  /** a downgrade waiting for the end of the period: { plan, addons } as JSON, and the day it applies */
  pending_change: string | null;
  pending_on: string | null;
  upgrade_required: number;
  created_at: string;
  updated_at: string;
}

export const SUBSCRIPTION_CHANGE_KINDS = ['new', 'upgrade', 'downgrade', 'cancel'] as const;
export type SubscriptionChangeKind = (typeof SUBSCRIPTION_CHANGE_KINDS)[number];

/**
 * One change of a subscription's monthly recurring revenue (MRR: what recurring_cents of a full
 * month's invoice is), written with the change itself. Append-only.
 */
export interface SubscriptionChangesTable {
  id: string;
  subscription_id: string;
  tenant_id: string;
  /** the subscription's reseller of record */
  reseller_id: string | null;
  kind: SubscriptionChangeKind;
  /** YYYY-MM-DD: the day the new MRR is in force (a cancellation: its cancel day) */
  effective_on: string;
  from_mrr_cents: number;
  to_mrr_cents: number;
  created_at: string;
}

export const USAGE_METRICS = ['subscribers', 'users', 'devices', 'storage_gb', 'api_calls'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** One metric's figure for a month so far; a reading only ever raises it (the month's peak). */
export interface UsageReadingsTable {
  tenant_id: string;
  /** YYYY-MM */
  period: string;
  metric: UsageMetric;
  value: number;
  updated_at: string;
}

export const INVOICE_KINDS = ['first', 'recurring', 'proration', 'final'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const INVOICE_STATUSES = ['open', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoicesTable {
  id: string;
  tenant_id: string;
  subscription_id: string;
  /** the subscription's reseller of record (commissions are paid to it) */
  reseller_id: string | null;
  /** YYYY-MM */
  period: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  issued_on: string;
  due_on: string;
  paid_on: string | null;
  voided_on: string | null;
  total_cents: number;
  /** the recurring lines after discounts (platform fee, bands, add-ons): what commissions are paid on */
  recurring_cents: number;
  refunded_cents: number;
  refunded_on: string | null;
  /** 1 when, paid, it was the subscription's first paid invoice */
  first_paid: number;
  created_at: string;
}

/** One line of an invoice: the PriceLine shape of pricebook/pricing.ts. */
export interface InvoiceLinesTable {
  invoice_id: string;
  tenant_id: string;
  position: number;
  kind: string;
  code: string | null;
  description: string;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
  recurring: number;
}

export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type SubscriptionChangeRow = Selectable<SubscriptionChangesTable>;
export type UsageReadingRow = Selectable<UsageReadingsTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
