import type { Insertable, Selectable } from 'kysely';

export interface AuditEventsTable {
  seq: number;
  id: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  target_type: string;
  target_id: string | null;
  tenant_id: string | null;
  request_id: string | null;
  reason: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1) holding the head of the hash chain; updating it serialises audit writers on every dialect. */
export interface AuditChainTable {
  id: number;
  seq: number;
  head_hash: string;
}

export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEventRow = Insertable<AuditEventsTable>;
