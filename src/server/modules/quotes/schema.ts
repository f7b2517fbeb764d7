import { z } from '@hono/zod-openapi';
import { QUOTE_STATUSES } from '../../../db/tables/quotes.js';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';
import { MAX_DISCOUNT_BPS, MAX_SUBSCRIBERS } from '../pricebook/pricing.js';
import { MAX_VALID_DAYS } from './rules.js';
import { SLUG } from '../tenants/schema.js';

const cents = z.number().int();

export const PriceLineSchema = z
  .object({
    kind: z.string(),
    code: z.string().nullable(),
    description: z.string(),
    quantity: z.number().int(),
    unit_cents: cents,
    amount_cents: cents,
    recurring: z.boolean(),
  })
  .openapi('PriceLine');

/** What pricing a quote gives: every line, the totals, and any flags (upgrade_required) with their warnings. */
const pricingFields = {
  price_book_version: z.string(),
  currency: z.string(),
  plan: z.string(),
  term_months: z.number().int(),
  subscribers: z.number().int(),
  addons: z.array(z.string()),
  term_discount_bps: z.number().int(),
  discount_bps: z.number().int(),
  lines: z.array(PriceLineSchema),
  monthly_cents: cents.openapi({ description: 'the recurring monthly total after both discounts' }),
  setup_cents: cents.openapi({ description: 'setup after any waiver' }),
  first_invoice_cents: cents.openapi({ description: 'the first month plus setup' }),
  flags: z.array(z.enum(['upgrade_required'])),
  warnings: z.array(z.string()),
};

export const QuotePricingSchema = z
  .object({ ...pricingFields, required_authority_bps: z.number().int(), your_authority_bps: z.number().int(), needs_approval: z.boolean() })
  .openapi('QuotePricing');

