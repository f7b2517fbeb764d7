import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import { insertValues } from '../../../db/bulk-insert.js';
import type { CommissionEventRow } from '../../../db/tables/commissions.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { visibleReseller } from '../resellers/service.js';
import { explainLines } from './explain.js';
import { visibleRules } from './rule-service.js';
import { disputeOpen, statusOn, type Clawback, type CommissionStatus, type NewCommissionEvent } from './rules.js';

export interface Commission extends Omit<CommissionEventRow, 'basis' | 'key' | 'updated_at'> {
  basis: Record<string, unknown>;
}

const today = (ctx: ServiceContext) => ctx.clock.now().toISOString().slice(0, 10);

export function commissionView(row: CommissionEventRow, on: string): Commission {
  const { key: _key, updated_at: _updated, basis, ...rest } = row;
  return { ...rest, basis: JSON.parse(basis) as Record<string, unknown>, status: statusOn(row.status, row.eligible_on, on) };
}

/**
 * A reseller reads every event it earned, but names only customers it still owns: an event on a
 * customer that has since moved to another reseller (or gone direct) shows no tenant_id, which is
 * now another's. Staff see every id.
 */
export async function withCustomersInScope<T extends { tenant_id: string | null }>(ctx: ServiceContext, rows: T[], db: Kysely<Database> = ctx.db): Promise<T[]> {
  if (ctx.principal.role !== 'reseller') return rows;
  const named = [...new Set(rows.map((r) => r.tenant_id).filter((id): id is string => id !== null))];
  if (named.length === 0) return rows;
  const owned = new Set<string>();
  for (let i = 0; i < named.length; i += CHUNK) {
    const chunk = named.slice(i, i + CHUNK);
    for (const t of await db.selectFrom('tenants').select('id').where('id', 'in', chunk).where('reseller_id', '=', ctx.principal.resellerId ?? '').execute()) owned.add(t.id);
  }
  return rows.map((r) => (r.tenant_id === null || owned.has(r.tenant_id) ? r : { ...r, tenant_id: null }));
}

const scoped = (ctx: ServiceContext, db: Kysely<Database> = ctx.db) =>
  db.selectFrom('commission_events').selectAll().where(scopeToReseller(ctx.principal, 'commission_events.reseller_id'));

export async function listCommissions(ctx: ServiceContext, query: { limit: number; cursor?: string; reseller?: string; period?: string; status?: CommissionStatus; type?: string }) {
  const on = today(ctx);
  let q = scoped(ctx).orderBy('id').limit(query.limit + 1);
  if (query.reseller) q = q.where('reseller_id', '=', (await visibleReseller(ctx, query.reseller)).id);
  if (query.period) q = q.where('period', '=', query.period);
  if (query.type) q = q.where('type', '=', query.type as CommissionEventRow['type']);
  // pending and eligible are one stored status apart by the day
  if (query.status === 'pending') q = q.where('status', '=', 'pending').where('eligible_on', '>', on);
  else if (query.status === 'eligible') q = q.where((eb) => eb.or([eb('status', '=', 'eligible'), eb.and([eb('status', '=', 'pending'), eb('eligible_on', '<=', on)])]));
  else if (query.status) q = q.where('status', '=', query.status);
  if (query.cursor) q = q.where('id', '>', decodeCursor(query.cursor));
  const page = pageFrom(await q.execute(), query.limit, (row) => row.id);
  return { ...page, data: await withCustomersInScope(ctx, page.data.map((row) => commissionView(row, on))) };
}

async function visibleEvent(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<CommissionEventRow> {
  const row = await scoped(ctx, db).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`commission "${id}" was not found`);
  return (await withCustomersInScope(ctx, [row], db))[0]!;
}

/** The event with the rule that chose its rate and the steps from base to amount. */
export async function explainCommission(ctx: ServiceContext, id: string) {
  const event = commissionView(await visibleEvent(ctx, id), today(ctx));
  const ruleId = typeof event.basis.rule_id === 'string' ? event.basis.rule_id : null;
  // a rule the caller may not read (another reseller's, or staff's global one) is named by the basis alone
  const rule = ruleId ? ((await visibleRules(ctx).where('id', '=', ruleId).executeTakeFirst()) ?? null) : null;
  return { ...event, rule, explanation: explainLines(event) };
}

/** A reseller (or staff) disputes an event within 60 days of its period's statement; it stays out of payouts until resolved. */
export async function disputeCommission(ctx: ServiceContext, id: string, reason: string): Promise<Outcome<Commission>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await visibleEvent(ctx, id, trx);
    const on = today(ctx);
    if (row.status === 'disputed') return { value: commissionView(row, on), changed: false };
    if (row.status === 'cancelled') throw conflict(`commission ${id} is cancelled and cannot be disputed`);
    if (!disputeOpen(row.period, on)) throw conflict(`the dispute window for ${row.period} closed 60 days after its statement`);
    const now = ctx.clock.now().toISOString();
    const next = { ...row, status: 'disputed' as const, dispute_reason: reason, disputed_at: now, resolved_at: null, updated_at: now };
    await trx.updateTable('commission_events').set({ status: 'disputed', dispute_reason: reason, disputed_at: now, resolved_at: null, updated_at: now }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'commission.dispute', targetType: 'commission', targetId: id, tenantId: null, resellerId: row.reseller_id, details: { reason, amount_cents: row.amount_cents } });
    return { value: commissionView(next, on), changed: true };
  });
}

