import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { checkPeriod, dayOf, firstDay, lastDay, periodOf } from '../../../core/calendar.js';
import { invalid } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import type { ResellerRow } from '../../../db/tables/resellers.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { recordAudit } from '../audit/service.js';
import { periodsOfQuarter, quarterOf } from './days.js';
import type { CommissionRule, Partner } from './rates.js';
import { clawbacksForCancellation, clawbacksForRefund, commissionsForPaidInvoice, expansionInForce, quarterBonus, type Upgrade, type NewCommissionEvent, type RecordedEvent } from './rules.js';
import { applyClawbackEvents, insertCommissionEvents } from './service.js';

export interface CommissionRunResult {
  period: string;
  invoices: number;
  written: number;
  earned_cents: number;
  bonuses: number;
  clawbacks: number;
  cancelled: number;
  upsells: number;
}

export const partnerOf = (r: ResellerRow): Partner => ({
  id: r.id,
  kind: r.kind,
  tier: r.tier,
  tier_source: r.tier_source,
  default_commission_bps: r.default_commission_bps === null ? null : Number(r.default_commission_bps),
});

/** Whole months from the billing start's month to the invoice's period, 1-based. */
export function monthNumber(billingStartsOn: string, period: string): number {
  const months = (text: string) => Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7));
  return months(period) - months(billingStartsOn) + 1;
}

/**
 * `commissions run --period P` (COMMERCE.md § Commissions): every invoice with a reseller of record
 * paid in P earns the events of `commissionsForPaidInvoice`; the quarter's last month adds each
 * partner's `quarterBonus`; refunds dated in P and cancellations in P within 90 days of the first
 * paid invoice claw back. All in one transaction with one `commission.run` audit event (none when
 * nothing was written). Idempotent: events are keyed, so a second run writes nothing.
 *
 * Lifetime revenue (for tiers that follow revenue) is the recurring revenue of the partner's
 * invoices paid before this one (by paid_on, then id): a sum in SQL up to the period, then a
 * running total over the period's invoices, so a run reads the period's invoices and never the
 * whole history. Expansion MRR comes from the MRR ledger
 * (subscription_changes): each invoice of period P carries the upgrades of its subscription
 * effective in P−12..P−1 (`expansionInForce`), so the upsell event is that × the upsell rate and
 * the recurring (or renewal) commission stays on the rest. An upgrade's own month earns nothing
 * extra: its proration invoice has no recurring lines, and the month's period invoice was issued
 * on the old terms.
 */
