// The certification catalogue: each tier requires the modules of the tiers below it and one more.
import type { ResellerTier } from '../../../db/tables/resellers.js';

export const TRAINING_MODULES = ['platform-basics', 'sales-cert', 'technical-cert', 'advanced-support'] as const;
export type TrainingModule = (typeof TRAINING_MODULES)[number];

export const TRAINING_CATALOGUE: Readonly<Record<TrainingModule, { title: string; requiredFrom: ResellerTier }>> = {
  'platform-basics': { title: 'Platform basics', requiredFrom: 'bronze' },
  'sales-cert': { title: 'Sales certification', requiredFrom: 'silver' },
  'technical-cert': { title: 'Technical certification', requiredFrom: 'gold' },
  'advanced-support': { title: 'Advanced support', requiredFrom: 'platinum' },
};

const RANK: Record<ResellerTier, number> = { bronze: 0, silver: 1, gold: 2, platinum: 3 };

export const requiredFor = (tier: ResellerTier): TrainingModule[] => TRAINING_MODULES.filter((m) => RANK[TRAINING_CATALOGUE[m].requiredFrom] <= RANK[tier]);
