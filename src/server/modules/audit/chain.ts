import { createHash } from 'node:crypto';
import type { AuditEventRow } from '../../../db/tables/audit-events.js';

export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<AuditEventRow, 'hash'>;

/** The hash covers every field of the event and the previous event's hash, in a fixed order. */
export function hashEvent(event: Hashed): string {
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

export interface ChainCheck {
  ok: boolean;
  checked: number;
  broken_at: number | null;
  problem: string | null;
}

/** Folds over events in seq order; `prev` is the hash the first event must point at. */
export function checkLinks(events: AuditEventRow[], prev: string, state: ChainCheck): string {
  for (const event of events) {
    if (!state.ok) break;
    state.checked++;
    if (event.prev_hash !== prev) {
      Object.assign(state, { ok: false, broken_at: event.seq, problem: 'prev_hash does not match the previous event' });
    } else if (hashEvent(event) !== event.hash) {
      Object.assign(state, { ok: false, broken_at: event.seq, problem: 'hash does not match the event contents' });
    }
    prev = event.hash;
  }
  return prev;
}
