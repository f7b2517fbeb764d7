import { z } from '@hono/zod-openapi';
import { SUBSCRIPTION_STATUSES } from '../../../db/tables/billing.js';
import { pageOf, PageQuery } from '../../routing.js';
import { InvoiceDetailSchema } from '../invoices/schema.js';
import { PLAN_CODES } from '../pricebook/book.js';

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const ADDON = z.string().min(1).max(40);

export const SubscriptionSchema = z
  .object({
    id: z.string().openapi({ example: 'sub_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    reseller_id: z.string().nullable().openapi({ description: 'the reseller of record (the tenant\'s when the subscription was made); shown to staff, and to that reseller only' }),
    quote_id: z.string().nullable(),
    plan: z.enum(PLAN_CODES),
    term_months: z.number().int(),
    price_book_version: z.string(),
    subscribers: z.number().int().openapi({ description: 'the subscribed count; on terms of 12 months or more the committed, billed floor' }),
    addons: z.array(z.string()),
    discount_bps: z.number().int(),
    waive_setup: z.boolean(),
    platform_fee_cents: z.number().int().nullable().openapi({ description: 'the custom plan\'s quoted fee' }),
    setup_cents: z.number().int().nullable().openapi({ description: 'the custom plan\'s quoted setup fee' }),
    status: z.enum(SUBSCRIPTION_STATUSES),
    started_on: z.string(),
    trial_ends_on: z.string().nullable().openapi({ description: 'a trial converts on this day: the billing run for its month issues the first invoice' }),
    billing_starts_on: z.string().nullable(),
    term_ends_on: z.string().nullable().openapi({ description: 'the last day of the current term; it renews for the same term unless cancelled' }),
    cancel_on: z.string().nullable(),
    cancelled_on: z.string().nullable(),
    pending_change: z.object({ plan: z.enum(PLAN_CODES), addons: z.array(z.string()) }).nullable().openapi({ description: 'a downgrade waiting for the end of the period' }),
    pending_on: z.string().nullable(),
    upgrade_required: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Subscription');

export const SubscriptionCreatedSchema = SubscriptionSchema.extend({
  first_invoice: InvoiceDetailSchema.nullable().openapi({ description: 'issued at once unless the subscription is a trial' }),
  warnings: z.array(z.string()),
}).openapi('SubscriptionCreated');

export const SubscriptionChangeSchema = SubscriptionSchema.extend({
  effective_on: z.string().openapi({ description: 'today\'s change day for an upgrade; the first day of the next period for a downgrade' }),
  proration_invoice: InvoiceDetailSchema.nullable(),
  warnings: z.array(z.string()),
}).openapi('SubscriptionChange');

export const SubscriptionPageSchema = pageOf(SubscriptionSchema, 'SubscriptionPage');

export const SubscriptionListQuery = z.object({
  ...PageQuery,
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant id or slug' }),
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
});

export const SubscriptionIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'subscription id (sub_…)' }),
});

export const CreateSubscriptionBody = z
  .strictObject({
    tenant: z.string().min(1).max(100).openapi({ description: 'tenant id or slug' }),
    plan: z.string().min(1).max(40),
    term_months: z.number().int().min(1).max(60).default(1),
    subscribers: z.number().int().min(1).max(10_000_000).optional().openapi({ description: 'default: the plan\'s included subscribers (at least 1)' }),
    addons: z.array(ADDON).max(20).default([]),
    discount_bps: z.number().int().min(0).max(10_000).default(0),
    waive_setup: z.boolean().default(false),
    platform_fee_cents: z.number().int().min(0).max(100_000_000_00).optional().openapi({ description: 'the custom plan\'s quoted monthly fee' }),
    setup_cents: z.number().int().min(0).max(100_000_000_00).optional().openapi({ description: 'the custom plan\'s quoted setup fee' }),
    start: DAY.optional().openapi({ description: 'default: today' }),
    trial: z.boolean().default(false).openapi({ description: 'a 14-day trial, not invoiced' }),
    price_book_version: z.string().min(1).max(32).optional().openapi({ description: 'default: the newest' }),
  })
  .openapi('CreateSubscription');

export const ChangePlanBody = z
  .strictObject({
    plan: z.string().min(1).max(40).optional(),
    add_addons: z.array(ADDON).max(20).default([]),
    remove_addons: z.array(ADDON).max(20).default([]),
    on: DAY.optional().openapi({ description: 'the change day; default: today' }),
  })
  .openapi('ChangePlan');

export const CancelSubscriptionBody = z
  .strictObject({ on: DAY.optional().openapi({ description: 'the last day of service; default: today' }) })
  .openapi('CancelSubscription');

export type Subscription = z.infer<typeof SubscriptionSchema>;
export type CreateSubscriptionInput = z.input<typeof CreateSubscriptionBody> & { quote_id?: string | null };
export type ChangePlanInput = z.infer<typeof ChangePlanBody>;
