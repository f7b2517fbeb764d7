import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { addDays, checkPeriod, dayOf, firstDay, lastDay, periodOf } from '../../../core/calendar.js';
import { invalid } from '../../../core/errors.js';
import { scopeTo, scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { periodsOfQuarter, quarterOf } from '../commissions/days.js';
import { bookedByReseller } from '../commissions/run.js';
import { openPipelineByReseller } from '../pipeline/service.js';
import { resellerKpis, type MrrChangeFact } from './kpis.js';
import type { ResellerKpis, ResellerKpisList } from './schema.js';
import { visibleReseller } from './service.js';

/** `GET /v1/resellers/{ref}/kpis`: one reseller's KPIs (a reseller: itself only, 404 otherwise). */
export async function getResellerKpis(ctx: ServiceContext, ref: string, input: { period?: string }): Promise<ResellerKpis> {
  const reseller = await visibleReseller(ctx, ref);
  const period = kpiPeriod(ctx, input.period);
  const [kpis] = await gatherKpis(ctx, period, [reseller]);
  return kpis!;
}

/** `GET /v1/resellers/kpis`: every reseller's KPIs (a reseller: its own row), one query per figure. */
export async function listResellerKpis(ctx: ServiceContext, input: { period?: string }): Promise<ResellerKpisList> {
  const period = kpiPeriod(ctx, input.period);
  let query = ctx.db.selectFrom('resellers').select(['id', 'slug', 'name', 'quota_cents']).orderBy('slug');
  if (ctx.principal.role !== 'master_admin') query = query.where('id', '=', ctx.principal.resellerId ?? '');
  return { period, data: await gatherKpis(ctx, period, await query.execute()) };
}

function kpiPeriod(ctx: ServiceContext, period: string | undefined): string {
  const current = periodOf(dayOf(ctx.clock.now()));
  if (period === undefined) return current;
  checkPeriod(period);
  if (period > current) throw invalid(`period ${period} is in the future; the latest period with KPIs is ${current}`);
  return period;
}

type Reseller = { id: string; slug: string; name: string; quota_cents: number | null };

async function gatherKpis(ctx: ServiceContext, period: string, resellers: readonly Reseller[]): Promise<ResellerKpis[]> {
  if (resellers.length === 0) return [];
  const one = resellers.length === 1 ? resellers[0]!.id : undefined;
  const from = firstDay(period);
  const to = lastDay(period);
  const nextDay = addDays(to, 1);
  // invoices and subscriptions are tenant-owned: the scoping helper keeps both dialects to the same rows
  const invoiceScope = scopeTo(ctx.principal, { tenant: 'invoices.tenant_id' });
  const forReseller = (column: string) => (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => (one ? eb(eb.ref(column), '=', one) : eb(eb.ref(column), 'is not', null));
  const sumBy = async (rows: Promise<{ reseller_id: string | null; cents: unknown }[]>) => new Map((await rows).map((r) => [r.reseller_id!, Number(r.cents ?? 0)]));

  const paid = sumBy(
    ctx.db.selectFrom('invoices').where(invoiceScope).where(forReseller('invoices.reseller_id')).where('paid_on', '>=', from).where('paid_on', '<=', to)
      .select(['invoices.reseller_id', sql<string>`sum(invoices.total_cents)`.as('cents')]).groupBy('invoices.reseller_id').execute(),
  );
  const refunded = sumBy(
    ctx.db.selectFrom('invoices').where(invoiceScope).where(forReseller('invoices.reseller_id')).where('refunded_on', '>=', from).where('refunded_on', '<=', to)
      .select(['invoices.reseller_id', sql<string>`sum(invoices.refunded_cents)`.as('cents')]).groupBy('invoices.reseller_id').execute(),
  );
  const changes = ctx.db
    .selectFrom('subscription_changes')
    .selectAll()
    .where(scopeTo(ctx.principal, { tenant: 'subscription_changes.tenant_id', reseller: 'subscription_changes.reseller_id' }))
    .where(forReseller('subscription_changes.reseller_id'))
    .where('effective_on', '<=', to)
    .execute();
  const pipeline = openPipelineByReseller(ctx, one);
  const closed = ctx.db
    .selectFrom('opportunities')
    .where(scopeToReseller(ctx.principal, 'opportunities.reseller_id'))
    .where(forReseller('opportunities.reseller_id'))
    .where('stage', 'in', ['won', 'lost'])
    .where('closed_at', '>=', from)
    .where('closed_at', '<', nextDay)
    .select(['reseller_id', 'stage', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy(['reseller_id', 'stage'])
    .execute();
  const quotes = ctx.db
    .selectFrom('quotes')
    .where(scopeToReseller(ctx.principal, 'quotes.reseller_id'))
    .where(forReseller('quotes.reseller_id'))
    .where('accepted_on', '>=', from)
    .where('accepted_on', '<=', to)
    .where('sent_at', 'is not', null)
    .select(['reseller_id', 'sent_at', 'accepted_on'])
    .execute();
  const earned = sumBy(
    ctx.db.selectFrom('commission_events').where(scopeToReseller(ctx.principal, 'commission_events.reseller_id')).where(forReseller('commission_events.reseller_id')).where('period', '=', period).where('status', '<>', 'cancelled')
      .select(['commission_events.reseller_id', sql<string>`sum(commission_events.amount_cents)`.as('cents')]).groupBy('commission_events.reseller_id').execute(),
  );
  const paidOut = sumBy(
    ctx.db.selectFrom('payouts').where(scopeToReseller(ctx.principal, 'payouts.reseller_id')).where(forReseller('payouts.reseller_id')).where('run_on', '>=', from).where('run_on', '<=', to)
      .select(['payouts.reseller_id', sql<string>`sum(payouts.amount_cents)`.as('cents')]).groupBy('payouts.reseller_id').execute(),
  );
  const quarterFrom = firstDay(periodsOfQuarter(quarterOf(period))[0]!);
  const booked = bookedByReseller(ctx.db, quarterFrom, to, (eb) => eb.and([scopeTo(ctx.principal, { tenant: 'subscriptions.tenant_id' })(eb), forReseller('subscriptions.reseller_id')(eb)]));

  const [paidBy, refundedBy, changeRows, pipelineBy, closedRows, quoteRows, earnedBy, paidOutBy, bookedBy] = await Promise.all([paid, refunded, changes, pipeline, closed, quotes, earned, paidOut, booked]);
  const changesBy = group(changeRows, (r) => r.reseller_id!);
  const quotesBy = group(quoteRows, (r) => r.reseller_id!);
  const closedCount = (id: string, stage: string) => Number(closedRows.find((r) => r.reseller_id === id && r.stage === stage)?.count ?? 0);

  return resellers.map((r) => ({
    reseller_id: r.id,
    slug: r.slug,
    name: r.name,
    period,
    ...resellerKpis(
      {
        paid_cents: paidBy.get(r.id) ?? 0,
        refunded_cents: refundedBy.get(r.id) ?? 0,
        changes: (changesBy.get(r.id) ?? []).map(
          (c): MrrChangeFact => ({ id: c.id, subscription_id: c.subscription_id, kind: c.kind, effective_on: c.effective_on, from_mrr_cents: Number(c.from_mrr_cents), to_mrr_cents: Number(c.to_mrr_cents), created_at: c.created_at }),
        ),
        pipeline_weighted_cents: pipelineBy.get(r.id) ?? 0,
        won: closedCount(r.id, 'won'),
        lost: closedCount(r.id, 'lost'),
        quotes: (quotesBy.get(r.id) ?? []).map((q) => ({ sent_on: q.sent_at!.slice(0, 10), accepted_on: q.accepted_on! })),
        commissions_earned_cents: earnedBy.get(r.id) ?? 0,
        commissions_paid_cents: paidOutBy.get(r.id) ?? 0,
        booked_cents: bookedBy.get(r.id) ?? 0,
        quota_cents: r.quota_cents === null ? null : Number(r.quota_cents),
      },
      period,
    ),
  }));
}

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(key(row), [...(out.get(key(row)) ?? []), row]);
  return out;
}
