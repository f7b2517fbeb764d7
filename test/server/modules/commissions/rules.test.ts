import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBps, chooseRate, roundHalfUp, effectiveTier, partnerTier, ruleApplies, tierForRevenue, type CommissionRule, type Partner } from '../../../../src/server/modules/commissions/rates.js';
import {
  attainmentBps,
  clawbacksForCancellation,
  clawbacksForRefund,
  commissionsForPaidInvoice,
  disputeOpen,
  quarterBonus,
  type NewCommissionEvent,
  type PaidInvoiceInput,
  type RecordedEvent,
} from '../../../../src/server/modules/commissions/rules.js';

const partner = (over: Partial<Partner> = {}): Partner => ({ id: 'res_a', kind: 'reseller', tier: 'bronze', tier_source: 'manual', default_commission_bps: null, ...over });
const rule = (over: Partial<CommissionRule>): CommissionRule => ({
  id: 'crl_1', priority: 100, bps: 2_222, reseller_id: null, tenant_id: null, plan: null, commission_type: null, description: 'a rule', active_from: '2026-01-01', active_to: null, ...over,
});
const paid = (over: Partial<PaidInvoiceInput> = {}): PaidInvoiceInput => ({
  reseller: partner(),
  rules: [],
  subscription: { id: 'sub_1', tenant_id: 'ten_1', plan: 'professional', term_months: 12, started_on: '2026-01-01' },
  invoice: { id: 'inv_1', period: '2026-01', paid_on: '2026-01-10', recurring_cents: 14_900, total_cents: 64_900 },
  month: 1,
  first_paid: true,
  expansion_mrr_cents: 0,
  ...over,
});
const byType = (events: NewCommissionEvent[]) => Object.fromEntries(events.map((e) => [e.type, e.amount_cents]));

describe('tiers', () => {
  it('follow lifetime partner-sourced revenue: $50k silver, $150k gold, $500k platinum', () => {
    expect(tierForRevenue(0)).toBe('bronze');
    expect(tierForRevenue(4_999_999)).toBe('bronze');
    expect(tierForRevenue(5_000_000)).toBe('silver');
    expect(tierForRevenue(15_000_000)).toBe('gold');
    expect(tierForRevenue(49_999_999)).toBe('gold');
    expect(tierForRevenue(50_000_000)).toBe('platinum');
  });

  it('read the foundation\'s "registered" as bronze, and a manual tier as set', () => {
    expect(partnerTier('registered')).toBe('bronze');
    expect(effectiveTier(partner({ tier: 'gold', tier_source: 'manual' }), 0)).toBe('gold');
    expect(effectiveTier(partner({ tier: 'gold', tier_source: 'revenue' }), 5_000_000)).toBe('silver');
  });
});

