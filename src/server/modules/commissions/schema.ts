import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';
import { COMMISSION_TYPES } from './rates.js';
import { COMMISSION_STATUSES } from './rules.js';

export const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');
export const PERIOD = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period, YYYY-MM');
const RULE_TYPES = ['recurring', 'renewal', 'upsell', 'bonus'] as const;

export const CommissionRuleSchema = z
  .object({
    id: z.string().openapi({ example: 'crl_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    priority: z.number().int().openapi({ description: 'lower numbers are tried first' }),
    bps: z.number().int(),
    reseller_id: z.string().nullable(),
    tenant_id: z.string().nullable().openapi({ description: 'set: an account override for this customer' }),
    plan: z.string().nullable(),
    commission_type: z.enum(RULE_TYPES).nullable().openapi({ description: 'none: the recurring rate (renewal takes half of it)' }),
    description: z.string(),
    active_from: z.string(),
    active_to: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('CommissionRule');

export const CommissionRulePageSchema = pageOf(CommissionRuleSchema, 'CommissionRulePage');
export const CommissionRuleListQuery = z.object({
  ...PageQuery,
  reseller: z.string().max(100).optional().openapi({ description: 'reseller id or slug' }),
});

export const CreateCommissionRuleBody = z
  .strictObject({
    priority: z.number().int().min(0).max(1_000_000).default(100),
    bps: z.number().int().min(0).max(10_000),
    reseller: z.string().min(1).max(100).nullable().optional().openapi({ description: 'only this reseller (id or slug); none: every reseller' }),
    tenant: z.string().min(1).max(100).nullable().optional().openapi({ description: 'an account override for this customer (id or slug)' }),
    plan: z.string().min(1).max(50).regex(/^[a-z0-9-]+$/, 'a plan name').nullable().optional(),
    commission_type: z.enum(RULE_TYPES).nullable().optional(),
    description: humanText(200).min(1),
    active_from: DAY.optional().openapi({ description: 'first day it applies; today when omitted' }),
    active_to: DAY.nullable().optional().openapi({ description: 'last day it applies; none: open-ended' }),
  })
  .openapi('CreateCommissionRule');
export type CreateCommissionRuleInput = z.infer<typeof CreateCommissionRuleBody>;

export const CommissionSchema = z
  .object({
    id: z.string().openapi({ example: 'com_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    reseller_id: z.string(),
    tenant_id: z.string().nullable(),
    subscription_id: z.string().nullable(),
    invoice_id: z.string().nullable(),
    type: z.enum(COMMISSION_TYPES),
    period: z.string(),
    base_cents: z.number().int(),
    rate_bps: z.number().int(),
    amount_cents: z.number().int().openapi({ description: 'negative for a clawback' }),
    basis: z.record(z.string(), z.unknown()).openapi({ description: 'how the amount was reached: the rule that chose the rate, contract bonus, cap, attainment, what a clawback reverses' }),
    status: z.enum(COMMISSION_STATUSES).openapi({ description: 'awaiting_payment (an accepted quote\'s initial commission, until the first invoice is paid), pending until eligible_on, then eligible; paid, disputed or cancelled' }),
    eligible_on: z.string(),
    payout_id: z.string().nullable(),
    reverses_id: z.string().nullable(),
    dispute_reason: z.string().nullable(),
    disputed_at: z.string().nullable(),
    resolved_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Commission');

export const CommissionPageSchema = pageOf(CommissionSchema, 'CommissionPage');
export const CommissionListQuery = z.object({
  ...PageQuery,
  reseller: z.string().max(100).optional().openapi({ description: 'reseller id or slug' }),
  period: PERIOD.optional(),
  status: z.enum(COMMISSION_STATUSES).optional(),
  type: z.enum(COMMISSION_TYPES).optional(),
});
export const CommissionIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'commission event id' }),
});

export const CommissionExplanationSchema = CommissionSchema.extend({
  rule: CommissionRuleSchema.nullable().openapi({ description: 'the rule that chose the rate, when a rule did' }),
  explanation: z.array(z.string()).openapi({ description: 'the steps from base to amount, one line each' }),
}).openapi('CommissionExplanation');

export const DisputeBody = z.strictObject({ reason: humanText(500).min(1) }).openapi('DisputeCommission');
export const ResolveBody = z
  .strictObject({ cancel: z.boolean().default(false).openapi({ description: 'uphold the dispute: cancel the (unpaid) event instead of restoring it' }) })
  .openapi('ResolveCommission');

export const CommissionRunBody = z.strictObject({ period: PERIOD }).openapi('CommissionRunRequest');
export const CommissionRunSchema = z
  .object({
    period: z.string(),
    invoices: z.number().int().openapi({ description: 'invoices with a reseller of record paid in the period' }),
    written: z.number().int().openapi({ description: 'events written by this run (earned, bonus and clawbacks); 0 on a second run' }),
    earned_cents: z.number().int().openapi({ description: 'the sum of the events this run wrote, clawbacks netted' }),
    bonuses: z.number().int().openapi({ description: 'quarterly bonus events written (the quarter\'s last month only)' }),
    clawbacks: z.number().int().openapi({ description: 'negative clawback events written' }),
    cancelled: z.number().int().openapi({ description: 'unpaid events cancelled by clawbacks' }),
    upsells: z.number().int().openapi({ description: 'upsell events written: expansion MRR (upgrades in the 12 periods before the invoice\'s) × the upsell rate' }),
  })
  .openapi('CommissionRun');
