import type { Kysely } from 'kysely';
import { invalid } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { AuditEventRow } from '../../../db/tables/audit-events.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import type { AuditAction } from './actions.js';
import { tenantIdOf, targetIdsOf } from './targets.js';
import { CHAIN_START, checkLinks, hashEvent, type ChainCheck } from './chain.js';

export interface AuditFact {
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  tenantId: string | null;
  /** the reseller an event about a reseller (or its token) belongs to; otherwise its tenant's */
  resellerId?: string | null;
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
    actor: ctx.actor?.id ?? ctx.principal.userId,
    role: ctx.actor?.role ?? ctx.principal.role,
    action: fact.action,
    target_type: fact.targetType,
    target_id: fact.targetId,
    tenant_id: fact.tenantId,
    reseller_id: fact.resellerId ?? (await ownerOf(trx, fact.tenantId)),
    request_id: ctx.requestId,
    client_request_id: ctx.clientRequestId,
    reason: ctx.reason,
    details: JSON.stringify(fact.details ?? {}),
    prev_hash: head.head_hash,
  };
  const hash = hashEvent(ctx.auditKey, event);
  await trx.insertInto('audit_events').values({ ...event, hash }).execute();
  await trx.updateTable('audit_chain').set({ head_hash: hash }).where('id', '=', 1).execute();
}

/** The tenant's reseller as of this transaction, so the event stays with it if the tenant moves later. */
async function ownerOf(trx: Kysely<Database>, tenantId: string | null): Promise<string | null> {
  if (!tenantId) return null;
  const tenant = await trx.selectFrom('tenants').select('reseller_id').where('id', '=', tenantId).executeTakeFirst();
  return tenant?.reseller_id ?? null;
}

export interface AuditFilter {
  limit: number;
  cursor?: string;
  action?: AuditAction;
  /** tenant id or slug */
  tenant?: string;
  /** an object's id, or a tenant or reseller slug */
  target?: string;
}

export interface AuditEvent extends Omit<AuditEventRow, 'details'> {
  details: Record<string, unknown>;
}

/**
 * Newest first. A tenant admin sees its tenant's events; a reseller, the events written while it
 * owned their tenant (not its tenants' history under a previous reseller).
 */
export async function listAuditEvents(ctx: ServiceContext, filter: AuditFilter) {
  let query = ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where(scopeTo(ctx.principal, { tenant: 'audit_events.tenant_id', reseller: 'audit_events.reseller_id' }))
    .orderBy('seq', 'desc')
    .limit(filter.limit + 1);
  if (filter.cursor) query = query.where('seq', '<', seqOfCursor(filter.cursor));
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.tenant) query = query.where('tenant_id', '=', await tenantIdOf(ctx, filter.tenant));
  if (filter.target) query = query.where('target_id', 'in', await targetIdsOf(ctx, filter.target));
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

/**
 * Recomputes the whole chain with the workspace's audit key in pages, oldest first: seq runs
 * 1..N without a gap, every link and hash holds, and N and the last hash are the chain head's.
 */
export async function verifyAuditChain(ctx: ServiceContext): Promise<ChainCheck & { head_hash: string }> {
  const state: ChainCheck = { ok: true, checked: 0, broken_at: null, problem: null };
  const hash = (event: Parameters<typeof hashEvent>[1]) => hashEvent(ctx.auditKey, event);
  // The head first: events written while the pages are read come after it and are left for the next check.
  const head = await ctx.db.selectFrom('audit_chain').select(['seq', 'head_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const last = Number(head.seq);
  let at = CHAIN_START;
  while (state.ok && at.seq < last) {
    const rows = await ctx.db.selectFrom('audit_events').selectAll().where('seq', '>', at.seq).where('seq', '<=', last).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) break;
    at = checkLinks(rows.map((r) => ({ ...r, seq: Number(r.seq) })), at, state, hash);
  }
  if (state.ok && at.seq !== last) {
    Object.assign(state, { ok: false, broken_at: at.seq + 1, problem: `the chain head is at seq ${last} but the last event is seq ${at.seq}` });
  } else if (state.ok && at.hash !== head.head_hash) {
    Object.assign(state, { ok: false, broken_at: at.seq, problem: 'the chain head does not match the last event' });
  } else if (state.ok) {
    // One statement, so an event committed meanwhile moves the head with it and is not counted.
    const beyond = await ctx.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('seq', '>', (eb) => eb.selectFrom('audit_chain').select('seq').where('id', '=', 1))
      .executeTakeFirst();
    if (beyond?.seq != null) Object.assign(state, { ok: false, broken_at: Number(beyond.seq), problem: 'an event lies beyond the chain head' });
  }
  return { ...state, head_hash: head.head_hash };
}