/** master_admin resolves a dispute: the event goes back (paid if it was, else by its day), or, upheld, an unpaid one is cancelled. */
export async function resolveCommission(ctx: ServiceContext, id: string, options: { cancel: boolean }): Promise<Outcome<Commission>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await visibleEvent(ctx, id, trx);
    const on = today(ctx);
    if (row.status !== 'disputed') {
      if (options.cancel && row.status !== 'cancelled') throw conflict(`commission ${id} is ${statusOn(row.status, row.eligible_on, on)}, not disputed; only a disputed event is cancelled here`);
      return { value: commissionView(row, on), changed: false };
    }
    if (options.cancel && row.payout_id !== null) throw conflict(`commission ${id} was paid in ${row.payout_id}; a paid event is reversed by a clawback, not cancelled`);
    const status: CommissionStatus = options.cancel ? 'cancelled' : row.payout_id !== null ? 'paid' : 'pending';
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('commission_events').set({ status, resolved_at: now, updated_at: now }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'commission.resolve', targetType: 'commission', targetId: id, tenantId: null, resellerId: row.reseller_id, details: { outcome: options.cancel ? 'cancelled' : 'restored' } });
    return { value: commissionView({ ...row, status, resolved_at: now, updated_at: now }, on), changed: true };
  });
}

const CHUNK = 400;

/**
 * The contract with the commission run: inserts events, skipping any whose (reseller, key) is
 * already recorded, and returns how many it wrote. Runs inside the caller's transaction (which
 * writes the run's audit event); a second run over the same invoices writes nothing.
 */
export async function recordCommissionEvents(trx: Kysely<Database>, events: readonly NewCommissionEvent[], now: Date = new Date()): Promise<number> {
  return (await insertCommissionEvents(trx, events, now)).length;
}

/** The columns insertCommissionEvents writes, in the order it lays out their values. */
const EVENT_COLUMNS = ['id', 'key', 'reseller_id', 'tenant_id', 'subscription_id', 'invoice_id', 'type', 'period', 'base_cents', 'rate_bps', 'amount_cents', 'basis', 'status', 'eligible_on', 'payout_id', 'reverses_id', 'dispute_reason', 'disputed_at', 'resolved_at', 'created_at', 'updated_at'] as const satisfies readonly (keyof CommissionEventRow)[];

/** recordCommissionEvents, answering the events it wrote (those not recorded before), in order. */
export async function insertCommissionEvents(
  trx: Kysely<Database>,
  events: readonly NewCommissionEvent[],
  now: Date = new Date(),
  status: 'pending' | 'awaiting_payment' = 'pending',
): Promise<(NewCommissionEvent & { id: string })[]> {
  // the ids written, by reseller and key
  const written = new Map<string, Map<string, string>>();
  const at = now.toISOString();
  // 1,000 rows of 21 columns: within SQLite's 32,766 and PostgreSQL's 65,535 parameters
  for (let i = 0; i < events.length; i += 1_000) {
    const values: unknown[] = [];
    for (const e of events.slice(i, i + 1_000)) {
      values.push(newId('commission'), e.key, e.reseller_id, e.tenant_id, e.subscription_id, e.invoice_id, e.type, e.period, e.base_cents, e.rate_bps, e.amount_cents);
      values.push(JSON.stringify(e.basis), status, e.eligible_on, null, e.reverses_id, null, null, null, at, at);
    }
    const inserted = await insertValues<{ id: string; reseller_id: string; key: string }>(trx, 'commission_events', EVENT_COLUMNS, values, { onConflictDoNothing: ['reseller_id', 'key'], returning: ['id', 'reseller_id', 'key'] });
    for (const row of inserted) {
      let keys = written.get(row.reseller_id);
      if (!keys) written.set(row.reseller_id, (keys = new Map()));
      keys.set(row.key, row.id);
    }
  }
  const fresh: (NewCommissionEvent & { id: string })[] = [];
  for (const e of events) {
    const id = written.get(e.reseller_id)?.get(e.key);
    if (id !== undefined) fresh.push({ ...e, id });
  }
  return fresh;
}

/** Applies a clawback (rules.ts): cancels the unpaid events it names, records its negative events. */
export async function applyClawback(trx: Kysely<Database>, clawback: Clawback, now: Date = new Date()): Promise<{ cancelled: number; written: number }> {
  const { cancelled, created } = await applyClawbackEvents(trx, clawback, now);
  return { cancelled, written: created.length };
}

/** applyClawback, answering the negative events it wrote (not only how many). */
export async function applyClawbackEvents(trx: Kysely<Database>, clawback: Clawback, now: Date = new Date()): Promise<{ cancelled: number; created: NewCommissionEvent[] }> {
  let cancelled = 0;
  if (clawback.cancel.length > 0) {
    const result = await trx
      .updateTable('commission_events')
      .set({ status: 'cancelled', updated_at: now.toISOString() })
      .where('id', 'in', clawback.cancel)
      .where('payout_id', 'is', null)
      .where('status', 'in', ['awaiting_payment', 'pending', 'eligible', 'disputed'])
      .executeTakeFirst();
    cancelled = Number(result.numUpdatedRows);
  }
  return { cancelled, created: await insertCommissionEvents(trx, clawback.create, now) };
}
