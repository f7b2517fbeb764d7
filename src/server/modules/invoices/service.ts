import type { Kysely } from 'kysely';
import { checkDay, dayOf } from '../../../core/calendar.js';
import { conflict, invalid, notFound } from '../../../core/errors.js';
import { hasPrefix } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { InvoiceRow } from '../../../db/tables/billing.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { getTenant } from '../tenants/service.js';
import type { InvoiceDetail, InvoiceListFilter } from './schema.js';
import { cancelAwaitingCommission, settleInitialCommission } from '../commissions/initial.js';
import { recordOwner, toInvoice, toInvoiceDetail } from './store.js';

const SCOPE = { tenant: 'invoices.tenant_id' };

function scopedInvoices(ctx: ServiceContext, db: Kysely<Database> = ctx.db) {
  return db.selectFrom('invoices').selectAll().where(scopeTo(ctx.principal, SCOPE));
}

export async function listInvoices(ctx: ServiceContext, filter: InvoiceListFilter) {
  let query = scopedInvoices(ctx).orderBy('invoices.id').limit(filter.limit + 1);
  if (filter.cursor) query = query.where('invoices.id', '>', decodeCursor(filter.cursor));
  if (filter.tenant) query = query.where('invoices.tenant_id', '=', (await getTenant(ctx, filter.tenant)).id);
  if (filter.status) query = query.where('invoices.status', '=', filter.status);
  if (filter.period) query = query.where('invoices.period', '=', filter.period);
  return pageFrom((await query.execute()).map((row) => ({ ...toInvoice(row), reseller_id: recordOwner(ctx.principal, row.reseller_id) })), filter.limit, (i) => i.id);
}

async function findInvoice(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<InvoiceRow> {
  const row = hasPrefix(id, 'invoice') ? await scopedInvoices(ctx, db).where('invoices.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound(`invoice "${id}" was not found`);
  return row;
}

async function detail(ctx: ServiceContext, db: Kysely<Database>, row: InvoiceRow): Promise<InvoiceDetail> {
  const lines = await db
    .selectFrom('invoice_lines')
    .selectAll()
    .where(scopeTo(ctx.principal, { tenant: 'invoice_lines.tenant_id' }))
    .where('invoice_id', '=', row.id)
    .orderBy('position')
    .execute();
  return { ...toInvoiceDetail(row, lines), reseller_id: recordOwner(ctx.principal, row.reseller_id) };
}

export async function getInvoice(ctx: ServiceContext, id: string): Promise<InvoiceDetail> {
  return detail(ctx, ctx.db, await findInvoice(ctx, id));
}

/** A day a payment or refund happened: explicit, not before the invoice was issued, not in the future. */
function happenedOn(ctx: ServiceContext, on: string, row: InvoiceRow, what: string): string {
  checkDay(on, 'on');
  if (on < row.issued_on) throw invalid(`a ${what} on ${on} is before invoice ${row.id} was issued (${row.issued_on})`);
  if (on > dayOf(ctx.clock.now())) throw invalid(`a ${what} on ${on} is in the future; give the day it happened`);
  return on;
}

/** open → paid. A void invoice cannot be paid (409); paying a paid one again on the same day changes nothing. */
export async function payInvoice(ctx: ServiceContext, id: string, input: { on: string }): Promise<Outcome<InvoiceDetail>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findInvoice(ctx, id, trx);
    if (row.status === 'void') throw conflict(`invoice ${row.id} is void and cannot be paid`);
    if (row.status === 'paid') {
      if (row.paid_on === input.on) return { value: await detail(ctx, trx, row), changed: false };
      throw conflict(`invoice ${row.id} was already paid on ${row.paid_on}`);
    }
    const on = happenedOn(ctx, input.on, row, 'payment');
    const earlier = await trx.selectFrom('invoices').select('id').where('subscription_id', '=', row.subscription_id).where('paid_on', 'is not', null).limit(1).executeTakeFirst();
    const paid: InvoiceRow = { ...row, status: 'paid', paid_on: on, first_paid: earlier ? 0 : 1 };
    await trx.updateTable('invoices').set({ status: 'paid', paid_on: on, first_paid: paid.first_paid }).where('id', '=', row.id).where('status', '=', 'open').execute();
    await settlePastDue(trx, row.subscription_id, dayOf(ctx.clock.now()));
    await settleInitialCommission(trx, row.id, on, ctx.clock.now());
    await recordAudit(trx, ctx, { action: 'invoice.pay', targetType: 'invoice', targetId: row.id, tenantId: row.tenant_id, details: { paid_on: on, total_cents: Number(row.total_cents) } });
    return { value: await detail(ctx, trx, paid), changed: true };
  });
}

