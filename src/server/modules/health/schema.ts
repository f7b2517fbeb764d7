import { z } from '@hono/zod-openapi';
import { HEALTH_STATUSES } from '../../../db/tables/health.js';

/**
 * The metrics an instance agent pushes, with their units and bounds. A value outside its bounds
 * (or not a number, or a fraction where a count is meant) refuses the whole batch.
 */
export const METRICS = {
  cpu: { unit: 'percent', min: 0, max: 100, integer: false, description: 'CPU in use, 0–100 %' },
  memory: { unit: 'percent', min: 0, max: 100, integer: false, description: 'memory in use, 0–100 %' },
  disk: { unit: 'percent', min: 0, max: 100, integer: false, description: 'disk in use, 0–100 %' },
  subscribers: { unit: 'count', min: 0, max: 100_000_000, integer: true, description: 'active subscribers, a whole number' },
  bandwidth_mbps: { unit: 'Mbit/s', min: 0, max: 100_000_000, integer: false, description: 'traffic through the instance, megabits per second' },
} as const;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as [MetricName, ...MetricName[]];

export const MAX_POINTS_PER_BATCH = 1000;

const MetricPoint = z
  .strictObject({
    metric: z.enum(METRIC_NAMES).openapi({ description: METRIC_NAMES.map((m) => `${m}: ${METRICS[m].description}`).join('; ') }),
    value: z.number(),
    at: z.iso.datetime({ offset: false }).optional().openapi({ description: 'when it was measured (ISO-8601 UTC, within the last 7 days); default: when the server receives it' }),
  })
  .superRefine((point, issues) => {
    const rule = METRICS[point.metric];
    if (!rule) return;
    if (rule.integer && !Number.isInteger(point.value)) issues.addIssue({ code: 'custom', path: ['value'], message: `${point.metric} is a whole number` });
    else if (point.value < rule.min || point.value > rule.max) {
      issues.addIssue({ code: 'custom', path: ['value'], message: `${point.metric} must be between ${rule.min} and ${rule.max} (${rule.unit})` });
    }
  })
  .openapi('MetricPoint');

export const PushMetricsBody = z.strictObject({ points: z.array(MetricPoint).min(1).max(MAX_POINTS_PER_BATCH) }).openapi('PushMetrics');

export const PushedMetricsSchema = z.object({ tenant_id: z.string(), accepted: z.number().int() }).openapi('PushedMetrics');

export const InstanceTenantParam = z.object({
  tenant: z.string().min(1).max(100).openapi({ param: { name: 'tenant', in: 'path' }, description: 'tenant id or slug' }),
});

const HEALTH_NOW = [...HEALTH_STATUSES, 'unknown'] as const;

export const HealthSummarySchema = z
  .object({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    status: z.enum(HEALTH_NOW).openapi({ description: 'the last probe\'s; unknown when never probed' }),
    checked_at: z.string().nullable(),
    latency_ms: z.number().nullable().openapi({ description: 'the last probe\'s' }),
    uptime_24h: z.number().nullable().openapi({ description: 'percent of the probes in the last 24 h that found it up or degraded; null without probes' }),
    uptime_7d: z.number().nullable(),
    checks_24h: z.number().int(),
    checks_7d: z.number().int(),
    p95_latency_ms: z.number().nullable().openapi({ description: '95th percentile (nearest rank) of the answered probes\' latency in the last 24 h' }),
    cpu: z.number().nullable(),
    memory: z.number().nullable(),
    disk: z.number().nullable(),
    subscribers: z.number().nullable(),
    bandwidth_mbps: z.number().nullable(),
    metrics_at: z.string().nullable().openapi({ description: 'when the newest of the latest pushed metrics was measured' }),
  })
  .openapi('HealthSummary');

export const HealthCheckSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    deployment_id: z.string(),
    at: z.string(),
    status: z.enum(HEALTH_STATUSES),
    latency_ms: z.number().nullable(),
    http_status: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .openapi('HealthCheck');

export const TenantHealthSchema = HealthSummarySchema.extend({
  recent: z.array(HealthCheckSchema.pick({ at: true, status: true, latency_ms: true })).openapi({ description: 'the last 60 probes, oldest first' }),
}).openapi('TenantHealth');

export const HealthListSchema = z.object({ data: z.array(HealthSummarySchema) }).openapi('HealthList');

export const HealthListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'how many tenants, worst first (1–500)' }),
});

export const ProbeBody = z.strictObject({ tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant id or slug; default: every tenant in the caller\'s scope with a deployment to probe' }) }).openapi('ProbeRequest');

export const ProbeResultsSchema = z.object({ data: z.array(HealthCheckSchema.extend({ tenant_slug: z.string() })) }).openapi('ProbeResults');

export type PushMetricsInput = z.infer<typeof PushMetricsBody>;
export type HealthSummary = z.infer<typeof HealthSummarySchema>;
