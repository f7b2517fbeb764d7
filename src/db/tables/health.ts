import type { Selectable } from 'kysely';

export const HEALTH_STATUSES = ['up', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** One probe of a tenant's current deployment: GET {endpoint_url}/health (issue 7). */
export interface HealthChecksTable {
  id: string;
  tenant_id: string;
  deployment_id: string;
  /** when the probe started (ISO-8601 UTC) */
  at: string;
  status: HealthStatus;
  /** until the whole answer was read; null when none came (refused, timed out) */
  latency_ms: number | null;
  /** the answer's HTTP status, null when none came */
  http_status: number | null;
  /** why it is down, in a line */
  error: string | null;
}

/** A raw point an instance agent pushed; kept 7 days, then folded into metric_rollups. */
export interface MetricPointsTable {
  tenant_id: string;
  metric: string;
  at: string;
  value: number;
}

/** One hour of one metric: what the raw points of that hour were, once they are pruned. */
export interface MetricRollupsTable {
  tenant_id: string;
  metric: string;
  /** the hour's start, e.g. 2026-12-02T15:00:00.000Z */
  hour: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export type HealthCheckRow = Selectable<HealthChecksTable>;
export type MetricPointRow = Selectable<MetricPointsTable>;
export type MetricRollupRow = Selectable<MetricRollupsTable>;