/** A refund of a paid invoice, in full (the default) or in part; never more than is left of the payment. */
export async function refundInvoice(ctx: ServiceContext, id: string, input: { on: string; amount_cents?: number }): Promise<Outcome<InvoiceDetail>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findInvoice(ctx, id, trx);
    if (row.status !== 'paid') throw conflict(`invoice ${row.id} is ${row.status}; only a paid invoice can be refunded`);
    const on = happenedOn(ctx, input.on, row, 'refund');
    if (on < row.paid_on!) throw invalid(`a refund on ${on} is before the payment on ${row.paid_on}`);
    const left = Number(row.total_cents) - Number(row.refunded_cents);
    if (left <= 0) throw conflict(`invoice ${row.id} is already refunded in full`);
    const amount = input.amount_cents ?? left;
    if (amount > left) throw invalid(`a refund of ${amount} cents is more than the ${left} cents left of the payment`);
    const refunded: InvoiceRow = { ...row, refunded_cents: Number(row.refunded_cents) + amount, refunded_on: on };
    await trx.updateTable('invoices').set({ refunded_cents: refunded.refunded_cents, refunded_on: on }).where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, { action: 'invoice.refund', targetType: 'invoice', targetId: row.id, tenantId: row.tenant_id, details: { refunded_on: on, amount_cents: amount, refunded_cents: refunded.refunded_cents } });
    return { value: await detail(ctx, trx, refunded), changed: true };
  });
}

/** open → void. A paid invoice is refunded, not voided (409); voiding a void one changes nothing. */
export async function voidInvoice(ctx: ServiceContext, id: string, input: { on?: string }): Promise<Outcome<InvoiceDetail>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findInvoice(ctx, id, trx);
    if (row.status === 'void') return { value: await detail(ctx, trx, row), changed: false };
    if (row.status === 'paid') throw conflict(`invoice ${row.id} is paid; refund it instead of voiding it`);
    const on = input.on === undefined ? dayOf(ctx.clock.now()) : happenedOn(ctx, input.on, row, 'void');
    const voided: InvoiceRow = { ...row, status: 'void', voided_on: on };
    await trx.updateTable('invoices').set({ status: 'void', voided_on: on }).where('id', '=', row.id).execute();
    await settlePastDue(trx, row.subscription_id, dayOf(ctx.clock.now()));
    await cancelAwaitingCommission(trx, row.id, ctx.clock.now());
    await recordAudit(trx, ctx, { action: 'invoice.void', targetType: 'invoice', targetId: row.id, tenantId: row.tenant_id, details: { voided_on: on } });
    return { value: await detail(ctx, trx, voided), changed: true };
  });
}

/** A past-due subscription with no open invoice left past its due date is active again. */
async function settlePastDue(trx: Kysely<Database>, subscriptionId: string, today: string): Promise<void> {
  const overdue = await trx.selectFrom('invoices').select('id').where('subscription_id', '=', subscriptionId).where('status', '=', 'open').where('due_on', '<', today).limit(1).executeTakeFirst();
  if (!overdue) await trx.updateTable('subscriptions').set({ status: 'active' }).where('id', '=', subscriptionId).where('status', '=', 'past_due').execute();
}
