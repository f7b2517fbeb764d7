// The pure KPI figures (resellers/kpis.ts) and the expansion MRR in force (commissions/rules.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expansionInForce } from '../../../../src/server/modules/commissions/rules.js';
import { medianQuoteToCloseDays, mrrMovement, winRateBps, type MrrChangeFact } from '../../../../src/server/modules/resellers/kpis.js';

let serial = 0;
const change = (subscription_id: string, kind: MrrChangeFact['kind'], effective_on: string, from: number, to: number): MrrChangeFact => ({
  id: `sch_${String(++serial).padStart(4, '0')}`, subscription_id, kind, effective_on, from_mrr_cents: from, to_mrr_cents: to, created_at: `2026-01-01T00:00:${String(serial % 60).padStart(2, '0')}.000Z`,
});

describe('MRR movement', () => {
  it('splits a month into new, expansion, contraction and churn, and retains only the customers at its start', () => {
    const rows = [
      change('a', 'new', '2026-01-05', 0, 10_000),
      change('b', 'new', '2026-01-20', 0, 5_000),
      change('a', 'upgrade', '2026-02-10', 10_000, 15_000),
      change('b', 'downgrade', '2026-02-01', 5_000, 4_000),
      change('b', 'cancel', '2026-02-25', 4_000, 0),
      change('c', 'new', '2026-02-03', 0, 7_000),
      change('c', 'upgrade', '2026-02-04', 7_000, 9_000), // a new customer's upgrade: expansion, not retention
    ];
    // start 15,000; retained: a 15,000 + b 0 → 15,000 × 10,000 / 15,000 = 10,000
    expect(mrrMovement(rows, '2026-02')).toEqual({
      start_mrr_cents: 15_000, new_mrr_cents: 7_000, expansion_mrr_cents: 7_000, contraction_mrr_cents: 1_000, churned_mrr_cents: 4_000, net_revenue_retention_bps: 10_000,
    });
    expect(mrrMovement(rows, '2026-01')).toMatchObject({ start_mrr_cents: 0, new_mrr_cents: 15_000, net_revenue_retention_bps: null });
    // March: a at 15,000 and c at 9,000 open it, nothing moves
    expect(mrrMovement(rows, '2026-03')).toMatchObject({ start_mrr_cents: 24_000, net_revenue_retention_bps: 10_000 });
  });

  it('retention is start + expansion − contraction − churn of the customers then, in whole bps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (start, up, down) => {
        const rows = [change('s', 'new', '2026-01-01', 0, start), change('s', 'upgrade', '2026-02-02', start, start + up), change('s', 'downgrade', '2026-02-03', start + up, Math.max(0, start + up - down))];
        const m = mrrMovement(rows, '2026-02');
        const end = start + m.expansion_mrr_cents - m.contraction_mrr_cents - m.churned_mrr_cents;
        expect(Number.isInteger(m.net_revenue_retention_bps)).toBe(true);
        expect(m.net_revenue_retention_bps).toBe(Math.floor((2 * end * 10_000 + start) / (2 * start)));
      }),
    );
  });
});

describe('win rate and quote-to-close', () => {
  it('rounds half-up and is null with nothing to count', () => {
    expect(winRateBps(1, 2)).toBe(3_333);
    expect(winRateBps(2, 1)).toBe(6_667);
    expect(winRateBps(0, 0)).toBeNull();
    expect(medianQuoteToCloseDays([])).toBeNull();
    expect(medianQuoteToCloseDays([{ sent_on: '2026-01-01', accepted_on: '2026-01-04' }, { sent_on: '2026-01-01', accepted_on: '2026-01-02' }, { sent_on: '2026-01-10', accepted_on: '2026-02-09' }])).toBe(3);
    // even count: (1 + 4) / 2 = 2.5 → 3; accepted before it was sent counts 0
    expect(medianQuoteToCloseDays([{ sent_on: '2026-01-01', accepted_on: '2026-01-02' }, { sent_on: '2026-01-01', accepted_on: '2026-01-05' }])).toBe(3);
    expect(medianQuoteToCloseDays([{ sent_on: '2026-01-05', accepted_on: '2026-01-01' }])).toBe(0);
  });
});

describe('expansion MRR in force', () => {
  it('counts an upgrade for the 12 periods after its month', () => {
    const upgrades = [{ effective_on: '2026-03-15', from_mrr_cents: 4_900, to_mrr_cents: 24_800 }, { effective_on: '2026-06-01', from_mrr_cents: 24_800, to_mrr_cents: 30_000 }];
    expect(expansionInForce(upgrades, '2026-03')).toBe(0);
    expect(expansionInForce(upgrades, '2026-04')).toBe(19_900);
    expect(expansionInForce(upgrades, '2026-06')).toBe(19_900);
    expect(expansionInForce(upgrades, '2026-07')).toBe(25_100);
    expect(expansionInForce(upgrades, '2027-03')).toBe(25_100);
    expect(expansionInForce(upgrades, '2027-04')).toBe(5_200);
    expect(expansionInForce(upgrades, '2027-07')).toBe(0);
  });
});
