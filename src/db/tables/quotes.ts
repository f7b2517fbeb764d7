import type { Selectable } from 'kysely';

export const QUOTE_STATUSES = ['draft', 'pending_approval', 'approved', 'sent', 'viewed', 'accepted', 'rejected', 'expired', 'revised', 'cancelled'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/**
 * A quote revision (COMMERCE.md § Quotes): owned by its reseller of record, or by the platform's
 * staff when reseller_id is null. Priced once from price_book_version; `pricing` keeps the lines,
 * flags and warnings as of pricing (JSON), the totals are columns.
 */
export interface QuotesTable {
  id: string;
  /** shared by every revision of the quote */
  number: string;
  revision: number;
  parent_id: string | null;
  reseller_id: string | null;
  /** the existing tenant quoted, when not a prospect */
  customer_tenant_id: string | null;
  prospect_name: string | null;
  prospect_email: string | null;
  region: string;
  plan: string;
  term_months: number;
  subscribers: number;
  /** JSON array of add-on codes */
  addons: string;
  discount_bps: number;
  /** 0 or 1 */
  waive_setup: number;
  platform_fee_cents: number | null;
  setup_fee_cents: number | null;
  /** YYYY-MM-DD; the quote expires after 23:59:59 UTC that day */
  valid_until: string;
  note: string | null;
  price_book_version: string;
  /** JSON: { lines, setup_cents, flags, warnings, term_discount_bps, currency } */
  pricing: string;
  monthly_cents: number;
  first_invoice_cents: number;
  /** the authority its discount, waiver and plan need */
  required_authority_bps: number;
  status: QuoteStatus;
  author_id: string;
  /** the author's discount authority when it made this revision: submit asks for approval above it */
  author_authority_bps: number;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  refused_by: string | null;
  refusal_reason: string | null;
  sent_at: string | null;
  viewed_at: string | null;
  /** the date the customer accepted (YYYY-MM-DD) */
  accepted_on: string | null;
  rejection_reason: string | null;
  /** when it reached a final state */
  closed_at: string | null;
  /** the tenant onboarding made or used when the quote was accepted */
  onboarded_tenant_id: string | null;
  opportunity_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export type QuoteRow = Selectable<QuotesTable>;
