import { createHash, createHmac } from 'node:crypto';
import type { AuditEventRow } from '../../../db/tables/audit-events.js';
import type { AuditKey } from '../../auth/keys.js';

const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<AuditEventRow, 'hash'>;

/**
 * An HMAC-SHA256 under the workspace's audit key over every field of the event and the previous
 * event's hash, in a fixed order. Without the key nobody can re-seal an edited chain.
 */
export function hashEvent(key: AuditKey, event: Hashed): string {
  const material = JSON.stringify([
    event.prev_hash,
    event.seq,
    event.id,
    event.at,
    event.actor,
    event.role,
    event.action,
    event.target_type,
    event.target_id,
    event.tenant_id,
    event.reseller_id,
    event.request_id,
    event.client_request_id,
    event.reason,
    event.details,
  ]);
  return createHmac('sha256', key).update(material).digest('hex');
}

/** How chains were sealed before they were keyed (plain SHA-256); read only to upgrade them. */
export function unkeyedHashEvent(event: Omit<Hashed, 'reseller_id' | 'client_request_id'>): string {
  const material = JSON.stringify([
    event.prev_hash,
    event.seq,
    event.id,
    event.at,
    event.actor,
    event.role,
    event.action,
    event.target_type,
    event.target_id,
    event.tenant_id,
    event.request_id,
    event.reason,
    event.details,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/** Names a key without revealing it, so a database can tell which key its chain is sealed with. */
export function auditKeyId(key: AuditKey): string {
  return createHmac('sha256', key).update('dotmac audit key id').digest('hex').slice(0, 32);
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  broken_at: number | null;
  problem: string | null;
}

/** Where a walk over the chain stands: the last event's seq and hash. */
export interface ChainPosition {
  seq: number;
  hash: string;
}

export const CHAIN_START: ChainPosition = { seq: 0, hash: GENESIS_HASH };

/**
 * Folds over events in seq order from `at`: each must come right after the one before (no gap in
 * seq), point at its hash, and carry the hash of its own contents.
 */
export function checkLinks(events: AuditEventRow[], at: ChainPosition, state: ChainCheck, hash: (event: Hashed) => string): ChainPosition {
  for (const event of events) {
    if (!state.ok) break;
    state.checked++;
    if (event.seq !== at.seq + 1) {
      const missing = event.seq - 1 === at.seq + 1 ? `event ${at.seq + 1} is` : `events ${at.seq + 1}–${event.seq - 1} are`;
      Object.assign(state, { ok: false, broken_at: event.seq, problem: `seq ${event.seq} follows ${at.seq}: ${missing} missing` });
    } else if (event.prev_hash !== at.hash) {
      Object.assign(state, { ok: false, broken_at: event.seq, problem: 'prev_hash does not match the previous event' });
    } else if (hash(event) !== event.hash) {
      Object.assign(state, { ok: false, broken_at: event.seq, problem: 'hash does not match the event contents' });
    }
    at = { seq: event.seq, hash: event.hash };
  }
  return at;
}
