import type { Kysely } from 'kysely';
import { invalid, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { PayoutRow } from '../../../db/tables/commissions.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { isDay, lastDay } from '../../../core/calendar.js';
import { commissionView, withCustomersInScope } from '../commissions/service.js';
import { visibleReseller } from '../resellers/service.js';
import { payoutCutoff, planPayouts } from './rules.js';

const today = (ctx: ServiceContext) => ctx.clock.now().toISOString().slice(0, 10);
const scoped = (ctx: ServiceContext, db: Kysely<Database> = ctx.db) => db.selectFrom('payouts').selectAll().where(scopeToReseller(ctx.principal, 'payouts.reseller_id'));

/**
 * The payout run on a day (master_admin): per reseller, the events eligible by the last day of the
 * previous month, net of clawbacks; paid at 10,000 cents or more, otherwise recorded as carried
 * forward with the events left unpaid. Once a day has a run, running it again writes nothing.
 */
export async function runPayouts(ctx: ServiceContext, on: string) {
  if (!isDay(on)) throw invalid(`"${on}" is not a day (YYYY-MM-DD)`);
  if (on > today(ctx)) throw invalid(`${on} is in the future; a payout run pays what is owed by its day`);
  const cutoff = payoutCutoff(on);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const already = await trx.selectFrom('payouts').select('id').where('run_on', '=', on).limit(1).executeTakeFirst();
    let written = 0;
    let paidCents = 0;
    if (!already) {
      const now = ctx.clock.now().toISOString();
      // what became eligible by the run day is eligible, whether paid now or carried
      await trx.updateTable('commission_events').set({ status: 'eligible', updated_at: now }).where('status', '=', 'pending').where('eligible_on', '<=', on).execute();
      const candidates = await trx
        .selectFrom('commission_events')
        .select(['id', 'reseller_id', 'amount_cents', 'status', 'eligible_on', 'payout_id'])
        .where('payout_id', 'is', null)
        .where('status', 'in', ['pending', 'eligible'])
        .where('eligible_on', '<=', cutoff)
        .execute();
      const byId = new Map(candidates.map((e) => [e.id, e]));
      for (const plan of planPayouts(on, candidates)) {
        const paid = plan.outcome === 'paid';
        const payout: PayoutRow = {
          id: newId('payout'),
          reseller_id: plan.reseller_id,
          run_on: on,
          cutoff,
          status: plan.outcome,
          net_cents: plan.net_cents,
          amount_cents: paid ? plan.net_cents : 0,
          event_count: plan.event_ids.length,
          created_at: now,
        };
        await trx.insertInto('payouts').values(payout).execute();
        if (paid) {
          for (let i = 0; i < plan.event_ids.length; i += 400) {
            const ids = plan.event_ids.slice(i, i + 400);
            await trx.updateTable('commission_events').set({ status: 'paid', payout_id: payout.id, updated_at: now }).where('id', 'in', ids).execute();
            await trx
              .insertInto('payout_lines')
              .values(ids.map((id) => ({ payout_id: payout.id, event_id: id, reseller_id: plan.reseller_id, amount_cents: byId.get(id)!.amount_cents })))
              .execute();
          }
          paidCents += payout.amount_cents;
        }
        written++;
      }
      if (written > 0) {
        await recordAudit(trx, ctx, { action: 'payout.run', targetType: 'payout_run', targetId: on, tenantId: null, resellerId: null, details: { on, cutoff, payouts: written, paid_cents: paidCents } });
      }
    }
    const payouts = await scoped(ctx, trx).where('run_on', '=', on).orderBy('reseller_id').execute();
    return { on, cutoff, written, paid_cents: payouts.reduce((sum, p) => sum + p.amount_cents, 0), payouts };
  });
}

export async function listPayouts(ctx: ServiceContext, query: { limit: number; cursor?: string; reseller?: string; status?: PayoutRow['status'] }) {
  let q = scoped(ctx).orderBy('id').limit(query.limit + 1);
  if (query.reseller) q = q.where('reseller_id', '=', (await visibleReseller(ctx, query.reseller)).id);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.cursor) q = q.where('id', '>', decodeCursor(query.cursor));
  return pageFrom(await q.execute(), query.limit, (row) => row.id);
}

export async function getPayout(ctx: ServiceContext, id: string) {
  const payout = await scoped(ctx).where('id', '=', id).executeTakeFirst();
  if (!payout) throw notFound(`payout "${id}" was not found`);
  const lines = await ctx.db
    .selectFrom('payout_lines')
    .innerJoin('commission_events', 'commission_events.id', 'payout_lines.event_id')
    .select(['payout_lines.event_id', 'commission_events.type', 'commission_events.period', 'commission_events.tenant_id', 'commission_events.invoice_id', 'payout_lines.amount_cents'])
    .where('payout_lines.payout_id', '=', id)
    .where(scopeToReseller(ctx.principal, 'payout_lines.reseller_id'))
    .orderBy('payout_lines.event_id')
    .execute();
  return { ...payout, lines: await withCustomersInScope(ctx, lines) };
}

/** A reseller's statement for a period: its events, the period's payouts, and the totals. */
export async function commissionStatement(ctx: ServiceContext, ref: string, period: string) {
  const reseller = await visibleReseller(ctx, ref);
  const on = today(ctx);
  const rows = await ctx.db
    .selectFrom('commission_events')
    .selectAll()
    .where(scopeToReseller(ctx.principal, 'commission_events.reseller_id'))
    .where('reseller_id', '=', reseller.id)
    .where('period', '=', period)
    .orderBy('id')
    .execute();
  const events = await withCustomersInScope(ctx, rows.map((row) => commissionView(row, on)));
  const payouts = await scoped(ctx).where('reseller_id', '=', reseller.id).where('run_on', '>=', `${period}-01`).where('run_on', '<=', lastDay(period)).orderBy('run_on').execute();
  const unpaid = await ctx.db
    .selectFrom('commission_events')
    .select((eb) => eb.fn.sum<string | number>('amount_cents').as('sum'))
    .where(scopeToReseller(ctx.principal, 'commission_events.reseller_id'))
    .where('reseller_id', '=', reseller.id)
    .where('payout_id', 'is', null)
    .where('status', 'in', ['pending', 'eligible'])
    .executeTakeFirst();
  const sum = (pick: (e: (typeof events)[number]) => boolean) => events.filter(pick).reduce((s, e) => s + e.amount_cents, 0);
  return {
    reseller_id: reseller.id,
    reseller_slug: reseller.slug,
    period,
    issued_on: lastDay(period),
    events,
    payouts,
    totals: {
      earned_cents: sum((e) => e.status !== 'cancelled'),
      disputed_cents: sum((e) => e.status === 'disputed'),
      cancelled_cents: sum((e) => e.status === 'cancelled'),
      paid_cents: payouts.reduce((s, p) => s + p.amount_cents, 0),
      unpaid_balance_cents: Number(unpaid?.sum ?? 0),
    },
  };
}