describe('rate precedence: account override, rules by priority, partner default, tier table', () => {
  const q = { partner: partner(), tier: 'bronze' as const, type: 'recurring' as const, tenant_id: 'ten_1', plan: 'starter', on: '2026-03-01' };

  it('falls back to the tier table, naming it', () => {
    expect(chooseRate({ ...q, rules: [] })).toMatchObject({ bps: 1_500, source: 'tier' });
    expect(chooseRate({ ...q, partner: partner({ kind: 'referral' }), tier: 'gold', rules: [] })).toMatchObject({ bps: 1_500, source: 'tier' });
    expect(chooseRate({ ...q, type: 'bonus', tier: 'platinum', rules: [] })).toMatchObject({ bps: 800, source: 'tier' });
  });

  it('takes the partner default over the tier, halved for renewal', () => {
    const p = partner({ default_commission_bps: 1_801 });
    expect(chooseRate({ ...q, partner: p, rules: [] })).toMatchObject({ bps: 1_801, source: 'partner_default' });
    expect(chooseRate({ ...q, type: 'renewal', partner: p, rules: [] })).toMatchObject({ bps: 901, source: 'partner_default' });
  });

  it('takes the first applicable rule by priority over the default, and an account override over every rule', () => {
    const rules = [rule({ id: 'crl_b', priority: 20, bps: 1_900 }), rule({ id: 'crl_a', priority: 10, bps: 1_700, plan: 'starter' }), rule({ id: 'crl_x', priority: 1, bps: 9_000, plan: 'enterprise' })];
    const p = partner({ default_commission_bps: 1_801 });
    expect(chooseRate({ ...q, partner: p, rules })).toMatchObject({ bps: 1_700, source: 'rule', rule_id: 'crl_a' });
    const override = rule({ id: 'crl_o', priority: 999, bps: 2_600, tenant_id: 'ten_1' });
    expect(chooseRate({ ...q, partner: p, rules: [...rules, override] })).toMatchObject({ bps: 2_600, source: 'account_override', rule_id: 'crl_o' });
    expect(chooseRate({ ...q, tenant_id: 'ten_2', partner: p, rules: [...rules, override] })).toMatchObject({ rule_id: 'crl_a' });
  });

  it('ignores rules for another reseller, another type, or outside their dates', () => {
    const rules = [
      rule({ id: 'crl_1', reseller_id: 'res_other' }),
      rule({ id: 'crl_2', commission_type: 'upsell' }),
      rule({ id: 'crl_3', active_from: '2026-03-02' }),
      rule({ id: 'crl_4', active_to: '2026-02-28' }),
    ];
    expect(chooseRate({ ...q, rules }).source).toBe('tier');
    expect(chooseRate({ ...q, type: 'upsell', rules })).toMatchObject({ rule_id: 'crl_2' });
    expect(chooseRate({ ...q, rules: [rule({ active_from: '2026-03-01', active_to: '2026-03-01' })] }).source).toBe('rule');
  });

  it('chooses, among any rules, what the precedence says read literally: applicable rules sorted by priority then id, an override before the rest', () => {
    // the definition, as COMMERCE.md reads: filter, sort, take the first of each kind
    const literally = (question: Parameters<typeof chooseRate>[0]) => {
      const candidates = question.rules.filter((r) => ruleApplies(r, question)).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const override = question.type === 'bonus' ? undefined : candidates.find((r) => r.tenant_id !== null && r.tenant_id === question.tenant_id);
      const general = candidates.find((r) => r.tenant_id === null && (question.type !== 'bonus' || r.commission_type === 'bonus'));
      const chosen = override ?? general;
      return chosen ? { rule_id: chosen.id, source: override ? 'account_override' : 'rule' } : { rule_id: undefined, source: chooseRate({ ...question, rules: [] }).source };
    };
    const ruleArb = fc.record({
      id: fc.constantFrom('crl_a', 'crl_b', 'crl_c', 'crl_d'),
      priority: fc.integer({ min: 1, max: 4 }),
      bps: fc.integer({ min: 0, max: 5_000 }),
      reseller_id: fc.constantFrom(null, 'res_a', 'res_b'),
      tenant_id: fc.constantFrom(null, 'ten_1', 'ten_2'),
      plan: fc.constantFrom(null, 'starter', 'enterprise'),
      commission_type: fc.constantFrom(null, 'recurring', 'renewal', 'upsell', 'bonus'),
      description: fc.constant('a rule'),
      active_from: fc.constantFrom('2026-01-01', '2026-03-01', '2026-04-01'),
      active_to: fc.constantFrom(null, '2026-02-28', '2026-03-01'),
    }) as fc.Arbitrary<CommissionRule>;
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 8 }), fc.constantFrom('recurring', 'renewal', 'upsell', 'bonus'), fc.constantFrom(null, 1_801), (rules, type, defaultBps) => {
        const question = { ...q, partner: partner({ default_commission_bps: defaultBps }), type, rules };
        const chosen = chooseRate(question);
        expect({ rule_id: chosen.rule_id, source: chosen.source }).toEqual(literally(question));
      }),
    );
  });
});

