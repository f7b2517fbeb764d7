import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/** An event as chains before 2026112602_audit_keyed held it: no reseller_id, no client_request_id. */
export interface UnkeyedEvent {
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
}

/** How every chain was sealed before it was keyed: plain SHA-256 over the event's fields. Written out here, not imported. */
export function sha256Event(event: UnkeyedEvent): string {
  const fields = [event.prev_hash, event.seq, event.id, event.at, event.actor, event.role, event.action, event.target_type, event.target_id, event.tenant_id, event.request_id, event.reason, event.details];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface UnkeyedFact {
  action: string;
  target_type: string;
  target_id: string | null;
  tenant_id: string | null;
  reason?: string;
  details?: Record<string, unknown>;
}

/** Appends events to a database at the foundation schema, sealed the old way, as an older release wrote them. */
export async function appendUnkeyed(db: Kysely<any>, facts: UnkeyedFact[]): Promise<void> {
  const head = (await db.selectFrom('audit_chain').select(['seq', 'head_hash']).where('id', '=', 1).executeTakeFirstOrThrow()) as { seq: number; head_hash: string };
  let seq = Number(head.seq);
  let prev = head.head_hash;
  for (const fact of facts) {
    seq++;
    const event: UnkeyedEvent = {
      seq,
      id: `aud_legacy${seq}`,
      at: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(),
      actor: 'usr_legacy',
      role: 'master_admin',
      action: fact.action,
      target_type: fact.target_type,
      target_id: fact.target_id,
      tenant_id: fact.tenant_id,
      request_id: `req_legacy${seq}`,
      reason: fact.reason ?? null,
      details: JSON.stringify(fact.details ?? {}),
      prev_hash: prev,
    };
    prev = sha256Event(event);
    await db.insertInto('audit_events').values({ ...event, hash: prev }).execute();
  }
  await db.updateTable('audit_chain').set({ seq, head_hash: prev }).where('id', '=', 1).execute();
}
