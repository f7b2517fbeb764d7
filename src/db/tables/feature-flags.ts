import type { Selectable } from 'kysely';

/** A feature flag (issue 9): platform-owned, no tenant_id; see src/server/modules/flags/bucket.ts for who it is on for. */
export interface FeatureFlagsTable {
  id: string;
  /** lower case, `[a-z][a-z0-9_.-]{0,63}`, unique */
  key: string;
  description: string | null;
  /** on for the tenants whose bucket (0–9,999) is below this: 0 none, 10,000 every tenant */
  rollout_bps: number;
  /** JSON array of tenant ids the flag is always on for, sorted */
  tenant_ids: string;
  /** JSON array of tenant ids the flag is always off for, sorted; beats tenant_ids and the rollout */
  except_ids: string;
  created_at: string;
  updated_at: string;
}

export type FeatureFlagRow = Selectable<FeatureFlagsTable>;
