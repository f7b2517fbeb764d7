import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandOf,
  billingScore,
  COMPONENT_WEIGHTS,
  moduleAdoptionScore,
  platformScore,
  scoreHealth,
  sentimentScore,
  subscriberTrendScore,
  supportScore,
  weightedScore,
  type HealthInputs,
} from '../../../../src/server/modules/customers/health-score.js';

const full = (over: Partial<HealthInputs> = {}): HealthInputs => ({
  subscriberTrend: { changePct: 3, from: 1000, to: 1030 },
  moduleAdoption: { modulesInUse: 5 },
  billing: { daysOverdue: 0, pastDue: false },
  support: { openP1P2: 0, csat: 4.5 },
  platform: { status: 'healthy', uptimePct: 99.95, unhealthyHours: 0 },
  sentiment: { lastNps: 9 },
  cancellationRequested: false,
  metered: [],
  overageMonths: 0,
  ...over,
});

describe('component scores at their thresholds (COMMERCE.md § Customer health)', () => {
  it('subscriber trend: ≥ +2 % → 100; 0 to 2 % → 75; −2 to 0 % → 50; −5 to −2 % → 25; worse → 0', () => {
    expect([5, 2, 1.99, 0, -0.01, -2, -2.01, -5, -5.01, -50].map(subscriberTrendScore)).toEqual([100, 100, 75, 75, 50, 50, 25, 25, 0, 0]);
  });
  it('module adoption: 5 → 100, 4 → 80, 3 → 60, 2 → 40, fewer → 20', () => {
    expect([7, 5, 4, 3, 2, 1, 0].map(moduleAdoptionScore)).toEqual([100, 100, 80, 60, 40, 20, 20]);
  });
  it('billing: current → 100; 1–15 days → 60; 16–30 → 30; over 30 or past_due → 0', () => {
    expect([0, 1, 15, 16, 30, 31].map((d) => billingScore(d, false))).toEqual([100, 60, 60, 30, 30, 0]);
    expect(billingScore(0, true)).toBe(0);
  });
  it('support: none open and CSAT ≥ 4 → 100; 1–2 open → 60; 3 or more → 20', () => {
    expect(supportScore(0, 4)).toBe(100);
    expect(supportScore(0, null)).toBe(100);
    expect(supportScore(0, 3.9)).toBe(60);
    expect(supportScore(1, 5)).toBe(60);
    expect(supportScore(2, 5)).toBe(60);
    expect(supportScore(3, 5)).toBe(20);
  });
  it('platform: healthy with uptime ≥ 99.9 % → 100; degraded → 50; unhealthy → 0', () => {
    expect(platformScore('healthy', 99.9)).toBe(100);
    expect(platformScore('healthy', 99.89)).toBe(50);
    expect(platformScore('degraded', 100)).toBe(50);
    expect(platformScore('unhealthy', 100)).toBe(0);
  });
  it('sentiment: 9–10 → 100; 7–8 → 70; 0–6 → 20; none in 180 days → 50', () => {
    expect([10, 9, 8, 7, 6, 0, null].map(sentimentScore)).toEqual([100, 100, 70, 70, 20, 20, 50]);
  });
  it('bands: green ≥ 70, yellow 50–69, red < 50', () => {
    expect([100, 70, 69, 50, 49, 0].map(bandOf)).toEqual(['green', 'green', 'yellow', 'yellow', 'red', 'red']);
  });
  it('weights sum to 100', () => {
    expect(Object.values(COMPONENT_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe('the score', () => {
  it('is round-half-up(Σ weight × score / 100)', () => {
    // 25×75 + 20×60 + 20×60 + 15×100 + 10×50 + 10×70 = 6975 → 69.75 → 70
    const h = scoreHealth(full({ subscriberTrend: { changePct: 1, from: 100, to: 101 }, moduleAdoption: { modulesInUse: 3 }, billing: { daysOverdue: 5, pastDue: false }, platform: { status: 'degraded', uptimePct: 99, unhealthyHours: 0 }, sentiment: { lastNps: 7 } }));
    expect(h.score).toBe(70);
    expect(h.band).toBe('green');
    // 25×50 + 20×40 + 20×30 + 15×60 + 10×50 + 10×20 = 4250 → 42.5 → 43 (half up)
    expect(weightedScore([{ weight: 25, score: 50 }, { weight: 20, score: 40 }, { weight: 20, score: 30 }, { weight: 15, score: 60 }, { weight: 10, score: 50 }, { weight: 10, score: 20 }])).toBe(43);
  });

  it('is 100 and green when everything is at its best, with a reason per component', () => {
    const h = scoreHealth(full());
    expect(h.score).toBe(100);
    expect(h.band).toBe('green');
    expect(h.components.map((c) => c.component)).toEqual(['subscriber_trend', 'module_adoption', 'billing', 'support', 'platform', 'sentiment']);
    expect(h.components.every((c) => c.reason.length > 0 && !c.no_data)).toBe(true);
    expect(h.components[0]!.input).toEqual({ change_pct: 3, from: 1000, to: 1030 });
  });

  it('scores a component without data a neutral 50, and says why', () => {
    const h = scoreHealth(full({ billing: { noData: 'invoices are not recorded yet' }, support: { noData: 'no tickets' } }));
    // 25×100 + 20×100 + 20×50 + 15×50 + 10×100 + 10×100 = 8250 → 83
    expect(h.score).toBe(83);
    const billing = h.components.find((c) => c.component === 'billing')!;
    expect(billing).toMatchObject({ score: 50, no_data: true, reason: 'no data: invoices are not recorded yet' });
  });

  it('is forced red by an invoice over 30 days overdue, 24 h unhealthy, or a cancellation request', () => {
    expect(scoreHealth(full({ billing: { daysOverdue: 31, pastDue: false } }))).toMatchObject({ band: 'red', score: 80 });
    expect(scoreHealth(full({ billing: { daysOverdue: 30, pastDue: false } })).band).toBe('green');
    expect(scoreHealth(full({ platform: { status: 'unhealthy', uptimePct: 90, unhealthyHours: 24.5 } })).band).toBe('red');
    expect(scoreHealth(full({ platform: { status: 'unhealthy', uptimePct: 90, unhealthyHours: 24 } })).band).toBe('green');
    const cancelled = scoreHealth(full({ cancellationRequested: true }));
    expect(cancelled.band).toBe('red');
    expect(cancelled.forced_red).toEqual(['a cancellation was requested']);
  });

  it('flags expansion at ≥ 80 % of a cap with health ≥ 70, and upgrade at ≥ 95 % or two months of overage', () => {
    expect(scoreHealth(full({ metered: [{ name: 'subscribers', used: 199, limit: 250 }] })).expansion_opportunity).toBe(false);
    const at80 = scoreHealth(full({ metered: [{ name: 'subscribers', used: 200, limit: 250 }] }));
    expect(at80).toMatchObject({ expansion_opportunity: true, upgrade_required: false });
    expect(scoreHealth(full({ metered: [{ name: 'subscribers', used: 237, limit: 250 }] })).upgrade_required).toBe(false);
    expect(scoreHealth(full({ metered: [{ name: 'subscribers', used: 238, limit: 250 }] })).upgrade_required).toBe(true);
    expect(scoreHealth(full({ overageMonths: 2 })).upgrade_required).toBe(true);
    expect(scoreHealth(full({ overageMonths: 1 })).upgrade_required).toBe(false);
    // not with health under 70
    const weak = scoreHealth(full({ sentiment: { lastNps: 0 }, moduleAdoption: { modulesInUse: 1 }, subscriberTrend: { changePct: -10, from: 100, to: 90 }, metered: [{ name: 'subscribers', used: 240, limit: 250 }] }));
    expect(weak.score).toBeLessThan(70);
    expect(weak).toMatchObject({ expansion_opportunity: false, upgrade_required: true });
  });
});

const noData = fc.constant({ noData: 'none' });
const inputs: fc.Arbitrary<HealthInputs> = fc.record({
  subscriberTrend: fc.oneof(noData, fc.record({ changePct: fc.double({ min: -100, max: 100, noNaN: true }), from: fc.nat(), to: fc.nat() })),
  moduleAdoption: fc.oneof(noData, fc.record({ modulesInUse: fc.nat({ max: 10 }) })),
  billing: fc.oneof(noData, fc.record({ daysOverdue: fc.nat({ max: 120 }), pastDue: fc.boolean() })),
  support: fc.oneof(noData, fc.record({ openP1P2: fc.nat({ max: 10 }), csat: fc.option(fc.double({ min: 1, max: 5, noNaN: true })) })),
  platform: fc.oneof(noData, fc.record({ status: fc.constantFrom('healthy' as const, 'degraded' as const, 'unhealthy' as const), uptimePct: fc.option(fc.double({ min: 0, max: 100, noNaN: true })), unhealthyHours: fc.double({ min: 0, max: 100, noNaN: true }) })),
  sentiment: fc.record({ lastNps: fc.option(fc.integer({ min: 0, max: 10 })) }),
  cancellationRequested: fc.oneof(noData, fc.boolean()),
  metered: fc.array(fc.record({ name: fc.constant('subscribers'), used: fc.nat({ max: 60_000 }), limit: fc.integer({ min: 1, max: 50_000 }) }), { maxLength: 3 }),
  overageMonths: fc.option(fc.nat({ max: 6 })),
});

describe('properties', () => {
  it('the score is an integer within 0–100 and the band follows it unless forced red', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const h = scoreHealth(i);
        expect(Number.isInteger(h.score)).toBe(true);
        expect(h.score).toBeGreaterThanOrEqual(0);
        expect(h.score).toBeLessThanOrEqual(100);
        expect(h.band).toBe(h.forced_red.length > 0 ? 'red' : bandOf(h.score));
        expect(h.components).toHaveLength(6);
      }),
    );
  });

  it('is monotonic in each component score', () => {
    const scores = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(scores, fc.nat({ max: 5 }), fc.integer({ min: 0, max: 100 }), (s, which, raise) => {
        const weights = Object.values(COMPONENT_WEIGHTS);
        const before = weightedScore(weights.map((weight, i) => ({ weight, score: s[i]! })));
        const higher = s.map((v, i) => (i === which ? Math.max(v, raise) : v));
        expect(weightedScore(weights.map((weight, i) => ({ weight, score: higher[i]! })))).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('each component score is monotonic in its input', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(subscriberTrendScore(hi)).toBeGreaterThanOrEqual(subscriberTrendScore(lo));
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: 100 }), fc.nat({ max: 100 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(moduleAdoptionScore(hi)).toBeGreaterThanOrEqual(moduleAdoptionScore(lo));
        expect(billingScore(hi, false)).toBeLessThanOrEqual(billingScore(lo, false));
        expect(supportScore(hi, 5)).toBeLessThanOrEqual(supportScore(lo, 5));
        expect(sentimentScore(Math.min(hi, 10))).toBeGreaterThanOrEqual(sentimentScore(Math.min(lo, 10)));
      }),
    );
  });
});
