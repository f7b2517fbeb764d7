import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, escalated, responseDue } from '../../../../src/server/modules/tickets/sla.js';
import { transition } from '../../../../src/server/modules/tickets/status.js';
import { TICKET_STATUSES } from '../../../../src/db/tables/tickets.js';

const at = (iso: string) => new Date(iso);
const due = (priority: 'p1' | 'p2' | 'p3' | 'p4', from: string) => responseDue(priority, at(from)).toISOString();

describe('response SLAs', () => {
  it('p1 is due in 1 hour and p2 in 4, around the clock (weekends too)', () => {
    expect(due('p1', '2026-12-04T15:00:00.000Z')).toBe('2026-12-04T16:00:00.000Z');
    expect(due('p2', '2026-12-05T22:30:00.000Z')).toBe('2026-12-06T02:30:00.000Z'); // a Saturday night
  });

  it('p3 is 1 business day: opened Friday 15:00, due Monday 15:00', () => {
    expect(due('p3', '2026-12-04T15:00:00.000Z')).toBe('2026-12-07T15:00:00.000Z');
    expect(due('p3', '2026-12-01T09:00:00.000Z')).toBe('2026-12-02T09:00:00.000Z'); // Tuesday → Wednesday
  });

  it('p4 is 3 business days: Thursday 10:00 → Tuesday 10:00', () => {
    expect(due('p4', '2026-12-03T10:00:00.000Z')).toBe('2026-12-08T10:00:00.000Z');
    expect(due('p4', '2026-12-07T10:00:00.000Z')).toBe('2026-12-10T10:00:00.000Z'); // Monday → Thursday
  });

  it('a window opened on a weekend starts counting at Monday 00:00 UTC', () => {
    expect(due('p3', '2026-12-05T10:00:00.000Z')).toBe('2026-12-08T00:00:00.000Z'); // Saturday → Tuesday 00:00
    expect(due('p3', '2026-12-06T23:59:00.000Z')).toBe('2026-12-08T00:00:00.000Z'); // Sunday
    expect(addBusinessDays(at('2026-12-05T10:00:00.000Z'), 0).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });

  it('business days never land on a weekend, and count exactly N weekdays of time (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 10 }), (from, days) => {
        const end = addBusinessDays(from, days);
        expect([0, 6]).not.toContain(end.getUTCDay());
        expect(end.getTime()).toBeGreaterThan(from.getTime());
        // weekday milliseconds between the two are exactly `days` days
        let weekdayMs = 0;
        for (let t = from.getTime(); t < end.getTime(); ) {
          const d = new Date(t);
          const next = Math.min(end.getTime(), Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
          if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) weekdayMs += next - t;
          t = next;
        }
        expect(weekdayMs).toBe(days * 86_400_000);
      }),
    );
  });

  it('escalation goes one step up and stops at p1', () => {
    expect([escalated('p4'), escalated('p3'), escalated('p2'), escalated('p1')]).toEqual(['p3', 'p2', 'p1', null]);
  });
});

describe('the ticket lifecycle', () => {
  it('assign takes open to in_progress; resolve, reopen and close as documented; closed is final', () => {
    expect(transition('open', 'assign')).toEqual({ ok: true, to: 'in_progress', unchanged: false });
    expect(transition('in_progress', 'resolve')).toEqual({ ok: true, to: 'resolved', unchanged: false });
    expect(transition('resolved', 'reopen')).toEqual({ ok: true, to: 'open', unchanged: false });
    expect(transition('resolved', 'close')).toEqual({ ok: true, to: 'closed', unchanged: false });
    expect(transition('open', 'close')).toEqual({ ok: true, to: 'closed', unchanged: false });
    for (const verb of ['assign', 'resolve', 'reopen', 'comment', 'escalate'] as const) expect(transition('closed', verb).ok).toBe(false);
    expect(transition('resolved', 'assign').ok).toBe(false);
    expect(transition('resolved', 'escalate').ok).toBe(false);
  });

  it('a verb whose end state already holds is unchanged, never a conflict', () => {
    expect(transition('resolved', 'resolve')).toEqual({ ok: true, to: 'resolved', unchanged: true });
    expect(transition('open', 'reopen')).toEqual({ ok: true, to: 'open', unchanged: true });
    expect(transition('closed', 'close')).toEqual({ ok: true, to: 'closed', unchanged: true });
    for (const from of TICKET_STATUSES) {
      const step = transition(from, 'close');
      expect(step.ok).toBe(true);
    }
  });
});
