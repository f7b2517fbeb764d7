import type { InstanceSize } from '../../../db/tables/deployments.js';

/** Monthly price of one replica, in cents (USD). */
export const MONTHLY_CENTS_PER_REPLICA: Record<InstanceSize, number> = {
  micro: 2_900,
  small: 9_900,
  medium: 29_900,
  large: 79_900,
  xlarge: 249_900,
};

/** The most replicas a deployment of each size may run. */
export const REPLICA_LIMITS: Record<InstanceSize, number> = { micro: 2, small: 3, medium: 5, large: 8, xlarge: 12 };

export interface Shape {
  size: InstanceSize;
  replicas: number;
}

export function monthlyCents(shape: Shape | null): number {
  return shape ? MONTHLY_CENTS_PER_REPLICA[shape.size] * shape.replicas : 0;
}

/** Why a shape is not allowed, or null. */
export function shapeProblem(shape: Shape): string | null {
  const limit = REPLICA_LIMITS[shape.size];
  if (!Number.isInteger(shape.replicas) || shape.replicas < 1) return `replicas must be a whole number of at least 1`;
  if (shape.replicas > limit) return `replicas ${shape.replicas} is over the limit of ${limit} for size ${shape.size}`;
  return null;
}

export interface CostChange {
  before_cents: number;
  after_cents: number;
  difference_cents: number;
  /** the new cost is more than twice the old one (asks for confirmation) */
  more_than_doubles: boolean;
}

export function costChange(before: Shape | null, after: Shape): CostChange {
  const before_cents = monthlyCents(before);
  const after_cents = monthlyCents(after);
  return { before_cents, after_cents, difference_cents: after_cents - before_cents, more_than_doubles: after_cents > 2 * before_cents };
}