describe('a paid invoice\'s commissions', () => {
  it('month 1 on a 12-month term: recurring 1,500 bps plus 5 % contract bonus, initial half the commission before the bonus', () => {
    // 14,900 × 15 % = 2,235; bonus 5 % = 111.75 → 112; initial 50 % of 2,235 = 1,117.5 → 1,118
    const events = commissionsForPaidInvoice(paid());
    expect(byType(events)).toEqual({ recurring: 2_347, initial: 1_118 });
    const recurring = events.find((e) => e.type === 'recurring')!;
    expect(recurring).toMatchObject({ base_cents: 14_900, rate_bps: 1_500, eligible_on: '2026-02-09', period: '2026-01', key: 'recurring:inv_1' });
    expect(recurring.basis).toMatchObject({ commission_cents: 2_235, contract_bonus_bps: 500, contract_bonus_cents: 112, source: 'tier' });
  });

  it('gold on a 24-month term: 10 % contract bonus', () => {
    // 49,900 × 25 % = 12,475; bonus 1,247.5 → 1,248; initial 6,237.5 → 6,238
    const events = commissionsForPaidInvoice(paid({ reseller: partner({ tier: 'gold' }), subscription: { ...paid().subscription, term_months: 24 }, invoice: { ...paid().invoice, recurring_cents: 49_900, total_cents: 199_900 } }));
    expect(byType(events)).toEqual({ recurring: 13_723, initial: 6_238 });
  });

  it('monthly term: no contract bonus; month 2: no initial', () => {
    expect(byType(commissionsForPaidInvoice(paid({ subscription: { ...paid().subscription, term_months: 1 } })))).toEqual({ recurring: 2_235, initial: 1_118 });
    expect(byType(commissionsForPaidInvoice(paid({ month: 2, first_paid: false })))).toEqual({ recurring: 2_347 });
  });

  it('from month 13: renewal at half the bps, none for a referral partner', () => {
    // 14,900 × 750 bps = 1,117.5 → 1,118
    expect(byType(commissionsForPaidInvoice(paid({ month: 13, first_paid: false })))).toEqual({ renewal: 1_118 });
    expect(commissionsForPaidInvoice(paid({ month: 13, first_paid: false, reseller: partner({ kind: 'referral' }) }))).toEqual([]);
  });

  it('upsell: the expansion MRR × bps with no contract bonus, recurring on the original revenue', () => {
    // recurring 24,800 incl. 9,900 of expansion: recurring on 14,900 (2,347 with bonus); upsell 9,900 × 15 % = 1,485
    const events = commissionsForPaidInvoice(paid({ month: 4, first_paid: false, expansion_mrr_cents: 9_900, invoice: { ...paid().invoice, recurring_cents: 24_800, total_cents: 24_800 } }));
    expect(byType(events)).toEqual({ recurring: 2_347, upsell: 1_485 });
  });

  it('is capped at 5,000 bps of the invoice: upsell trimmed first, then initial', () => {
    const override = rule({ tenant_id: 'ten_1', bps: 5_000 });
    // recurring 14,900 × 50 % = 7,450 + 373 bonus = 7,823; initial 3,725; cap = 14,900 × 50 % = 7,450
    const events = commissionsForPaidInvoice(paid({ rules: [override], invoice: { ...paid().invoice, total_cents: 14_900 } }));
    expect(byType(events)).toEqual({ recurring: 7_450 });
    expect(events[0]!.basis).toMatchObject({ capped_from_cents: 7_823, cap_cents: 7_450, source: 'account_override' });
  });

  it('keeps money in whole cents and within the cap, whatever the numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(1, 12, 24, 36),
        fc.constantFrom('bronze', 'silver', 'gold', 'platinum'),
        fc.constantFrom('reseller' as const, 'referral' as const),
        fc.integer({ min: 0, max: 10_000 }),
        (recurring, extra, month, term, tier, kind, expansion) => {
          const events = commissionsForPaidInvoice(paid({
            reseller: partner({ tier, kind }),
            month,
            first_paid: month === 1,
            expansion_mrr_cents: expansion,
            subscription: { ...paid().subscription, term_months: term },
            invoice: { ...paid().invoice, recurring_cents: recurring, total_cents: recurring + extra },
          }));
          for (const e of events) {
            expect(Number.isSafeInteger(e.amount_cents)).toBe(true);
            expect(e.amount_cents).toBeGreaterThan(0);
          }
          expect(events.reduce((s, e) => s + e.amount_cents, 0)).toBeLessThanOrEqual(applyBps(recurring + extra, 5_000));
          expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
        },
      ),
    );
  });
});

describe('the quarterly bonus', () => {
  const input = { reseller: partner({ tier: 'silver' }), rules: [], quarter: '2026-Q1', quota_cents: 200_000, collected_cents: 1_000_000 };

  it('pays bonus bps at 100 % attainment and 1.5 × at 125 %, nothing below', () => {
    expect(attainmentBps(250_000, 200_000)).toBe(12_500);
    expect(quarterBonus({ ...input, booked_cents: 199_999 })).toBeNull();
    expect(quarterBonus({ ...input, booked_cents: 200_000 })).toMatchObject({ amount_cents: 50_000, rate_bps: 500, period: '2026-03', eligible_on: '2026-04-30', key: 'bonus:2026-Q1' });
    expect(quarterBonus({ ...input, booked_cents: 249_999 })!.amount_cents).toBe(50_000);
    const boosted = quarterBonus({ ...input, booked_cents: 250_000 })!;
    expect(boosted.amount_cents).toBe(75_000);
    expect(boosted.basis).toMatchObject({ attainment_bps: 12_500, multiplier: '1.5' });
  });

  it('rounds once: 1,001 × 300 bps × 1.5 = 45.045 → 45', () => {
    expect(quarterBonus({ ...input, reseller: partner(), collected_cents: 1_001, booked_cents: 300_000 })!.amount_cents).toBe(45);
  });

  it('needs a quota', () => {
    expect(quarterBonus({ ...input, quota_cents: null, booked_cents: 1 })).toBeNull();
    expect(quarterBonus({ ...input, quota_cents: 0, booked_cents: 1 })).toBeNull();
  });
});

const recorded = (e: NewCommissionEvent, over: Partial<RecordedEvent> = {}): RecordedEvent => ({ id: `com_${e.key}`, status: 'pending', payout_id: null, ...e, ...over });

