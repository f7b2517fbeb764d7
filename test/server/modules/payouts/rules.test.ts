import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMISSION_STATUSES } from '../../../../src/server/modules/commissions/rules.js';
import { isPayable, payoutCutoff, planPayouts, type PayableEvent } from '../../../../src/server/modules/payouts/rules.js';

const ev = (id: string, over: Partial<PayableEvent> = {}): PayableEvent => ({ id, reseller_id: 'res_a', amount_cents: 6_000, status: 'pending', eligible_on: '2026-02-10', payout_id: null, ...over });

describe('payout runs', () => {
  it('pay what became eligible by the last day of the previous month', () => {
    expect(payoutCutoff('2026-03-15')).toBe('2026-02-28');
    expect(payoutCutoff('2026-01-15')).toBe('2025-12-31');
    const plans = planPayouts('2026-03-15', [ev('a'), ev('b', { eligible_on: '2026-02-28' }), ev('c', { eligible_on: '2026-03-01' })]);
    expect(plans).toEqual([{ reseller_id: 'res_a', cutoff: '2026-02-28', event_ids: ['a', 'b'], net_cents: 12_000, outcome: 'paid' }]);
  });

  it('carry forward a balance under 10,000 cents, and a negative one, net of clawbacks', () => {
    expect(planPayouts('2026-03-15', [ev('a', { amount_cents: 9_999 })])[0]!.outcome).toBe('carried_forward');
    expect(planPayouts('2026-03-15', [ev('a', { amount_cents: 10_000 })])[0]!.outcome).toBe('paid');
    const net = planPayouts('2026-03-15', [ev('a', { amount_cents: 15_000 }), ev('b', { amount_cents: -6_000 })])[0]!;
    expect(net).toMatchObject({ net_cents: 9_000, outcome: 'carried_forward' });
    expect(planPayouts('2026-03-15', [ev('a', { amount_cents: -6_000 })])[0]).toMatchObject({ net_cents: -6_000, outcome: 'carried_forward' });
  });

  it('never pay an ineligible, disputed, cancelled or paid event; a second run over the paid events pays nothing', () => {
    const arbEvent = fc.record({
      id: fc.uuid(),
      reseller_id: fc.constantFrom('res_a', 'res_b', 'res_c'),
      amount_cents: fc.integer({ min: -50_000, max: 50_000 }),
      status: fc.constantFrom(...COMMISSION_STATUSES),
      eligible_on: fc.constantFrom('2026-01-31', '2026-02-01', '2026-02-28', '2026-03-01', '2026-03-15'),
      payout_id: fc.constantFrom(null, null, 'pay_x'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbEvent, { selector: (e) => e.id, maxLength: 40 }), (events) => {
        const plans = planPayouts('2026-03-15', events);
        const byId = new Map(events.map((e) => [e.id, e]));
        for (const plan of plans) {
          for (const id of plan.event_ids) {
            const e = byId.get(id)!;
            expect(['pending', 'eligible']).toContain(e.status);
            expect(e.eligible_on <= '2026-02-28').toBe(true);
            expect(e.payout_id).toBeNull();
            expect(e.reseller_id).toBe(plan.reseller_id);
          }
          expect(Number.isSafeInteger(plan.net_cents)).toBe(true);
          expect(plan.outcome === 'paid').toBe(plan.net_cents >= 10_000);
        }
        const paid = new Set(plans.filter((p) => p.outcome === 'paid').flatMap((p) => p.event_ids));
        const after = events.map((e) => (paid.has(e.id) ? { ...e, status: 'paid' as const, payout_id: 'pay_new' } : e));
        const again = planPayouts('2026-03-15', after);
        expect(again.filter((p) => p.outcome === 'paid')).toEqual([]);
        for (const e of events) if (!isPayable(e, '2026-02-28')) expect(paid.has(e.id)).toBe(false);
      }),
    );
  });
});
