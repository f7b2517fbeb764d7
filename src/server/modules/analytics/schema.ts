import { z } from '@hono/zod-openapi';
import { TICKET_PRIORITIES } from '../../../db/tables/tickets.js';
import { BackupSchema } from '../backups/schema.js';
import { BrandingSchema } from '../branding/schema.js';
import { HEALTH_BANDS } from '../customers/health-score.js';
import { HealthSummarySchema } from '../health/schema.js';
import { TenantUsageSchema } from '../usage/schema.js';
import { OPPORTUNITY_STAGES } from '../../../db/tables/pipeline.js';

const Count = z.object({ key: z.string(), tenants: z.number().int() });

const TicketsByPriority = z
  .array(
    z.object({
      priority: z.enum(TICKET_PRIORITIES),
      open: z.number().int().openapi({ description: 'open or in progress' }),
      breached: z.number().int().openapi({ description: 'of those, the ones that missed a response SLA (marked, or past due and unanswered now)' }),
    }),
  )
  .openapi('TicketsByPriority');

export const MasterOverviewSchema = z
  .object({
    role: z.literal('master_admin'),
    as_of: z.string(),
    tenants: z.number().int(),
    by_status: z.array(Count),
    by_plan: z.array(Count),
    revenue: z.object({
      subscriptions_in_force: z.number().int().openapi({ description: 'trialing, active or past_due' }),
      mrr_cents: z.number().int().openapi({ description: 'Σ recurring_cents of the latest first/recurring invoice of each active or past_due subscription (what commissions are paid on)' }),
      arr_cents: z.number().int().openapi({ description: 'mrr_cents × 12' }),
    }),
    churn: z.object({
      days: z.number().int(),
      subscriptions: z.number().int().openapi({ description: 'subscriptions cancelled in the last `days` days' }),
      mrr_cents: z.number().int().openapi({ description: 'their MRR before cancelling (latest first/recurring invoice)' }),
    }),
    net_revenue_retention: z.object({
      period: z.string().openapi({ description: 'this month' }),
      base_period: z.string().openapi({ description: 'the month before' }),
      base_cents: z.number().int().openapi({ description: 'recurring revenue invoiced for base_period' }),
      retained_cents: z.number().int().openapi({ description: 'recurring revenue invoiced for period by the same subscriptions (expansion included, churn as 0)' }),
      bps: z.number().int().nullable().openapi({ description: 'retained × 10,000 / base, half-up; null without base revenue' }),
    }),
    deployments: z.object({ queued: z.number().int(), running: z.number().int(), failed_7d: z.number().int().openapi({ description: 'deployments that failed in the last 7 days' }) }),
    instances: z.object({
      unhealthy: z.number().int().openapi({ description: 'tenants (not cancelled) whose last health probe found them down' }),
      degraded: z.number().int(),
    }),
    tickets: z.object({ by_priority: TicketsByPriority, open: z.number().int(), breached: z.number().int() }),
    top_resellers: z.array(
      z.object({ reseller_id: z.string(), slug: z.string(), name: z.string(), customers: z.number().int(), mrr_cents: z.number().int() }),
    ).openapi({ description: 'the 5 resellers with the most MRR from their customers' }),
  })
  .openapi('MasterOverview');

export const TenantOverviewSchema = z
  .object({
    role: z.literal('tenant_admin'),
    as_of: z.string(),
    tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string(), plan: z.string() }),
    health: HealthSummarySchema.nullable(),
    usage: TenantUsageSchema.nullable().openapi({ description: 'this month against the plan\'s allowances; null without a subscription in force' }),
    invoices_due: z.object({
      count: z.number().int(),
      total_cents: z.number().int(),
      overdue: z.number().int(),
      invoices: z.array(z.object({ id: z.string(), period: z.string(), due_on: z.string(), total_cents: z.number().int(), overdue: z.boolean() })),
    }),
    tickets: z.object({ by_priority: TicketsByPriority, open: z.number().int(), breached: z.number().int() }),
    backups: z.array(BackupSchema).openapi({ description: 'the last 3' }),
    branding: BrandingSchema,
  })
  .openapi('TenantOverview');