describe('clawbacks within 90 days of the first paid invoice', () => {
  const events = commissionsForPaidInvoice(paid());

  it('a cancellation cancels an unpaid initial, and reverses a paid one with a negative event', () => {
    const unpaid = events.map((e) => recorded(e));
    expect(clawbacksForCancellation({ events: unpaid, first_paid_on: '2026-01-10', cancelled_on: '2026-04-10' })).toEqual({ cancel: ['com_initial:inv_1'], create: [] });
    expect(clawbacksForCancellation({ events: unpaid, first_paid_on: '2026-01-10', cancelled_on: '2026-04-11' })).toEqual({ cancel: [], create: [] });
    const paidOut = events.map((e) => recorded(e, { status: 'paid', payout_id: 'pay_1' }));
    const { create } = clawbacksForCancellation({ events: paidOut, first_paid_on: '2026-01-10', cancelled_on: '2026-03-01' });
    expect(create).toHaveLength(1);
    expect(create[0]).toMatchObject({ type: 'clawback', amount_cents: -1_118, reverses_id: 'com_initial:inv_1', eligible_on: '2026-03-01', period: '2026-03' });
  });

  it('a partial refund reverses each event pro rata', () => {
    // refund 32,450 of 64,900 (half): recurring 2,347 → 1,173.5 → 1,174; initial 1,118 → 559
    const paidOut = events.map((e) => recorded(e, { status: 'paid', payout_id: 'pay_1' }));
    const { create, cancel } = clawbacksForRefund({ events: paidOut, invoice: { id: 'inv_1', total_cents: 64_900 }, refund: { id: 'ref_1', on: '2026-02-01', refunded_cents: 32_450 }, first_paid_on: '2026-01-10' });
    expect(cancel).toEqual([]);
    expect(create.map((e) => e.amount_cents)).toEqual([-1_174, -559]);
  });

  it('a full refund cancels unpaid events and nets paid ones to zero, at once or in parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 5 }), fc.boolean(), (total, parts, wasPaid) => {
        const earned = commissionsForPaidInvoice(paid({ invoice: { ...paid().invoice, recurring_cents: total, total_cents: total } }));
        let book: RecordedEvent[] = earned.map((e) => recorded(e, wasPaid ? { status: 'paid', payout_id: 'pay_1' } : {}));
        // refunds of random shares, then the rest
        const steps = [...parts.map((p) => Math.floor((total * p) / 50_000)), total];
        let refunded = 0;
        steps.forEach((step, i) => {
          refunded = Math.min(total, refunded + step);
          const out = clawbacksForRefund({ events: book, invoice: { id: 'inv_1', total_cents: total }, refund: { id: `ref_${i}`, on: '2026-02-01', refunded_cents: refunded }, first_paid_on: '2026-01-10' });
          book = book.map((e) => (out.cancel.includes(e.id) ? { ...e, status: 'cancelled' } : e));
          book.push(...out.create.map((e) => recorded(e)));
        });
        const live = book.filter((e) => e.status !== 'cancelled');
        expect(live.reduce((s, e) => s + e.amount_cents, 0)).toBe(0);
        for (const e of book) expect(Number.isSafeInteger(e.amount_cents)).toBe(true);
      }),
    );
  });

  it('reverses nothing after 90 days', () => {
    const out = clawbacksForRefund({ events: events.map((e) => recorded(e)), invoice: { id: 'inv_1', total_cents: 64_900 }, refund: { id: 'ref_1', on: '2026-04-11', refunded_cents: 64_900 }, first_paid_on: '2026-01-10' });
    expect(out).toEqual({ cancel: [], create: [] });
  });
});

describe('disputes', () => {
  it('are open until 60 days after the statement of the event\'s period', () => {
    expect(disputeOpen('2026-01', '2026-04-01')).toBe(true);
    expect(disputeOpen('2026-01', '2026-04-02')).toBe(false);
  });
});

describe('rounding', () => {
  const exact = (n: bigint, d: bigint) => Number((2n * n + d) / (2n * d));
  it('rounds half up exactly with plain numbers, as BigInt does, up to the largest safe integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n }), fc.bigInt({ min: 1n, max: 2n ** 40n }), (n, d) => {
        expect(roundHalfUp(Number(n), Number(d))).toBe(exact(BigInt(Number(n)), BigInt(Number(d))));
        expect(roundHalfUp(n, d)).toBe(exact(n, d));
      }),
      { numRuns: 2_000 },
    );
    // halves go up, whatever their size
    expect([roundHalfUp(5, 10), roundHalfUp(15, 10), roundHalfUp(2 ** 51 + 1, 2)]).toEqual([1, 2, 2 ** 50 + 1]);
  });

  it('applies basis points to any whole-cent amount as BigInt does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 40_000 }), (cents, bps) => {
        expect(applyBps(cents, bps)).toBe(exact(BigInt(cents) * BigInt(bps), 10_000n));
      }),
      { numRuns: 2_000 },
    );
  });
});
