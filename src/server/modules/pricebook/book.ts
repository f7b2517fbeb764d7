// A price book is data: one immutable document per version (COMMERCE.md "Price book 2025.1").
// Quotes and subscriptions keep the version they were made with; a new version applies to new
// quotes only. The 2025.1 document below is what migration 2026120301_pricebook seeds.

export const PLAN_CODES = ['starter', 'professional', 'enterprise', 'custom'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];

export const TERM_MONTHS = [1, 12, 24, 36] as const;

/** Subscribers from..to (inclusive) are priced at unit_cents each; the last band of a plan has no upper end when billing runs past the hard cap. */
export interface PriceBand {
  from: number;
  to: number;
  unit_cents: number;
}

export interface Allowances {
  users: number;
  devices: number;
  storage_gb: number;
  api_calls: number;
}

export interface OverageRates {
  /** per user, device and GB over the allowance, per month */
  user_cents: number;
  device_cents: number;
  storage_gb_cents: number;
  /** per 1,000 API calls (or part of them) over the allowance */
  api_calls_1k_cents: number;
}

export interface PlanPrice {
  code: PlanCode;
  name: string;
  /** null for a quoted plan (custom): the quote names the fee, at least floor_cents */
  platform_fee_cents: number | null;
  floor_cents?: number;
  included_subscribers: number;
  bands: PriceBand[];
  /** null: set by contract */
  hard_cap: number | null;
  allowances: Allowances | null;
  overage: OverageRates | null;
  /** the setup fee; for a quoted plan the minimum setup fee */
  setup_cents: number;
  quoted: boolean;
}

export interface AddonPrice {
  code: string;
  name: string;
  monthly_cents: number;
  /** plans whose price already includes it (it is then a zero line) */
  included_in: PlanCode[];
}

export interface TermDiscount {
  months: number;
  discount_bps: number;
}

export interface PriceBook {
  version: string;
  currency: 'USD';
  plans: PlanPrice[];
  addons: AddonPrice[];
  terms: TermDiscount[];
  trial_days: number;
  /** a committed subscriber count is a billed floor on terms of at least this many months */
  commitment_min_term_months: number;
}

export const PRICE_BOOK_2025_1: PriceBook = {
  version: '2025.1',
  currency: 'USD',
  plans: [
    {
      code: 'starter',
      name: 'Starter',
      platform_fee_cents: 4_900,
      included_subscribers: 100,
      bands: [{ from: 101, to: 250, unit_cents: 50 }],
      hard_cap: 250,
      allowances: { users: 10, devices: 25, storage_gb: 10, api_calls: 10_000 },
      overage: { user_cents: 200, device_cents: 50, storage_gb_cents: 10, api_calls_1k_cents: 5 },
      setup_cents: 0,
      quoted: false,
    },
    {
      code: 'professional',
      name: 'Professional',
      platform_fee_cents: 14_900,
      included_subscribers: 1_000,
      bands: [
        { from: 1_001, to: 2_500, unit_cents: 14 },
        { from: 2_501, to: 5_000, unit_cents: 12 },
      ],
      hard_cap: 5_000,
      allowances: { users: 50, devices: 250, storage_gb: 100, api_calls: 100_000 },
      overage: { user_cents: 150, device_cents: 40, storage_gb_cents: 8, api_calls_1k_cents: 4 },
      setup_cents: 50_000,
      quoted: false,
    },
    {
      code: 'enterprise',
      name: 'Enterprise',
      platform_fee_cents: 49_900,
      included_subscribers: 2_500,
      bands: [
        { from: 2_501, to: 10_000, unit_cents: 12 },
        { from: 10_001, to: 25_000, unit_cents: 9 },
        { from: 25_001, to: 50_000, unit_cents: 6 },
      ],
      hard_cap: 50_000,
      allowances: { users: 200, devices: 1_000, storage_gb: 500, api_calls: 1_000_000 },
      overage: { user_cents: 100, device_cents: 30, storage_gb_cents: 6, api_calls_1k_cents: 3 },
      setup_cents: 150_000,
      quoted: false,
    },
    {
      code: 'custom',
      name: 'Custom',
      platform_fee_cents: null,
      floor_cents: 249_900,
      included_subscribers: 0,
      bands: [],
      hard_cap: null,
      allowances: null,
      overage: null,
      setup_cents: 300_000,
      quoted: true,
    },
  ],
  addons: [
    { code: 'white-label', name: 'White label', monthly_cents: 9_900, included_in: ['enterprise'] },
    { code: 'premium-support', name: 'Premium support', monthly_cents: 19_900, included_in: [] },
    { code: 'extended-backups', name: 'Extended backups', monthly_cents: 4_900, included_in: [] },
    { code: 'sandbox', name: 'Sandbox', monthly_cents: 2_900, included_in: [] },
  ],
  terms: [
    { months: 1, discount_bps: 0 },
    { months: 12, discount_bps: 1_000 },
    { months: 24, discount_bps: 1_500 },
    { months: 36, discount_bps: 2_000 },
  ],
  trial_days: 14,
  commitment_min_term_months: 12,
};
