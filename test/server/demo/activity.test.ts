// The demo's tickets are as the SLA rules would have left them, so a new workspace does not start
// with the SLA check escalating its demo tickets, nor show a p1 due in three days.
import { describe, expect, it } from 'vitest';
import { generateActivity } from '../../../src/server/demo/activity.js';
import { generateDemoData } from '../../../src/server/demo/generator.js';
import type { TicketRow } from '../../../src/db/tables/tickets.js';
import { responseDue } from '../../../src/server/modules/tickets/sla.js';

describe('demo tickets', () => {
  it('are each within a response window the rules give, or breached and escalated as the check leaves them', () => {
    // a Monday and a Saturday: business days count differently
    for (const now of [new Date('2026-11-30T09:15:00Z'), new Date('2026-12-05T22:40:00Z')]) {
      const data = generateDemoData(40, now);
      const tickets = (generateActivity(data.tenants, data.resellers, now).tickets ?? []) as unknown as TicketRow[];
      expect(tickets.length).toBe(20);
      expect(new Set(tickets.map((t) => t.priority))).toEqual(new Set(['p1', 'p2', 'p3', 'p4']));
      for (const t of tickets) {
        expect(Date.parse(t.created_at)).toBeLessThan(now.getTime());
        if (t.response_due_at === null) {
          // only a p1 has no step left, and waits without a window once breached
          expect([t.priority, t.breaches]).toEqual(['p1', 1]);
        } else {
          expect(t.response_due_at).toBe(responseDue(t.priority, new Date(t.sla_started_at!)).toISOString());
          expect(Date.parse(t.response_due_at)).toBeGreaterThan(now.getTime());
        }
        if (t.breaches > 0) expect(Date.parse(t.last_breach_at!)).toBeLessThan(now.getTime());
        else expect(t.last_breach_at).toBeNull();
      }
      expect(tickets.filter((t) => t.breaches > 0).length).toBe(7);
    }
  });
});

describe('demo billing', () => {
  it('bills every subscription each month since it started, so revenue retention has a base', () => {
    const now = new Date('2026-12-03T09:00:00Z');
    const data = generateDemoData(60, now);
    const activity = generateActivity(data.tenants, data.resellers, now);
    const invoices = activity.invoices as { subscription_id: string; period: string; kind: string; status: string; paid_on: string | null; issued_on: string }[];
    for (const sub of activity.subscriptions as { id: string; started_on: string }[]) {
      const periods = invoices.filter((i) => i.subscription_id === sub.id).map((i) => i.period);
      const first = sub.started_on.slice(0, 7);
      // one invoice per month from the start's month to this one, never two for a month
      expect(new Set(periods).size).toBe(periods.length);
      expect(periods.sort()[0]).toBe(first);
      expect(periods).toContain('2026-12');
      expect(periods).toContain('2026-11');
    }
    // nothing is paid in the future
    expect(invoices.every((i) => i.paid_on === null || i.paid_on <= '2026-12-03')).toBe(true);
    expect(invoices.filter((i) => i.period === '2026-12').every((i) => i.status === 'open')).toBe(true);
  });
});

describe('demo ids', () => {
  it('sort as their rows are dated, so lists ordered by id ("newest first") show the demo history in time order', () => {
    const now = new Date('2026-12-03T09:00:00Z');
    const data = generateDemoData(40, now);
    const activity = generateActivity(data.tenants, data.resellers, now);
    for (const table of ['jobs', 'deployments', 'health_checks', 'tickets', 'opportunities'] as const) {
      const rows = activity[table] as { id: string; created_at?: string; at?: string }[];
      expect(rows.length, table).toBeGreaterThan(1);
      const byId = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => r.created_at ?? r.at);
      expect(byId, table).toEqual([...byId].sort());
    }
  });
});
