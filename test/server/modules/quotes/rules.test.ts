import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUOTE_STATUSES, type QuoteStatus } from '../../../../src/db/tables/quotes.js';
import { PRICE_BOOK_2025_1 } from '../../../../src/server/modules/pricebook/book.js';
import { priceSubscription } from '../../../../src/server/modules/pricebook/pricing.js';
import { discountAuthority, isPastValidity, requiredAuthority, validUntil } from '../../../../src/server/modules/quotes/rules.js';
import { FINAL_STATUSES, nextQuoteStatus, type QuoteTransition } from '../../../../src/server/modules/quotes/status.js';

const VERBS: QuoteTransition[] = ['update', 'submit', 'request_approval', 'approve', 'refuse', 'send', 'view', 'accept', 'reject', 'revise', 'cancel', 'expire'];

describe('discount authority (COMMERCE.md § Quotes)', () => {
  it('is 500 bps for a reseller whatever its token says, 1,000 for staff by default, the token\'s otherwise', () => {
    expect(discountAuthority({ role: 'reseller', discountAuthorityBps: 4000 })).toBe(500);
    expect(discountAuthority({ role: 'master_admin' })).toBe(1000);
    expect(discountAuthority({ role: 'master_admin', discountAuthorityBps: null })).toBe(1000);
    expect(discountAuthority({ role: 'master_admin', discountAuthorityBps: 2000 })).toBe(2000);
    expect(discountAuthority({ role: 'tenant_admin' })).toBe(0);
  });

  it('needs the negotiated discount (never the term discount), 2,000 for a waiver, 4,000 for the custom plan', () => {
    expect(requiredAuthority({ discount_bps: 800, waive_setup: false, plan: 'professional' })).toBe(800);
    expect(requiredAuthority({ discount_bps: 0, waive_setup: true, plan: 'professional' })).toBe(2000);
    expect(requiredAuthority({ discount_bps: 2500, waive_setup: true, plan: 'starter' })).toBe(2500);
    expect(requiredAuthority({ discount_bps: 0, waive_setup: false, plan: 'custom' })).toBe(4000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), fc.boolean(), fc.constantFrom('starter', 'professional', 'enterprise', 'custom'), (discount, waive, plan) => {
        const needed = requiredAuthority({ discount_bps: discount, waive_setup: waive, plan });
        expect(needed).toBeGreaterThanOrEqual(discount);
        expect(needed).toBeLessThanOrEqual(4000);
      }),
    );
  });
});

describe('validity', () => {
  it('is 30 days by default, at most 90, and ends after 23:59:59 UTC on the last day', () => {
    const now = new Date('2026-12-02T20:00:00Z');
    expect(validUntil(now)).toBe('2027-01-01');
    expect(validUntil(now, 90)).toBe('2027-03-02');
    expect(() => validUntil(now, 91)).toThrow(/1 to 90/);
    expect(isPastValidity('2027-01-01', new Date('2027-01-01T23:59:59.999Z'))).toBe(false);
    expect(isPastValidity('2027-01-01', new Date('2027-01-02T00:00:00.000Z'))).toBe(true);
  });
});

describe('the quote state table', () => {
  it('walks the paths COMMERCE.md names', () => {
    const walk = (from: QuoteStatus, verbs: QuoteTransition[]) =>
      verbs.reduce<QuoteStatus>((status, verb) => {
        const next = nextQuoteStatus(status, verb);
        if (typeof next !== 'object') throw new Error(`${verb} from ${status}: ${next}`);
        return next.to;
      }, from);
    expect(walk('draft', ['submit', 'view', 'accept'])).toBe('accepted');
    expect(walk('draft', ['request_approval', 'approve', 'send', 'reject', 'revise'])).toBe('revised');
    expect(walk('draft', ['request_approval', 'refuse'])).toBe('draft');
    expect(walk('draft', ['request_approval', 'approve', 'update'])).toBe('draft');
    expect(walk('sent', ['expire', 'revise'])).toBe('revised');
    expect(nextQuoteStatus('accepted', 'accept')).toBe('illegal');
    expect(nextQuoteStatus('viewed', 'view')).toBe('unchanged');
  });

  it('never moves a final quote but to revised (from rejected or expired), and never reaches accepted but from sent or viewed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...QUOTE_STATUSES), fc.constantFrom(...VERBS), (status, verb) => {
        const next = nextQuoteStatus(status, verb);
        if (typeof next !== 'object') return;
        if (FINAL_STATUSES.includes(status)) expect([status, next.to]).toEqual([status, 'revised']);
        if (next.to === 'accepted') expect(['sent', 'viewed']).toContain(status);
      }),
    );
  });
});

describe('a quote\'s pricing', () => {
  it('its lines sum to the first invoice, the recurring ones to the monthly total, in whole cents', () => {
    const plans = PRICE_BOOK_2025_1.plans.filter((p) => !p.quoted).map((p) => p.code);
    fc.assert(
      fc.property(
        fc.constantFrom(...plans),
        fc.constantFrom(1, 12, 24, 36),
        fc.nat({ max: 60_000 }),
        fc.subarray(PRICE_BOOK_2025_1.addons.map((a) => a.code)),
        fc.integer({ min: 0, max: 4000 }),
        fc.boolean(),
        (plan, term, subscribers, addons, discount, waive) => {
          let pricing;
          try {
            pricing = priceSubscription(PRICE_BOOK_2025_1, { plan, term_months: term, subscribers, addons, discount_bps: discount, waive_setup: waive });
          } catch {
            return; // an add-on included in the plan is refused, as it must be
          }
          const sum = pricing.lines.reduce((t, l) => t + l.amount_cents, 0);
          expect(sum).toBe(pricing.first_invoice_cents);
          expect(pricing.lines.filter((l) => l.recurring).reduce((t, l) => t + l.amount_cents, 0)).toBe(pricing.monthly_cents);
          for (const line of pricing.lines) expect(Number.isSafeInteger(line.amount_cents)).toBe(true);
        },
      ),
    );
  });
});
