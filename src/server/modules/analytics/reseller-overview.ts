import { sql } from 'kysely';
import { addDays, dayOf, periodOf } from '../../../core/calendar.js';
import { forbidden } from '../../../core/errors.js';
import { scopeTo, scopeToReseller, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { HEALTH_BANDS } from '../customers/health-score.js';
import { listCustomerHealth } from '../customers/service.js';
import { payoutCutoff, planPayouts } from '../payouts/rules.js';
import { listOpportunities } from '../pipeline/service.js';
import { getReseller } from '../resellers/service.js';
import type { ResellerOverview } from './schema.js';

const OPEN_QUOTES = ['draft', 'pending_approval', 'approved', 'sent', 'viewed'] as const;

/** The next payout day: the 15th of this month, or of the next once it has passed. */
export function nextPayoutDay(today: string): string {
  const fifteenth = `${periodOf(today)}-15`;
  if (today <= fifteenth) return fifteenth;
  return `${periodOf(addDays(`${periodOf(today)}-28`, 5))}-15`;
}

/** A reseller's overview of its own business: pipeline, quotes, commissions and its customers' health. */
export async function resellerOverview(ctx: ServiceContext): Promise<ResellerOverview> {
  const resellerId = ctx.principal.resellerId;
  if (!resellerId) throw forbidden('this token belongs to no reseller');
  const today = dayOf(ctx.clock.now());
  const period = periodOf(today);
  const payDay = nextPayoutDay(today);
  const cutoff = payoutCutoff(payDay);
  const [reseller, customers, tenants, pipeline, quotes, commissions, payable] = await Promise.all([
    getReseller(ctx, resellerId),
    listCustomerHealth(ctx, {}),
    ctx.db.selectFrom('tenants').where(scopeTo(ctx.principal, TENANT_SCOPE)).where('status', '<>', 'cancelled').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    listOpportunities(ctx, { limit: 1 }),
    ctx.db
      .selectFrom('quotes')
      .where(scopeToReseller(ctx.principal, 'quotes.reseller_id'))
      .where('status', 'in', OPEN_QUOTES)
      .select([sql<number>`count(*)`.as('open'), sql<number>`sum(case when valid_until >= ${today} and valid_until <= ${addDays(today, 6)} then 1 else 0 end)`.as('expiring')])
      .executeTakeFirst(),
    ctx.db
      .selectFrom('commission_events')
      .where(scopeToReseller(ctx.principal, 'commission_events.reseller_id'))
      .where('period', '=', period)
      .where('status', '<>', 'cancelled')
      .select([sql<number>`count(*)`.as('events'), sql<number>`coalesce(sum(amount_cents), 0)`.as('earned')])
      .executeTakeFirst(),
    ctx.db
      .selectFrom('commission_events')
      .select(['id', 'reseller_id', 'amount_cents', 'status', 'eligible_on', 'payout_id'])
      .where(scopeToReseller(ctx.principal, 'commission_events.reseller_id'))
      .where('payout_id', 'is', null)
      .where('status', 'in', ['pending', 'eligible'])
      .where('eligible_on', '<=', cutoff)
      .execute(),
  ]);
  const [plan] = planPayouts(payDay, payable.map((e) => ({ ...e, amount_cents: Number(e.amount_cents) })));
  const open = pipeline.totals.filter((t) => t.stage !== 'won' && t.stage !== 'lost');
  return {
    role: 'reseller',
    as_of: ctx.clock.now().toISOString(),
    reseller: { id: reseller.id, slug: reseller.slug, name: reseller.name, tier: reseller.tier },
    customers: { tenants: Number(tenants?.n ?? 0), by_band: HEALTH_BANDS.map((band) => ({ band, tenants: customers.data.filter((c) => c.band === band).length })) },
    pipeline: {
      stages: pipeline.totals,
      open: open.reduce((t, s) => ({ count: t.count + s.count, value_cents: t.value_cents + s.value_cents, weighted_cents: t.weighted_cents + s.weighted_cents }), { count: 0, value_cents: 0, weighted_cents: 0 }),
    },
    quotes: { open: Number(quotes?.open ?? 0), expiring_this_week: Number(quotes?.expiring ?? 0) },
    commissions: { period, earned_cents: Number(commissions?.earned ?? 0), events: Number(commissions?.events ?? 0) },
    next_payout: { on: payDay, cutoff, eligible_cents: plan?.net_cents ?? 0, outcome: plan?.outcome ?? 'none' },
  };
}
