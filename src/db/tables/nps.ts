import type { Selectable } from 'kysely';

/** A Net Promoter Score answer from a customer (tenant), recorded by staff, its reseller or its admin. */
export interface NpsResponsesTable {
  id: string;
  tenant_id: string;
  /** 0–10 */
  score: number;
  comment: string | null;
  recorded_by: string;
  recorded_at: string;
}

export type NpsResponseRow = Selectable<NpsResponsesTable>;
