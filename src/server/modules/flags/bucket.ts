import { createHash } from 'node:crypto';

// Who a feature flag is on for, as pure rules. A tenant's bucket for a flag is a fixed number in
// 0–9,999 (basis points of the tenant population); a rollout of P % is on for the buckets below
// P × 100, so raising a rollout only ever adds tenants, and lowering it only removes them.

/** Buckets per flag: a rollout is counted in basis points, so 0.01 % is the finest step. */
export const BUCKETS = 10_000;

/** The first 32 bits of SHA-256(`key:tenantId`), big-endian, mod 10,000. */
export function bucketOf(key: string, tenantId: string): number {
  return createHash('sha256').update(`${key}:${tenantId}`).digest().readUInt32BE(0) % BUCKETS;
}

/** What decides a flag for a tenant. */
export interface FlagRule {
  key: string;
  /** 0 (off for all) to 10,000 (on for all) */
  rolloutBps: number;
  /** always on for these tenant ids */
  tenants: ReadonlySet<string>;
  /** always off for these tenant ids: beats `tenants` and the rollout */
  except: ReadonlySet<string>;
}

export function flagOn(rule: FlagRule, tenantId: string): boolean {
  if (rule.except.has(tenantId)) return false;
  if (rule.tenants.has(tenantId)) return true;
  if (rule.rolloutBps <= 0) return false;
  if (rule.rolloutBps >= BUCKETS) return true;
  return bucketOf(rule.key, tenantId) < rule.rolloutBps;
}

/** How many of `tenantIds` the flag is on for: one pass, one hash per tenant at most. */
export function countOn(rule: FlagRule, tenantIds: readonly string[]): number {
  let on = 0;
  for (const id of tenantIds) if (flagOn(rule, id)) on++;
  return on;
}

/**
 * A rollout percentage (0–100, at most two decimals) in basis points, or null when it is not one.
 * Two decimals is the buckets' own resolution: 12.34 % is 1,234 of 10,000 buckets.
 */
export function rolloutToBps(percent: number): number | null {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) return null;
  const bps = Math.round(percent * 100);
  return Math.abs(bps - percent * 100) < 1e-9 ? bps : null;
}

export const bpsToRollout = (bps: number): number => bps / 100;
