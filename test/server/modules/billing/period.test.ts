// The period invoice (COMMERCE.md "Subscriptions and invoices") by worked example and by property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addPeriods, isDay, isPeriod, lastDay, termEnd } from '../../../../src/core/calendar.js';
import { bandLinesAbove, billedSubscribers, periodInvoice, type BillingTerms } from '../../../../src/server/modules/invoices/period.js';
import { PRICE_BOOK_2025_1 as BOOK } from '../../../../src/server/modules/pricebook/book.js';
import { bandLines, findPlan, sum } from '../../../../src/server/modules/pricebook/pricing.js';

const terms = (over: Partial<BillingTerms> = {}): BillingTerms => ({ plan: 'professional', term_months: 1, subscribers: 1_000, addons: [], discount_bps: 0, platform_fee_cents: null, ...over });
const none = { subscribers: null, users: 0, devices: 0, storage_gb: 0, api_calls: 0 };
const amounts = (lines: { kind: string; amount_cents: number }[]) => lines.map((l) => [l.kind, l.amount_cents]);

describe('a later invoice by example', () => {
  it('holds the fee and add-ons in advance, the previous month\'s bands on its peak, overage, and discounts over fee, bands and add-ons only', () => {
    const t = terms({ term_months: 12, subscribers: 2_000, addons: ['premium-support'], discount_bps: 500 });
    const invoice = periodInvoice(BOOK, { inAdvance: t, arrears: t, usage: { subscribers: 3_000, users: 55, devices: 0, storage_gb: 0, api_calls: 100_001 }, prepaidSubscribers: null });
    expect(amounts(invoice.lines)).toEqual([
      ['platform_fee', 14_900],
      ['addon', 19_900],
      ['band', 21_000], // 1,001–2,500 at 14
      ['band', 6_000], // 2,501–3,000 at 12
      ['term_discount', -6_180],
      ['negotiated_discount', -2_781],
      ['overage', 750], // 5 users at 150
      ['overage', 4], // 1 (part of a) thousand API calls at 4
    ]);
    expect(invoice.recurring_cents).toBe(52_839);
    expect(invoice.total_cents).toBe(53_593);
  });

  it('bills the commitment when the peak is below it (terms of 12 months or more), the subscribed count when no peak was recorded', () => {
    expect(billedSubscribers(BOOK, terms({ term_months: 12, subscribers: 2_000 }), 1_500)).toBe(2_000);
    expect(billedSubscribers(BOOK, terms({ term_months: 1, subscribers: 2_000 }), 1_500)).toBe(1_500);
    expect(billedSubscribers(BOOK, terms({ term_months: 1, subscribers: 2_000 }), null)).toBe(2_000);
  });

  it('charges only the peak above what the first invoice billed for its month', () => {
    const plan = findPlan(BOOK, 'professional');
    expect(amounts(bandLinesAbove(BOOK, 'professional', 3_000, 2_000))).toEqual([['band', 500 * 14], ['band', 500 * 12]]);
    expect(bandLinesAbove(BOOK, 'professional', 1_800, 2_000)).toEqual([]);
    expect(sum(bandLinesAbove(BOOK, 'professional', 3_000, 0))).toBe(sum(bandLines(plan, 3_000)));
  });

  it('bills the last month in arrears only after a cancellation, and flags a peak over the hard cap', () => {
    const invoice = periodInvoice(BOOK, { inAdvance: null, arrears: terms({ plan: 'starter', subscribers: 100 }), usage: { ...none, subscribers: 300 }, prepaidSubscribers: null });
    expect(amounts(invoice.lines)).toEqual([['band', 200 * 50]]);
    expect(invoice.flags).toEqual(['upgrade_required']);
  });
});

describe('properties', () => {
  const termsArb = fc.record({
    plan: fc.constantFrom('starter', 'professional', 'enterprise'),
    term_months: fc.constantFrom(1, 12, 24, 36),
    subscribers: fc.integer({ min: 1, max: 60_000 }),
    addons: fc.subarray(['white-label', 'premium-support', 'extended-backups', 'sandbox']),
    discount_bps: fc.integer({ min: 0, max: 4_000 }),
    platform_fee_cents: fc.constant(null),
  });
  const usageArb = fc.record({
    subscribers: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: null }),
    users: fc.nat({ max: 1_000 }),
    devices: fc.nat({ max: 5_000 }),
    storage_gb: fc.nat({ max: 5_000 }),
    api_calls: fc.nat({ max: 5_000_000 }),
  });

  it('an invoice\'s lines are whole cents and sum to its total; recurring is the sum of recurring lines', () => {
    fc.assert(
      fc.property(termsArb, usageArb, fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: null }), (t, usage, prepaid) => {
        const invoice = periodInvoice(BOOK, { inAdvance: t, arrears: t, usage, prepaidSubscribers: prepaid });
        for (const line of invoice.lines) expect(Number.isSafeInteger(line.amount_cents)).toBe(true);
        expect(invoice.total_cents).toBe(sum(invoice.lines));
        expect(invoice.recurring_cents).toBe(sum(invoice.lines.filter((l) => l.recurring)));
      }),
    );
  });

  it('never bills fewer subscribers than committed, and more usage never costs less', () => {
    fc.assert(
      fc.property(termsArb, usageArb, fc.integer({ min: 0, max: 5_000 }), (t, usage, more) => {
        const base = { inAdvance: t, arrears: t, prepaidSubscribers: null };
        const low = periodInvoice(BOOK, { ...base, usage });
        const high = periodInvoice(BOOK, { ...base, usage: { ...usage, subscribers: (usage.subscribers ?? t.subscribers) + more, users: usage.users + more } });
        expect(high.total_cents).toBeGreaterThanOrEqual(low.total_cents);
        if (t.term_months >= 12) expect(billedSubscribers(BOOK, t, usage.subscribers)).toBeGreaterThanOrEqual(t.subscribers);
      }),
    );
  });
});

describe('calendar', () => {
  it('knows days, months and terms', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isPeriod('2026-13')).toBe(false);
    expect(addPeriods('2026-12', 1)).toBe('2027-01');
    expect(addPeriods('2026-01', -1)).toBe('2025-12');
    expect(lastDay('2028-02')).toBe('2028-02-29');
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(termEnd('2026-09-10', 12)).toBe('2027-08-31');
  });
});