export const QuoteSchema = z
  .object({
    id: z.string().openapi({ example: 'quo_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    number: z.string().openapi({ description: 'shared by every revision', example: 'Q-7K3M9P2X' }),
    revision: z.number().int(),
    parent_id: z.string().nullable(),
    status: z.enum(QUOTE_STATUSES),
    reseller_id: z.string().nullable().openapi({ description: 'the reseller of record; null for a staff quote' }),
    reseller_slug: z.string().nullable(),
    customer_tenant_id: z.string().nullable(),
    customer_tenant_slug: z.string().nullable(),
    prospect_name: z.string().nullable(),
    prospect_email: z.string().nullable(),
    region: z.string(),
    waive_setup: z.boolean(),
    platform_fee_cents: cents.nullable().openapi({ description: 'the custom plan\'s quoted monthly fee' }),
    setup_fee_cents: cents.nullable().openapi({ description: 'the custom plan\'s quoted setup fee' }),
    valid_until: z.string().openapi({ description: 'YYYY-MM-DD; expires after 23:59:59 UTC that day' }),
    note: z.string().nullable(),
    ...pricingFields,
    required_authority_bps: z.number().int(),
    author_id: z.string(),
    author_authority_bps: z.number().int().openapi({ description: 'the author\'s discount authority: submitting asks for approval above it' }),
    submitted_at: z.string().nullable(),
    approved_by: z.string().nullable(),
    approved_at: z.string().nullable(),
    refused_by: z.string().nullable(),
    refusal_reason: z.string().nullable(),
    sent_at: z.string().nullable(),
    viewed_at: z.string().nullable(),
    accepted_on: z.string().nullable(),
    rejection_reason: z.string().nullable(),
    closed_at: z.string().nullable(),
    onboarded_tenant_id: z.string().nullable(),
    opportunity_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .openapi('Quote');

export const QuotePageSchema = pageOf(QuoteSchema.omit({ lines: true }).openapi('QuoteSummary'), 'QuotePage');

export const QuoteListQuery = z.object({
  ...PageQuery,
  status: z.enum(QUOTE_STATUSES).optional(),
  number: z.string().max(40).optional().openapi({ description: 'every revision of one quote number' }),
  q: z.string().max(100).optional().openapi({ description: 'text search in the number, the prospect and the customer\'s and reseller\'s slugs' }),
});

export const QuoteRefParam = z.object({
  ref: z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'quote id, or a quote number (its latest revision)' }),
});

const email = z.string().email().max(254);

/** What is priced: the same fields on create, update and preview. */
const terms = {
  plan: z.string().min(1).max(40),
  term_months: z.number().int().min(1).max(120),
  subscribers: z.number().int().min(0).max(MAX_SUBSCRIBERS),
  addons: z.array(z.string().min(1).max(40)).max(20).default([]),
  discount_bps: z.number().int().min(0).max(10_000).default(0).openapi({ description: `negotiated discount; above ${MAX_DISCOUNT_BPS} is never allowed` }),
  waive_setup: z.boolean().default(false),
  platform_fee_cents: z.number().int().min(0).max(100_000_000).optional(),
  setup_fee_cents: z.number().int().min(0).max(100_000_000).optional(),
};

export const PreviewQuoteBody = z.strictObject({ ...terms, price_book_version: z.string().max(40).optional() }).openapi('PreviewQuote');

export const CreateQuoteBody = z
  .strictObject({
    prospect_name: humanText(200).min(1).optional(),
    prospect_email: email.optional(),
    tenant: z.string().min(1).max(100).optional().openapi({ description: 'an existing tenant (id or slug) instead of a prospect' }),
    reseller: z.string().max(100).optional().openapi({ description: 'master_admin: the reseller of record (default: the tenant\'s, or none)' }),
    region: humanText(50).min(1).optional().openapi({ description: 'default: the tenant\'s region, else eu-west' }),
    ...terms,
    valid_days: z.number().int().min(1).max(MAX_VALID_DAYS).default(30),
    note: humanText(2000).optional(),
    opportunity_id: z.string().min(1).max(100).optional(),
  })
  .openapi('CreateQuote');

export const UpdateQuoteBody = z
  .strictObject({
    prospect_name: humanText(200).min(1).optional(),
    prospect_email: email.optional(),
    region: humanText(50).min(1).optional(),
    plan: terms.plan.optional(),
    term_months: terms.term_months.optional(),
    subscribers: terms.subscribers.optional(),
    addons: z.array(z.string().min(1).max(40)).max(20).optional(),
    discount_bps: z.number().int().min(0).max(10_000).optional(),
    waive_setup: z.boolean().optional(),
    platform_fee_cents: z.number().int().min(0).max(100_000_000).nullable().optional(),
    setup_fee_cents: z.number().int().min(0).max(100_000_000).nullable().optional(),
    valid_days: z.number().int().min(1).max(MAX_VALID_DAYS).optional().openapi({ description: 'valid for this many days from today' }),
    note: humanText(2000).nullable().optional(),
    opportunity_id: z.string().min(1).max(100).nullable().optional(),
  })
  .openapi('UpdateQuote');

export const ReasonBody = z.strictObject({ reason: humanText(500).min(1) }).openapi('QuoteReason');

export const AcceptQuoteBody = z
  .strictObject({
    on: z.string().max(10).optional().openapi({ description: 'the day the customer accepted, YYYY-MM-DD (default today); on or before valid_until' }),
    slug: SLUG.optional().openapi({ description: 'the new tenant\'s slug (a prospect\'s quote; default from its name)' }),
  })
  .openapi('AcceptQuote');

export type CreateQuoteInput = z.infer<typeof CreateQuoteBody>;
export type UpdateQuoteInput = z.infer<typeof UpdateQuoteBody>;
export type PreviewQuoteInput = z.infer<typeof PreviewQuoteBody>;
export type AcceptQuoteInput = z.infer<typeof AcceptQuoteBody>;
export type QuoteListFilter = z.infer<typeof QuoteListQuery>;
export type QuoteView = z.infer<typeof QuoteSchema>;
