import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTANCE_SIZES } from '../../../../src/db/tables/deployments.js';
import { costChange, monthlyCents, REPLICA_LIMITS, shapeProblem } from '../../../../src/server/modules/deployments/pricing.js';

describe('pricing', () => {
  it('prices a replica per month by size, in cents', () => {
    expect(INSTANCE_SIZES.map((size) => monthlyCents({ size, replicas: 1 }))).toEqual([2_900, 9_900, 29_900, 79_900, 249_900]);
    expect(monthlyCents({ size: 'medium', replicas: 3 })).toBe(89_700);
    expect(monthlyCents(null)).toBe(0);
  });

  it('limits replicas per size, naming the limit', () => {
    expect(INSTANCE_SIZES.map((size) => REPLICA_LIMITS[size])).toEqual([2, 3, 5, 8, 12]);
    expect(shapeProblem({ size: 'micro', replicas: 2 })).toBeNull();
    expect(shapeProblem({ size: 'micro', replicas: 3 })).toBe('replicas 3 is over the limit of 2 for size micro');
    expect(shapeProblem({ size: 'xlarge', replicas: 0 })).toMatch(/at least 1/);
  });

  it('says when the cost more than doubles: exactly double does not', () => {
    expect(costChange({ size: 'small', replicas: 1 }, { size: 'small', replicas: 2 })).toEqual({ before_cents: 9_900, after_cents: 19_800, difference_cents: 9_900, more_than_doubles: false });
    expect(costChange({ size: 'small', replicas: 1 }, { size: 'small', replicas: 3 }).more_than_doubles).toBe(true);
    expect(costChange({ size: 'large', replicas: 2 }, { size: 'micro', replicas: 1 }).difference_cents).toBe(2_900 - 159_800);
  });

  it('the difference is after minus before, in whole cents, for any two shapes', () => {
    const shape = fc.constantFrom(...INSTANCE_SIZES).chain((size) => fc.record({ size: fc.constant(size), replicas: fc.integer({ min: 1, max: REPLICA_LIMITS[size] }) }));
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const change = costChange(a, b);
        expect(Number.isInteger(change.difference_cents)).toBe(true);
        expect(change.difference_cents).toBe(change.after_cents - change.before_cents);
        expect(change.more_than_doubles).toBe(change.after_cents > 2 * change.before_cents);
      }),
    );
  });
});
