// COMMERCE.md's pricing rules, by worked example and by property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRICE_BOOK_2025_1 as BOOK, TERM_MONTHS } from '../../../../src/server/modules/pricebook/book.js';
import { bandLines, findPlan, inAdvanceMonthlyCents, overageLines, priceSubscription, prorationLines, sum } from '../../../../src/server/modules/pricebook/pricing.js';
import { applyBps, divideRounded, formatCents } from '../../../../src/core/money.js';

const amounts = (lines: { kind: string; amount_cents: number }[]) => lines.map((l) => [l.kind, l.amount_cents]);

describe('pricing by example', () => {
  it('prices starter with graduated bands above the included 100', () => {
    const p = priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 180 });
    expect(amounts(p.lines)).toEqual([['platform_fee', 4_900], ['band', 4_000]]);
    expect(p).toMatchObject({ monthly_cents: 8_900, setup_cents: 0, first_invoice_cents: 8_900, flags: [] });
  });

  it('applies the term discount, then the negotiated discount on what is left, never to setup', () => {
    const p = priceSubscription(BOOK, { plan: 'professional', term_months: 12, subscribers: 3_000, addons: ['premium-support'], discount_bps: 500 });
    expect(amounts(p.lines)).toEqual([
      ['platform_fee', 14_900],
      ['addon', 19_900],
      ['band', 21_000], // 1,001-2,500 at 14
      ['band', 6_000], // 2,501-3,000 at 12
      ['term_discount', -6_180], // 10 % of 61,800
      ['negotiated_discount', -2_781], // 5 % of 55,620
      ['setup', 50_000],
    ]);
    expect(p.monthly_cents).toBe(52_839);
    expect(p.first_invoice_cents).toBe(102_839);
  });

  it('rounds each line half-up once', () => {
    // 0.5 % of 4,900 is 24.5 cents: 25
    const p = priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 100, discount_bps: 50 });
    expect(p.monthly_cents).toBe(4_875);
    expect(divideRounded(-25, 2)).toBe(-13);
    expect(applyBps(4_900, 50)).toBe(25);
  });

  it('includes white-label in enterprise at no charge, and waives setup as its own line', () => {
    const p = priceSubscription(BOOK, { plan: 'enterprise', term_months: 36, subscribers: 2_500, addons: ['white-label'], waive_setup: true });
    expect(amounts(p.lines)).toEqual([['platform_fee', 49_900], ['addon', 0], ['term_discount', -9_980], ['setup', 150_000], ['setup_waiver', -150_000]]);
    expect(p.first_invoice_cents).toBe(39_920);
  });

  it('prices past the hard cap at the last band and flags upgrade_required with a warning', () => {
    const p = priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 300 });
    expect(amounts(p.lines)).toEqual([['platform_fee', 4_900], ['band', 10_000]]);
    expect(p.flags).toEqual(['upgrade_required']);
    expect(p.warnings[0]).toMatch(/hard cap of 250/);
  });

  it('prices the custom plan from its quoted fee, no lower than the floor', () => {
    const p = priceSubscription(BOOK, { plan: 'custom', term_months: 12, subscribers: 80_000, platform_fee_cents: 300_000 });
    expect(amounts(p.lines)).toEqual([['platform_fee', 300_000], ['term_discount', -30_000], ['setup', 300_000]]);
    expect(() => priceSubscription(BOOK, { plan: 'custom', term_months: 12, subscribers: 10, platform_fee_cents: 100 })).toThrow(/at least 249900/);
    expect(() => priceSubscription(BOOK, { plan: 'custom', term_months: 12, subscribers: 10 })).toThrow(/quoted platform fee/);
  });

  it('refuses an unknown plan or add-on (naming the closest), a term not offered, and a discount over 4,000 bps', () => {
    expect(() => priceSubscription(BOOK, { plan: 'profesional', term_months: 1, subscribers: 10 })).toThrow(/did you mean 'professional'/);
    expect(() => priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 10, addons: ['sandbx'] })).toThrow(/did you mean 'sandbox'/);
    expect(() => priceSubscription(BOOK, { plan: 'starter', term_months: 6, subscribers: 10 })).toThrow(/6-month term is not offered/);
    expect(() => priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 10, discount_bps: 4_001 })).toThrow(/never exceeded/);
    expect(() => priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 0 })).toThrow(/subscribers/);
    expect(() => priceSubscription(BOOK, { plan: 'starter', term_months: 1, subscribers: 10, addons: ['sandbox', 'sandbox'] })).toThrow(/twice/);
  });

  it('prices overage per unit over the allowance, API calls per started thousand', () => {
    const lines = overageLines(findPlan(BOOK, 'starter'), { users: 12, devices: 25, storage_gb: 11, api_calls: 10_001 });
    expect(lines.map((l) => [l.code, l.quantity, l.amount_cents])).toEqual([['users', 2, 400], ['storage_gb', 1, 10], ['api_calls_1k', 1, 5]]);
  });

  it('prorates an upgrade by days, counting the change day', () => {
    // 10 March: 22 of 31 days remain
    const lines = prorationLines(14_900, 49_900, '2026-03-10');
    expect(lines.map((l) => l.amount_cents)).toEqual([-10_574, 35_413]);
    expect(inAdvanceMonthlyCents(BOOK, { plan: 'professional', term_months: 12, addons: ['sandbox'] })).toBe(16_020);
  });

  it('formats cents for people', () => {
    expect(formatCents(44_300)).toBe('$443.00');
    expect(formatCents(-123_456_7)).toBe('-$12,345.67');
  });
});

const inputs = fc.record({
  plan: fc.constantFrom('starter', 'professional', 'enterprise'),
  term_months: fc.constantFrom(...TERM_MONTHS),
  subscribers: fc.integer({ min: 1, max: 80_000 }),
  addons: fc.subarray(['white-label', 'premium-support', 'extended-backups', 'sandbox']),
  discount_bps: fc.integer({ min: 0, max: 4_000 }),
  waive_setup: fc.boolean(),
});

describe('pricing properties', () => {
  it('a quote\'s lines sum to its totals, and every amount is a whole number of cents', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const p = priceSubscription(BOOK, input);
        expect(sum(p.lines)).toBe(p.first_invoice_cents);
        expect(sum(p.lines.filter((l) => l.recurring))).toBe(p.monthly_cents);
        for (const line of p.lines) expect(Number.isSafeInteger(line.amount_cents)).toBe(true);
        expect(p.monthly_cents).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('graduated pricing is monotonic in subscribers, each extra subscriber priced by its own band', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const plan = findPlan(BOOK, input.plan);
        const step = sum(bandLines(plan, input.subscribers + 1)) - sum(bandLines(plan, input.subscribers));
        expect([0, ...plan.bands.map((b) => b.unit_cents)]).toContain(step);
        const more = priceSubscription(BOOK, { ...input, subscribers: input.subscribers + 1 });
        expect(more.monthly_cents).toBeGreaterThanOrEqual(priceSubscription(BOOK, input).monthly_cents);
      }),
    );
  });

  it('a larger negotiated discount never raises the price', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 4_000 }), (input, other) => {
        const [low, high] = [Math.min(input.discount_bps, other), Math.max(input.discount_bps, other)];
        expect(priceSubscription(BOOK, { ...input, discount_bps: high }).monthly_cents).toBeLessThanOrEqual(priceSubscription(BOOK, { ...input, discount_bps: low }).monthly_cents);
      }),
    );
  });
});
