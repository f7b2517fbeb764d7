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
  /** the reseller that owned the event's tenant when it was written (or the reseller it is about) */
  reseller_id: string | null;
  /** made by the server for every request */
  request_id: string | null;
  /** the caller's own X-Request-Id, when it sent a plain one */
  client_request_id: string | null;
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
  /** which audit key the chain is sealed with (never the key itself); null: not yet keyed */
  key_id: string | null;
  /** which key the configuration secrets are sealed with (configs/sealing.ts); null: not sealed yet */
  secrets_key_id: string | null;
}

export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEventRow = Insertable<AuditEventsTable>;