export async function runCommissions(ctx: ServiceContext, input: { period: string }): Promise<Outcome<CommissionRunResult>> {
  const period = checkPeriod(input.period);
  const today = dayOf(ctx.clock.now());
  if (period > periodOf(today)) throw invalid(`period ${period} is in the future; the latest period a commission run can cover is ${periodOf(today)}`);
  const from = firstDay(period);
  const to = lastDay(period);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const resellers = new Map((await trx.selectFrom('resellers').selectAll().where(scopeToReseller(ctx.principal, 'resellers.id')).execute()).map((r) => [r.id, r]));
    const rules: CommissionRule[] = (await trx.selectFrom('commission_rules').selectAll().execute()).map((r) => ({ ...r, priority: Number(r.priority), bps: Number(r.bps) }));
    const rulesOf = (resellerId: string) => rules.filter((r) => r.reseller_id === null || r.reseller_id === resellerId);

    // the period's paid invoices of a reseller of record with their subscriptions, in payment order
    const paid = await trx
      .selectFrom('invoices as i')
      .innerJoin('subscriptions as s', 's.id', 'i.subscription_id')
      .select([
        'i.id',
        'i.subscription_id',
        'i.reseller_id',
        'i.period',
        'i.paid_on',
        'i.recurring_cents',
        'i.total_cents',
        's.tenant_id',
        's.plan',
        's.term_months',
        's.started_on',
        's.billing_starts_on',
      ])
      .where('i.reseller_id', 'is not', null)
      .where('i.paid_on', '>=', from)
      .where('i.paid_on', '<=', to)
      .orderBy('i.paid_on')
      .orderBy('i.id')
      .execute();
    // lifetime revenue before the period, per reseller: the running total starts there
    const lifetime = new Map((await revenueBefore(trx, from)).map((r) => [r.reseller_id!, Number(r.cents)]));
    const cancelledSubs = await trx.selectFrom('subscriptions').selectAll().where('reseller_id', 'is not', null).where('cancelled_on', '>=', from).where('cancelled_on', '<=', to).execute();
    const paidInPeriod = trx.selectFrom('invoices').select('subscription_id').where('reseller_id', 'is not', null).where('paid_on', '>=', from).where('paid_on', '<=', to);
    // each subscription's upgrades, from the MRR ledger: the expansion MRR in force for its invoices
    const upgrades = new Map<string, Upgrade[]>();
    const upgraded = await trx.selectFrom('subscription_changes').select(['subscription_id', 'effective_on', 'from_mrr_cents', 'to_mrr_cents']).where('kind', '=', 'upgrade').where('subscription_id', 'in', paidInPeriod).execute();
    for (const r of upgraded) upgrades.set(r.subscription_id, [...(upgrades.get(r.subscription_id) ?? []), { effective_on: r.effective_on, from_mrr_cents: Number(r.from_mrr_cents), to_mrr_cents: Number(r.to_mrr_cents) }]);
    // an invoice already commissioned keeps what it earned: an upgrade dated back after the run must
    // not add an upsell beside a recurring commission already on the whole recurring revenue
    const invoicesPaidInPeriod = trx.selectFrom('invoices').select('id').where('reseller_id', 'is not', null).where('paid_on', '>=', from).where('paid_on', '<=', to);
    const commissioned = new Set(
      (await trx.selectFrom('commission_events').select('invoice_id').where('type', 'in', ['recurring', 'renewal']).where('invoice_id', 'in', invoicesPaidInPeriod).execute()).map((r) => r.invoice_id!),
    );
    const partners = new Map([...resellers].map(([id, r]) => [id, { partner: partnerOf(r), rules: rulesOf(id) }]));
    // only a month-1 invoice can earn the initial share, and only as its subscription's first
    // payment (by paid_on, then id): looked up for those alone
    const months = paid.map((inv) => Math.max(1, monthNumber(inv.billing_starts_on ?? inv.started_on, inv.period)));
    const firstPayment = await firstPayments(trx, [...new Set(paid.filter((_, i) => months[i] === 1).map((inv) => inv.subscription_id))], to);

    const events: NewCommissionEvent[] = [];
    let invoices = 0;
    for (const [i, inv] of paid.entries()) {
      const resellerId = inv.reseller_id!;
      const before = lifetime.get(resellerId) ?? 0;
      lifetime.set(resellerId, before + Number(inv.recurring_cents));
      const partner = partners.get(resellerId);
      if (!partner) continue;
      invoices++;
      events.push(
        ...commissionsForPaidInvoice({
          reseller: partner.partner,
          lifetime_revenue_cents: before,
          rules: partner.rules,
          subscription: { id: inv.subscription_id, tenant_id: inv.tenant_id, plan: inv.plan, term_months: Number(inv.term_months), started_on: inv.started_on },
          invoice: { id: inv.id, period: inv.period, paid_on: inv.paid_on!, recurring_cents: Number(inv.recurring_cents), total_cents: Number(inv.total_cents) },
          month: months[i]!,
          first_paid: firstPayment.get(inv.subscription_id) === `${inv.paid_on} ${inv.id}`,
          expansion_mrr_cents: commissioned.has(inv.id) ? 0 : expansionInForce(upgrades.get(inv.subscription_id) ?? [], inv.period),
        }),
      );
    }

    // the quarter's last month: each partner's bonus on the recurring revenue collected in the quarter
    let bonuses = 0;
    const quarter = quarterOf(period);
    if (periodsOfQuarter(quarter)[2] === period) {
      const qFrom = firstDay(periodsOfQuarter(quarter)[0]!);
      const beforeQuarter = new Map((await revenueBefore(trx, qFrom)).map((r) => [r.reseller_id!, Number(r.cents)]));
      for (const reseller of resellers.values()) {
        if (reseller.quota_cents === null) continue;
        // lifetime now holds each reseller's revenue up to the period's end
        const lifetimeBefore = beforeQuarter.get(reseller.id) ?? 0;
        const collected = (lifetime.get(reseller.id) ?? 0) - lifetimeBefore;
        const booked = await bookedInQuarter(trx, reseller.id, qFrom, to);
        const bonus = quarterBonus({ reseller: partnerOf(reseller), lifetime_revenue_cents: lifetimeBefore, rules: partners.get(reseller.id)!.rules, quarter, quota_cents: Number(reseller.quota_cents), booked_cents: booked, collected_cents: collected });
        if (bonus) {
          events.push(bonus);
          bonuses++;
        }
      }
    }

    const fresh = await insertCommissionEvents(trx, events, now);
    let written = fresh.length;
    let earned = sum(fresh);
    bonuses = fresh.filter((e) => e.type === 'bonus').length;

    // clawbacks: refunds dated in the period, cancellations in the period, within 90 days of the first paid invoice
    let clawbacks = 0;
    let cancelled = 0;
    const refunded = await trx.selectFrom('invoices').selectAll().where('reseller_id', 'is not', null).where('refunded_on', '>=', from).where('refunded_on', '<=', to).where('refunded_cents', '>', 0).orderBy('id').execute();
    const clawbackAt = async (subscriptionId: string) =>
      (await trx.selectFrom('commission_events').selectAll().where('subscription_id', '=', subscriptionId).execute()).map(recorded);
    const firstPaid = await firstPayments(trx, [...new Set([...refunded.map((i) => i.subscription_id), ...cancelledSubs.map((c) => c.id)])], to);
    for (const inv of refunded) {
      const first = firstPaid.get(inv.subscription_id)?.slice(0, 10);
      if (!first || !resellers.has(inv.reseller_id!)) continue;
      const claw = clawbacksForRefund({
        events: await clawbackAt(inv.subscription_id),
        invoice: { id: inv.id, total_cents: Number(inv.total_cents) },
        // refunds are kept as a running total: one clawback per level the total reached
        refund: { id: `refund-${inv.id}-${Number(inv.refunded_cents)}`, on: inv.refunded_on!, refunded_cents: Number(inv.refunded_cents) },
        first_paid_on: first,
      });
      const applied = await applyClawbackEvents(trx, claw, now);
      cancelled += applied.cancelled;
      clawbacks += applied.created.length;
      earned += sum(applied.created);
    }
    for (const sub of cancelledSubs) {
      if (!resellers.has(sub.reseller_id!)) continue;
      // never paid: the initial commission written at acceptance was never earned, and goes
      const first = firstPaid.get(sub.id)?.slice(0, 10) ?? sub.cancelled_on!;
      const claw = clawbacksForCancellation({ events: await clawbackAt(sub.id), first_paid_on: first, cancelled_on: sub.cancelled_on! });
      const applied = await applyClawbackEvents(trx, claw, now);
      cancelled += applied.cancelled;
      clawbacks += applied.created.length;
      earned += sum(applied.created);
    }
    written += clawbacks;

    const result: CommissionRunResult = { period, invoices, written, earned_cents: earned, bonuses, clawbacks, cancelled, upsells: fresh.filter((e) => e.type === 'upsell').length };
    const changed = written > 0 || cancelled > 0;
    if (changed) {
      await recordAudit(trx, ctx, {
        action: 'commission.run',
        targetType: 'commission_run',
        targetId: period,
        tenantId: null,
        details: { period, invoices, written, earned_cents: earned, bonuses, clawbacks, cancelled },
      });
    }
    return { value: result, changed };
  });
}

