import type { Selectable } from 'kysely';

export const OPPORTUNITY_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];

/** A named list of region codes, held by at most one reseller (a reseller may hold several). */
export interface TerritoriesTable {
  id: string;
  name: string;
  /** JSON array of region codes, sorted, e.g. ["us-east","us-west"] */
  regions: string;
  /** the reseller holding it; null while unassigned (then only staff see it) */
  reseller_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A reseller's sales opportunity with a prospect (issue 8): reseller-owned, no tenant. */
export interface OpportunitiesTable {
  id: string;
  reseller_id: string;
  prospect_name: string;
  prospect_email: string | null;
  region: string;
  /** the reseller's territory that allowed the region when it was created */
  territory_id: string | null;
  value_cents: number;
  /** YYYY-MM-DD, expected close */
  close_date: string | null;
  stage: OpportunityStage;
  /** the quote made for it; no foreign key until quotes exist on the same branch */
  quote_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** when it reached won or lost */
  closed_at: string | null;
}

/** One stage change of an opportunity (its creation is the first, from null). Append-only. */
export interface OpportunityStageChangesTable {
  id: string;
  opportunity_id: string;
  /** copied from the opportunity, so row-level security needs no join */
  reseller_id: string;
  from_stage: OpportunityStage | null;
  to_stage: OpportunityStage;
  reason: string | null;
  actor: string;
  actor_role: string;
  at: string;
}

export type TerritoryRow = Selectable<TerritoriesTable>;
export type OpportunityRow = Selectable<OpportunitiesTable>;
export type OpportunityStageChangeRow = Selectable<OpportunityStageChangesTable>;
