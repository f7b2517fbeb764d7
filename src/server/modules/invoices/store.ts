import type { Kysely } from 'kysely';
import { insertMany } from '../../../db/bulk-insert.js';
import { addDays } from '../../../core/calendar.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { InvoiceKind, InvoiceLineRow, InvoiceRow, SubscriptionRow } from '../../../db/tables/billing.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../context.js';
import type { PriceLine } from '../pricebook/pricing.js';
import type { Invoice, InvoiceDetail } from './schema.js';

/** Invoices are due fifteen days after they are issued (net 15); unpaid after that, past due. */
export const NET_DAYS = 15;

export interface NewInvoice {
  subscription: Pick<SubscriptionRow, 'id' | 'tenant_id' | 'reseller_id'>;
  period: string;
  kind: InvoiceKind;
  issued_on: string;
  lines: PriceLine[];
}

/** The rows of one invoice and its lines, not yet written. */
export function invoiceRows(ctx: Pick<ServiceContext, 'clock'>, input: NewInvoice): { invoice: InvoiceRow; lines: InvoiceLineRow[] } {
  const id = newId('invoice');
  const invoice: InvoiceRow = {
    id,
    tenant_id: input.subscription.tenant_id,
    subscription_id: input.subscription.id,
    reseller_id: input.subscription.reseller_id,
    period: input.period,
    kind: input.kind,
    status: 'open',
    issued_on: input.issued_on,
    due_on: dueOn(input.issued_on),
    paid_on: null,
    voided_on: null,
    total_cents: input.lines.reduce((sum, line) => sum + line.amount_cents, 0),
    recurring_cents: input.lines.filter((line) => line.recurring).reduce((sum, line) => sum + line.amount_cents, 0),
    refunded_cents: 0,
    refunded_on: null,
    first_paid: 0,
    created_at: ctx.clock.now().toISOString(),
  };
  const lines = input.lines.map((line, position) => ({
    invoice_id: id,
    tenant_id: invoice.tenant_id,
    position,
    kind: line.kind,
    code: line.code,
    description: line.description,
    quantity: line.quantity,
    unit_cents: line.unit_cents,
    amount_cents: line.amount_cents,
    recurring: line.recurring ? 1 : 0,
  }));
  return { invoice, lines };
}

const dueDays = new Map<string, string>();
/** issued_on + NET_DAYS, remembered: a billing run issues thousands of invoices on one day. */
function dueOn(issued: string): string {
  let due = dueDays.get(issued);
  if (due === undefined) {
    due = addDays(issued, NET_DAYS);
    if (dueDays.size > 1000) dueDays.clear();
    dueDays.set(issued, due);
  }
  return due;
}

const INVOICE_CHUNK = 1000;
const LINE_CHUNK = 2000;

/** Many invoices in a few multi-row inserts (the billing run writes thousands at once). */
export async function insertInvoices(trx: Kysely<Database>, made: { invoice: InvoiceRow; lines: InvoiceLineRow[] }[]): Promise<void> {
  const invoices = made.map((m) => m.invoice);
  const lines = made.flatMap((m) => m.lines);
  for (let i = 0; i < invoices.length; i += INVOICE_CHUNK) await insertMany(trx, 'invoices', invoices.slice(i, i + INVOICE_CHUNK));
  for (let i = 0; i < lines.length; i += LINE_CHUNK) await insertMany(trx, 'invoice_lines', lines.slice(i, i + LINE_CHUNK));
}

/**
 * The reseller of record as the caller may see it: staff see it; a reseller only when it is itself
 * (a customer that moved keeps its old invoices, whose reseller of record the new one must not
 * learn); a tenant admin never (its tenant names its reseller).
 */
export function recordOwner(principal: Principal, resellerId: string | null): string | null {
  if (principal.role === 'master_admin') return resellerId;
  return principal.role === 'reseller' && resellerId === principal.resellerId ? resellerId : null;
}

export function invoiceFor(principal: Principal, invoice: InvoiceDetail): InvoiceDetail {
  return { ...invoice, reseller_id: recordOwner(principal, invoice.reseller_id) };
}

export function toInvoice(row: InvoiceRow): Invoice {
  return {
    ...row,
    total_cents: Number(row.total_cents),
    recurring_cents: Number(row.recurring_cents),
    refunded_cents: Number(row.refunded_cents),
    first_paid: Number(row.first_paid) === 1,
  };
}

export function toInvoiceDetail(row: InvoiceRow, lines: InvoiceLineRow[]): InvoiceDetail {
  return {
    ...toInvoice(row),
    lines: lines.map((line) => ({
      kind: line.kind,
      code: line.code,
      description: line.description,
      quantity: Number(line.quantity),
      unit_cents: Number(line.unit_cents),
      amount_cents: Number(line.amount_cents),
      recurring: Number(line.recurring) === 1,
    })),
  };
}
