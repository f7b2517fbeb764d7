import { z } from '@hono/zod-openapi';
import { RESELLER_KINDS, RESELLER_TIERS, TIER_SOURCES } from '../../../db/tables/resellers.js';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';
import { SLUG } from '../tenants/schema.js';
import { TRAINING_MODULES } from './training.js';

export const ResellerSchema = z
  .object({
    id: z.string().openapi({ example: 'res_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    slug: z.string(),
    name: z.string(),
    territory: z.string().nullable(),
    tier: z.enum(RESELLER_TIERS).openapi({ description: 'the tier in force: set by staff (tier_source manual) or earned by lifetime revenue' }),
    tier_source: z.enum(TIER_SOURCES),
    kind: z.enum(RESELLER_KINDS).openapi({ description: 'reseller (sells and supports) or referral (refers; lower rates, no renewal commission)' }),
    quota_cents: z.number().int().nullable().openapi({ description: 'quarterly quota in cents; none, no quarterly bonus' }),
    default_commission_bps: z.number().int().nullable().openapi({ description: 'the partner\'s default recurring rate, before the tier table' }),
    lifetime_revenue_cents: z.number().int().openapi({ description: 'partner-sourced recurring revenue its commissions were earned on (what a revenue tier follows)' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Reseller');

export const ResellerPageSchema = pageOf(ResellerSchema, 'ResellerPage');
export const ResellerListQuery = z.object({ ...PageQuery });
export const ResellerRefParam = z.object({
  ref: z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'reseller id or slug' }),
});

export const CreateResellerBody = z
  .strictObject({
    slug: SLUG,
    name: humanText(200).min(1),
    territory: humanText(100).nullable().optional(),
    // `registered`, the foundation's entry tier, is still taken: it is bronze
    tier: z
      .enum([...RESELLER_TIERS, 'registered'])
      .optional()
      .transform((tier) => (tier === 'registered' ? 'bronze' : tier))
      .openapi({ description: 'a tier set by staff (manual); omitted, the tier follows revenue from bronze' }),
    kind: z.enum(RESELLER_KINDS).default('reseller'),
  })
  .openapi('CreateReseller');

export type CreateResellerInput = z.infer<typeof CreateResellerBody>;

export const BPS = z.number().int().min(0).max(10_000);
const CENTS = z.number().int().min(0).max(2_000_000_000);

export const UpdateResellerBody = z
  .strictObject({
    tier: z.enum([...RESELLER_TIERS, 'auto']).optional().openapi({ description: 'set the tier by hand, or `auto` to follow lifetime revenue again' }),
    quota_cents: CENTS.nullable().optional(),
    kind: z.enum(RESELLER_KINDS).optional(),
    default_commission_bps: BPS.nullable().optional(),
  })
  .openapi('UpdateReseller');

export type UpdateResellerInput = z.infer<typeof UpdateResellerBody>;

export const TrainingSchema = z
  .object({
    reseller_id: z.string(),
    tier: z.enum(RESELLER_TIERS),
    certified: z.boolean().openapi({ description: 'every module its tier requires is completed' }),
    missing: z.array(z.string()),
    modules: z.array(
      z.object({
        module: z.enum(TRAINING_MODULES),
        title: z.string(),
        required_from: z.enum(RESELLER_TIERS).openapi({ description: 'the lowest tier that requires it' }),
        required: z.boolean(),
        completed_on: z.string().nullable(),
      }),
    ),
  })
  .openapi('ResellerTraining');

export const CompleteTrainingBody = z
  .strictObject({
    module: z.enum(TRAINING_MODULES),
    on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD').optional().openapi({ description: 'the day it was completed; today when omitted' }),
  })
  .openapi('CompleteTraining');

const cents = (description: string) => z.number().int().openapi({ description });
const bps = (description: string) => z.number().int().nullable().openapi({ description });

export const ResellerKpisSchema = z
  .object({
    reseller_id: z.string(),
    slug: z.string(),
    name: z.string(),
    period: z.string().openapi({ example: '2026-03' }),
    revenue_cents: cents('collected in the period: paid invoices of the reseller of record (by paid_on), less refunds dated in the period'),
    start_mrr_cents: cents('MRR in force just before the period\'s first day'),
    new_mrr_cents: cents('MRR of its customers\' subscriptions that started (or converted from a trial) in the period'),
    expansion_mrr_cents: cents('upgrades effective in the period: new MRR − old MRR'),
    contraction_mrr_cents: cents('downgrades effective in the period: old MRR − new MRR'),
    churned_mrr_cents: cents('MRR of cancellations effective in the period'),
    net_revenue_retention_bps: bps('(start MRR of the customers then + their expansion − contraction − churn) × 10,000 / start MRR; null when there was none'),
    pipeline_weighted_cents: cents('open opportunities, each value × its stage probability rounded half-up, summed'),
    won: z.number().int(),
    lost: z.number().int(),
    win_rate_bps: bps('won ÷ (won + lost) of opportunities closed in the period; null when none'),
    quotes_accepted: z.number().int(),
    quote_to_close_days: z.number().int().nullable().openapi({ description: 'median whole days from sending to acceptance of the quotes accepted in the period; null when none' }),
    commissions_earned_cents: cents('commission events of the period, cancelled left out, clawbacks netted'),
    commissions_paid_cents: cents('payouts run in the period'),
    booked_cents: cents('MRR booked in the quarter holding the period, to the period\'s end (the quarterly bonus\'s booked)'),
    quota_cents: z.number().int().nullable(),
    attainment_bps: bps('booked × 10,000 / quarterly quota, rounded down; null without a quota'),
  })
  .openapi('ResellerKpis');

export const ResellerKpisListSchema = z.object({ period: z.string(), data: z.array(ResellerKpisSchema) }).openapi('ResellerKpisList');
export const KpiQuery = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period, YYYY-MM').optional().openapi({ description: 'YYYY-MM; default the current month' }) });
export type ResellerKpis = z.infer<typeof ResellerKpisSchema>;
export type ResellerKpisList = z.infer<typeof ResellerKpisListSchema>;
