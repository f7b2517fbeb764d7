import type { Kysely } from 'kysely';
import { invalid } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { AuditEventRow } from '../../../db/tables/audit-events.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { checkLinks, GENESIS_HASH, hashEvent, type ChainCheck } from './chain.js';

export interface AuditFact {
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one event to the hash chain, inside the caller's write transaction. Bumping the
 * single chain-head row first makes concurrent writers queue on its row lock (PostgreSQL) or
 * the write lock (SQLite), so the chain never forks.
 */
export async function recordAudit(trx: Kysely<Database>, ctx: ServiceContext, fact: AuditFact): Promise<void> {
  const head = await trx
    .updateTable('audit_chain')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'head_hash'])
    .executeTakeFirstOrThrow();
  const event = {
    seq: Number(head.seq),
    id: newId('audit'),
    at: ctx.clock.now().toISOString(),
    actor: ctx.principal.userId,
    role: ctx.principal.role,
    action: fact.action,
    target_type: fact.targetType,
    target_id: fact.targetId,
    tenant_id: fact.tenantId,
    request_id: ctx.requestId,
    reason: ctx.reason,
    details: JSON.stringify(fact.details ?? {}),
    prev_hash: head.head_hash,
  };
  const hash = hashEvent(event);
  await trx.insertInto('audit_events').values({ ...event, hash }).execute();
  await trx.updateTable('audit_chain').set({ head_hash: hash }).where('id', '=', 1).execute();
}

export interface AuditFilter {
  limit: number;
  cursor?: string;
  action?: string;
  tenant_id?: string;
  target_id?: string;
}

export interface AuditEvent extends Omit<AuditEventRow, 'details'> {
  details: Record<string, unknown>;
}

/** Newest first. A tenant admin sees its tenant's events; a reseller, its tenants'. */
export async function listAuditEvents(ctx: ServiceContext, filter: AuditFilter) {
  let query = ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where(scopeTo(ctx.principal, { tenant: 'audit_events.tenant_id' }))
    .orderBy('seq', 'desc')
    .limit(filter.limit + 1);
  if (filter.cursor) query = query.where('seq', '<', seqOfCursor(filter.cursor));
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.tenant_id) query = query.where('tenant_id', '=', filter.tenant_id);
  if (filter.target_id) query = query.where('target_id', '=', filter.target_id);
  const rows = await query.execute();
  return pageFrom(rows.map(toAuditEvent), filter.limit, (event) => event.seq);
}

/** An audit cursor holds a seq; anything else would reach the database as NaN or a fraction. */
function seqOfCursor(cursor: string): number {
  const key = decodeCursor(cursor);
  if (!/^[1-9][0-9]{0,14}$/.test(key)) throw invalid('the cursor is not valid');
  return Number(key);
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return { ...row, seq: Number(row.seq), details: JSON.parse(row.details) as Record<string, unknown> };
}

/** Recomputes the whole chain in pages, oldest first. */
export async function verifyAuditChain(ctx: ServiceContext): Promise<ChainCheck & { head_hash: string }> {
  const state: ChainCheck = { ok: true, checked: 0, broken_at: null, problem: null };
  let prev = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const rows = await ctx.db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) break;
    prev = checkLinks(rows.map((r) => ({ ...r, seq: Number(r.seq) })), prev, state);
    if (!state.ok) break;
    after = Number(rows.at(-1)!.seq);
  }
  const head = await ctx.db.selectFrom('audit_chain').select('head_hash').where('id', '=', 1).executeTakeFirstOrThrow();
  if (state.ok && head.head_hash !== prev) {
    Object.assign(state, { ok: false, broken_at: after, problem: 'the chain head does not match the last event' });
  }
  return { ...state, head_hash: head.head_hash };
}