const recorded = (e: { id: string; key: string; reseller_id: string; tenant_id: string | null; subscription_id: string | null; invoice_id: string | null; type: RecordedEvent['type']; amount_cents: number; status: RecordedEvent['status']; payout_id: string | null; eligible_on: string; reverses_id: string | null }): RecordedEvent => ({
  id: e.id,
  key: e.key,
  reseller_id: e.reseller_id,
  tenant_id: e.tenant_id,
  subscription_id: e.subscription_id,
  invoice_id: e.invoice_id,
  type: e.type,
  amount_cents: Number(e.amount_cents),
  status: e.status,
  payout_id: e.payout_id,
  eligible_on: e.eligible_on,
  reverses_id: e.reverses_id,
});

const sum = (events: readonly NewCommissionEvent[]) => events.reduce((s, e) => s + e.amount_cents, 0);

/**
 * booked: the monthly recurring revenue, after discounts, of the partner's subscriptions that
 * started in the quarter — read as the recurring lines of each one's first period invoice.
 */
async function bookedInQuarter(trx: Kysely<Database>, resellerId: string, from: string, to: string): Promise<number> {
  return (await bookedByReseller(trx, from, to, (eb) => eb('subscriptions.reseller_id', '=', resellerId))).get(resellerId) ?? 0;
}