export const ResellerOverviewSchema = z
  .object({
    role: z.literal('reseller'),
    as_of: z.string(),
    reseller: z.object({ id: z.string(), slug: z.string(), name: z.string(), tier: z.string() }),
    customers: z.object({ tenants: z.number().int().openapi({ description: 'not cancelled' }), by_band: z.array(z.object({ band: z.enum(HEALTH_BANDS), tenants: z.number().int() })) }),
    pipeline: z.object({
      stages: z.array(z.object({ stage: z.enum(OPPORTUNITY_STAGES), count: z.number().int(), value_cents: z.number().int(), weighted_cents: z.number().int() })),
      open: z.object({ count: z.number().int(), value_cents: z.number().int(), weighted_cents: z.number().int() }).openapi({ description: 'lead to negotiation' }),
    }),
    quotes: z.object({
      open: z.number().int().openapi({ description: 'draft, pending approval, approved, sent or viewed' }),
      expiring_this_week: z.number().int().openapi({ description: 'open quotes valid until a day in the next 7 (today included)' }),
    }),
    commissions: z.object({ period: z.string(), earned_cents: z.number().int().openapi({ description: 'events of this month, clawbacks netted, cancelled ones aside' }), events: z.number().int() }),
    next_payout: z.object({
      on: z.string().openapi({ description: 'the next 15th (today when it is the 15th)' }),
      cutoff: z.string(),
      eligible_cents: z.number().int().openapi({ description: 'what a payout run on that day would pay, net of clawbacks' }),
      outcome: z.enum(['paid', 'carried_forward', 'none']).openapi({ description: 'carried_forward under the 10,000-cent minimum; none with nothing payable' }),
    }),
  })
  .openapi('ResellerOverview');

export const OverviewSchema = z
  .discriminatedUnion('role', [MasterOverviewSchema, TenantOverviewSchema, ResellerOverviewSchema])
  .openapi('Overview', { description: 'by the caller\'s role: `role` says which' });

export const DISTRIBUTIONS = ['subscribers-by-plan', 'uptime-by-region', 'tickets-by-region'] as const;
export type DistributionName = (typeof DISTRIBUTIONS)[number];

const groupsOf = <T extends z.ZodRawShape>(name: string, figures: T) =>
  z
    .object({
      groups: z.array(z.object({ key: z.string(), tenants: z.number().int(), ...figures })),
      suppressed_groups: z.number().int().openapi({ description: 'groups left out: for a non-master caller, any group with fewer than 5 tenants outside its own scope (and at least one)' }),
    })
    .openapi(name);

export const SubscribersByPlanSchema = groupsOf('SubscribersByPlan', {
  subscribers: z.number().int().openapi({ description: 'Σ subscribed (committed) count of the subscriptions in force' }),
  average_subscribers: z.number().int(),
});
export const UptimeByRegionSchema = groupsOf('UptimeByRegion', {
  checks: z.number().int().openapi({ description: 'probes in the last 7 days' }),
  uptime_pct: z.number().nullable().openapi({ description: 'percent of those probes that found the instance up or degraded, 2 decimals' }),
});
export const TicketsByRegionSchema = groupsOf('TicketsByRegion', {
  open: z.number().int(),
  breached: z.number().int(),
  opened_30d: z.number().int(),
  open_per_tenant: z.number().openapi({ description: 'open ÷ tenants, 2 decimals' }),
});

export type Overview = z.infer<typeof OverviewSchema>;
export type MasterOverview = z.infer<typeof MasterOverviewSchema>;
export type TenantOverview = z.infer<typeof TenantOverviewSchema>;
export type ResellerOverview = z.infer<typeof ResellerOverviewSchema>;
export type SubscribersByPlan = z.infer<typeof SubscribersByPlanSchema>;
export type UptimeByRegion = z.infer<typeof UptimeByRegionSchema>;
export type TicketsByRegion = z.infer<typeof TicketsByRegionSchema>;
