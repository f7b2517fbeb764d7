import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPPORTUNITY_STAGES } from '../../../../src/db/tables/pipeline.js';
import { checkMove, weightedValue } from '../../../../src/server/modules/pipeline/stages.js';
import { overlapsOf, regionAllowed } from '../../../../src/server/modules/territories/regions.js';

describe('weighted value', () => {
  it('is value × the stage probability, rounded half-up to a cent', () => {
    expect(weightedValue(100_000, 'lead')).toBe(10_000);
    expect(weightedValue(100_005, 'proposal')).toBe(50_003); // 50,002.5 → up
    expect(weightedValue(333, 'negotiation')).toBe(250); // 249.75
    expect(weightedValue(3, 'lead')).toBe(0); // 0.3
    expect(weightedValue(5, 'lead')).toBe(1); // 0.5 → up
    expect(weightedValue(2, 'qualified')).toBe(1); // 0.5 → up
    expect(weightedValue(999, 'won')).toBe(999);
    expect(weightedValue(999, 'lost')).toBe(0);
  });

  it('is a whole number of cents between 0 and the value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), fc.constantFrom(...OPPORTUNITY_STAGES), (value, stage) => {
        const w = weightedValue(value, stage);
        expect(Number.isInteger(w)).toBe(true);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(value);
      }),
    );
  });
});

describe('stage moves', () => {
  it('go forward any number of stages, back one, or to lost; won and lost are final', () => {
    expect(checkMove('lead', 'negotiation')).toMatchObject({ allowed: true, direction: 'forward' });
    expect(checkMove('lead', 'won')).toMatchObject({ allowed: true });
    expect(checkMove('proposal', 'qualified')).toMatchObject({ allowed: true, direction: 'back' });
    expect(checkMove('proposal', 'lead')).toMatchObject({ allowed: false });
    expect(checkMove('negotiation', 'lost')).toMatchObject({ allowed: true, direction: 'lost' });
    expect(checkMove('lead', 'lost')).toMatchObject({ allowed: true });
    expect(checkMove('won', 'lost')).toMatchObject({ allowed: false });
    expect(checkMove('lost', 'lead')).toMatchObject({ allowed: false });
    expect(checkMove('won', 'won')).toMatchObject({ allowed: true, direction: 'same' });
  });

  it('never leave a final stage', () => {
    fc.assert(
      fc.property(fc.constantFrom('won' as const, 'lost' as const), fc.constantFrom(...OPPORTUNITY_STAGES), (from, to) => {
        expect(checkMove(from, to).allowed).toBe(from === to);
      }),
    );
  });
});

describe('territories', () => {
  it('allow only their regions; none at all without a territory', () => {
    expect(regionAllowed(['us-east', 'us-west'], 'us-east')).toBe(true);
    expect(regionAllowed(['us-east'], ' US-East ')).toBe(true);
    expect(regionAllowed(['us-east'], 'eu-west')).toBe(false);
    expect(regionAllowed([], 'us-east')).toBe(false);
  });

  it('overlap where they share a region, both ways', () => {
    const overlaps = overlapsOf([
      { id: 'a', name: 'East', regions: ['us-east', 'us-central'] },
      { id: 'b', name: 'Central', regions: ['us-central', 'ca-central'] },
      { id: 'c', name: 'Europe', regions: ['eu-west'] },
    ]);
    expect(overlaps.get('a')).toEqual([{ territory: 'Central', regions: ['us-central'] }]);
    expect(overlaps.get('b')).toEqual([{ territory: 'East', regions: ['us-central'] }]);
    expect(overlaps.get('c')).toEqual([]);
  });
});