/**
 * What the quarterly bonus calls booked, for every reseller at once (reseller KPIs' attainment):
 * by reseller of record, the recurring revenue of the first period invoice of each subscription
 * started from `from` to `to`. `where` narrows the subscriptions (a reseller, a scope).
 */
export async function bookedByReseller(db: Kysely<Database>, from: string, to: string, where?: (eb: ExpressionBuilder<Database, 'subscriptions' | 'invoices'>) => Expression<SqlBool>): Promise<Map<string, number>> {
  let query = db
    .selectFrom('subscriptions')
    .innerJoin('invoices', 'invoices.subscription_id', 'subscriptions.id')
    .select(['subscriptions.id', 'subscriptions.reseller_id', 'invoices.recurring_cents', 'invoices.period'])
    .where('subscriptions.reseller_id', 'is not', null)
    .where('subscriptions.started_on', '>=', from)
    .where('subscriptions.started_on', '<=', to)
    .where('invoices.kind', 'in', ['first', 'recurring'])
    .where('invoices.status', '<>', 'void');
  if (where) query = query.where(where);
  const rows = await query.orderBy('invoices.period').execute();
  const seen = new Set<string>();
  const booked = new Map<string, number>();
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    booked.set(r.reseller_id!, (booked.get(r.reseller_id!) ?? 0) + Number(r.recurring_cents));
  }
  return booked;
}

/** Per reseller of record (or only `resellerId`'s), the recurring revenue of its invoices paid before `day`. */
export function revenueBefore(db: Kysely<Database>, day: string, resellerId?: string) {
  let query = db
    .selectFrom('invoices')
    .select(['reseller_id', sql<number>`sum(recurring_cents)`.as('cents')])
    .where('reseller_id', 'is not', null)
    .where('paid_on', '<', day);
  if (resellerId !== undefined) query = query.where('reseller_id', '=', resellerId);
  return query.groupBy('reseller_id').execute();
}

/**
 * Per subscription, its first invoice paid by `to` with a reseller of record, as `paid_on id`: the
 * day is fixed-width, so the least text is the first by paid_on, then id, and its first ten
 * characters are the day (the clawback window's start).
 */
async function firstPayments(db: Kysely<Database>, subscriptionIds: readonly string[], to: string): Promise<Map<string, string>> {
  const first = new Map<string, string>();
  // in lists of 1,000: within either database's parameter limit however many there are
  for (let i = 0; i < subscriptionIds.length; i += 1_000) {
    const rows = await db
      .selectFrom('invoices')
      .select(['subscription_id', sql<string>`min(paid_on || ' ' || id)`.as('first')])
      .where('subscription_id', 'in', subscriptionIds.slice(i, i + 1_000))
      .where('reseller_id', 'is not', null)
      .where('paid_on', '<=', to)
      .groupBy('subscription_id')
      .execute();
    for (const r of rows) first.set(r.subscription_id, r.first);
  }
  return first;
}
