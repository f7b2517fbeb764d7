import type { Generated, Insertable, Selectable } from 'kysely';

/** The partner programme's tiers (COMMERCE.md); the foundation's `registered` became bronze in 2026120302_partners. */
export const RESELLER_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type ResellerTier = (typeof RESELLER_TIERS)[number];
export const RESELLER_KINDS = ['reseller', 'referral'] as const;
export type ResellerKind = (typeof RESELLER_KINDS)[number];
export const TIER_SOURCES = ['revenue', 'manual'] as const;
export type TierSource = (typeof TIER_SOURCES)[number];

export interface ResellersTable {
  id: string;
  slug: string;
  name: string;
  territory: string | null;
  /** the tier staff set (tier_source manual), or the last one revenue earned; `registered` before the partner programme */
  tier: ResellerTier | 'registered';
  kind: Generated<ResellerKind>;
  /** the quarterly quota, in cents; null: no quota, so no quarterly bonus */
  quota_cents: number | null;
  tier_source: Generated<TierSource>;
  default_commission_bps: number | null;
  created_at: string;
  updated_at: string;
}

export type ResellerRow = Selectable<ResellersTable>;
export type NewResellerRow = Insertable<ResellersTable>;
