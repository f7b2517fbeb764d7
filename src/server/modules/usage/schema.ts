import { z } from '@hono/zod-openapi';
import { USAGE_METRICS } from '../../../db/tables/billing.js';

const PERIOD = z.string().regex(/^\d{4}-\d{2}$/, 'a month as YYYY-MM');
const figure = z.number().int().min(0).max(1_000_000_000_000);

export const RecordUsageBody = z
  .strictObject({
    period: PERIOD.optional().openapi({ description: 'the month the figures are for; default: this month' }),
    subscribers: figure.optional().openapi({ description: 'the month\'s peak of active subscribers so far' }),
    users: figure.optional(),
    devices: figure.optional(),
    storage_gb: figure.optional(),
    api_calls: figure.optional().openapi({ description: 'API calls in the month so far' }),
  })
  .refine((body) => USAGE_METRICS.some((m) => body[m] !== undefined), { message: `give at least one of ${USAGE_METRICS.join(', ')}` })
  .openapi('RecordUsage');

export const MetricUsageSchema = z
  .object({
    metric: z.enum(USAGE_METRICS),
    value: z.number().int().nullable().openapi({ description: 'the month\'s figure so far; null when none was recorded' }),
    allowance: z.number().int().nullable().openapi({ description: 'included subscribers, or the plan\'s monthly allowance; null when set by contract' }),
    limit: z.number().int().nullable().openapi({ description: 'for subscribers, the plan\'s hard cap' }),
    percent: z.number().nullable().openapi({ description: 'of the hard cap for subscribers, of the allowance for the rest' }),
    overage_cents: z.number().int().openapi({ description: 'what the month so far would bill above the allowance (bands for subscribers), before discounts' }),
  })
  .openapi('MetricUsage');

export const TenantUsageSchema = z
  .object({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    period: z.string(),
    subscription_id: z.string().nullable(),
    plan: z.string().nullable(),
    metrics: z.array(MetricUsageSchema),
    upgrade_required: z.boolean().openapi({ description: 'subscribers over the plan\'s hard cap' }),
  })
  .openapi('TenantUsage');

export const UsageListSchema = z.object({ period: z.string(), data: z.array(TenantUsageSchema) }).openapi('UsageList');

export const UsageQuery = z.object({
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant id or slug; default: every tenant in scope with a subscription in force' }),
  period: PERIOD.optional().openapi({ description: 'default: this month' }),
});

export const RecordedUsageSchema = z
  .object({ tenant_id: z.string(), period: z.string(), values: z.record(z.string(), z.number().int()).openapi({ description: 'the month\'s figures after the reading (each the highest so far)' }) })
  .openapi('RecordedUsage');

export type RecordUsageInput = z.infer<typeof RecordUsageBody>;
export type TenantUsage = z.infer<typeof TenantUsageSchema>;
