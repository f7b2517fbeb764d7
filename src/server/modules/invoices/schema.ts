import { z } from '@hono/zod-openapi';
import { INVOICE_KINDS, INVOICE_STATUSES } from '../../../db/tables/billing.js';
import { pageOf, PageQuery } from '../../routing.js';

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const PERIOD = z.string().regex(/^\d{4}-\d{2}$/, 'a month as YYYY-MM');

export const InvoiceLineSchema = z
  .object({
    kind: z.string(),
    code: z.string().nullable(),
    description: z.string(),
    quantity: z.number().int(),
    unit_cents: z.number().int(),
    amount_cents: z.number().int(),
    recurring: z.boolean().openapi({ description: 'platform fee, bands, add-ons and their discounts (what commissions are paid on)' }),
  })
  .openapi('InvoiceLine');

export const InvoiceSchema = z
  .object({
    id: z.string().openapi({ example: 'inv_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    subscription_id: z.string(),
    reseller_id: z.string().nullable().openapi({ description: 'the subscription\'s reseller of record; shown to staff, and to that reseller only' }),
    period: z.string(),
    kind: z.enum(INVOICE_KINDS),
    status: z.enum(INVOICE_STATUSES),
    issued_on: z.string(),
    due_on: z.string().openapi({ description: 'net 15: fifteen days after issue' }),
    paid_on: z.string().nullable(),
    voided_on: z.string().nullable(),
    total_cents: z.number().int(),
    recurring_cents: z.number().int(),
    refunded_cents: z.number().int(),
    refunded_on: z.string().nullable().openapi({ description: 'the day of the latest refund' }),
    first_paid: z.boolean().openapi({ description: 'paid, it was its subscription\'s first paid invoice' }),
    created_at: z.string(),
  })
  .openapi('Invoice');

export const InvoiceDetailSchema = InvoiceSchema.extend({ lines: z.array(InvoiceLineSchema) }).openapi('InvoiceDetail');
export const InvoicePageSchema = pageOf(InvoiceSchema, 'InvoicePage');

export const InvoiceListQuery = z.object({
  ...PageQuery,
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant id or slug' }),
  status: z.enum(INVOICE_STATUSES).optional(),
  period: PERIOD.optional(),
});

export const InvoiceIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'invoice id (inv_…)' }),
});

export const PayInvoiceBody = z.strictObject({ on: DAY.openapi({ description: 'the day the payment was received' }) }).openapi('PayInvoice');
export const RefundInvoiceBody = z
  .strictObject({
    on: DAY.openapi({ description: 'the day the refund was made' }),
    amount_cents: z.number().int().min(1).max(100_000_000_00).optional().openapi({ description: 'default: all that is left of the payment' }),
  })
  .openapi('RefundInvoice');
export const VoidInvoiceBody = z.strictObject({ on: DAY.optional().openapi({ description: 'default: today' }) }).openapi('VoidInvoice');

export const BillingRunBody = z.strictObject({ period: PERIOD }).openapi('BillingRunRequest');
export const BillingRunSchema = z
  .object({
    period: z.string(),
    issued: z.number().int().openapi({ description: 'invoices written by this run' }),
    already_invoiced: z.number().int().openapi({ description: 'subscriptions whose invoice for the period existed before this run' }),
    converted_trials: z.number().int(),
    renewed: z.number().int(),
    downgraded: z.number().int(),
    past_due: z.number().int().openapi({ description: 'subscriptions now past due (an open invoice past its due date)' }),
    total_cents: z.number().int().openapi({ description: 'the total of the invoices written by this run' }),
    invoice_ids: z.array(z.string()).openapi({ description: 'the first 100 invoices written' }),
  })
  .openapi('BillingRun');

export type Invoice = z.infer<typeof InvoiceSchema>;
export type InvoiceDetail = z.infer<typeof InvoiceDetailSchema>;
export type InvoiceListFilter = z.infer<typeof InvoiceListQuery>;
