import type { HealthStatus } from '../../../db/tables/health.js';

/**
 * The maths of instance health, with no I/O (tested directly in test/server/modules/health/).
 *
 * Uptime is the share of recorded probes that found the instance answering: `up` or `degraded`
 * (slow, but serving) count as up, `down` as down. It is computed from the probes recorded in
 * the window, not from wall-clock time, so a window with no probes has no uptime (null).
 */
export function uptimePercent(answering: number, total: number): number | null {
  if (total === 0) return null;
  return round2((answering / total) * 100);
}

/** What uptimePercent is given, counted from a window's statuses. */
export function answeringShare(statuses: readonly HealthStatus[]): [answering: number, total: number] {
  return [statuses.filter((s) => s !== 'down').length, statuses.length];
}

/** The p-th percentile by the nearest-rank method: the smallest value with at least p % of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface ProbeAnswer {
  /** the HTTP status, or null when no answer came */
  httpStatus: number | null;
  latencyMs: number;
}

/** `down` without a 2xx answer (refused, timed out, 5xx, anything not 2xx); `degraded` slower than the threshold; else `up`. */
export function classify(answer: ProbeAnswer, degradedMs: number): HealthStatus {
  if (answer.httpStatus === null || answer.httpStatus < 200 || answer.httpStatus > 299) return 'down';
  return answer.latencyMs > degradedMs ? 'degraded' : 'up';
}

/** How bad a current status is: down, then degraded, then never probed, then up. */
const SEVERITY: Record<HealthStatus | 'unknown', number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

export interface Ranked {
  status: HealthStatus | 'unknown';
  uptime_24h: number | null;
  tenant_slug: string;
}

/** Worst first: by current status, then lower 24 h uptime (none counts as 100), then slug. */
export function worstFirst(a: Ranked, b: Ranked): number {
  return SEVERITY[a.status] - SEVERITY[b.status] || (a.uptime_24h ?? 100) - (b.uptime_24h ?? 100) || (a.tenant_slug < b.tenant_slug ? -1 : a.tenant_slug > b.tenant_slug ? 1 : 0);
}

/** The start of the hour an ISO-8601 UTC time (or its first 13 characters, `2026-12-02T15`) falls in, as ISO-8601. */
export function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
