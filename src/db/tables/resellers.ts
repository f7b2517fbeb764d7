import type { Insertable, Selectable } from 'kysely';

export const RESELLER_TIERS = ['registered', 'silver', 'gold', 'platinum'] as const;
export type ResellerTier = (typeof RESELLER_TIERS)[number];

export interface ResellersTable {
  id: string;
  slug: string;
  name: string;
  territory: string | null;
  tier: ResellerTier;
  created_at: string;
  updated_at: string;
}

export type ResellerRow = Selectable<ResellersTable>;
export type NewResellerRow = Insertable<ResellersTable>;
