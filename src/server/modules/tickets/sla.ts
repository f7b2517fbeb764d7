import { TICKET_PRIORITIES, type TicketPriority } from '../../../db/tables/tickets.js';

// Response SLAs as pure rules: when the first staff response is due, and what a breach escalates to.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** p1 1 hour, p2 4 hours (around the clock); p3 1 business day, p4 3 business days. */
export const RESPONSE_SLA: Readonly<Record<TicketPriority, { hours: number } | { businessDays: number }>> = {
  p1: { hours: 1 },
  p2: { hours: 4 },
  p3: { businessDays: 1 },
  p4: { businessDays: 3 },
};

/** How the SLA reads in messages and docs: "1 h", "1 business day". */
export function describeSla(priority: TicketPriority): string {
  const sla = RESPONSE_SLA[priority];
  if ('hours' in sla) return `${sla.hours} h`;
  return `${sla.businessDays} business day${sla.businessDays === 1 ? '' : 's'}`;
}

const isWeekend = (at: Date) => at.getUTCDay() === 0 || at.getUTCDay() === 6;

function startOfNextDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/**
 * `from` plus `days` business days (Monday to Friday, UTC; no holidays): only weekday time
 * counts. A ticket opened on a weekend starts counting at Monday 00:00, so a Friday 15:00 start
 * plus one business day is Monday 15:00, and a Saturday start plus one is Tuesday 00:00.
 */
export function addBusinessDays(from: Date, days: number): Date {
  let at = new Date(from.getTime());
  while (isWeekend(at)) at = startOfNextDay(at);
  for (let i = 0; i < days; i++) {
    at = new Date(at.getTime() + DAY_MS);
    while (isWeekend(at)) at = new Date(at.getTime() + DAY_MS);
  }
  return at;
}

/** When the first staff response to a window that starts at `from` is due. */
export function responseDue(priority: TicketPriority, from: Date): Date {
  const sla = RESPONSE_SLA[priority];
  return 'hours' in sla ? new Date(from.getTime() + sla.hours * HOUR_MS) : addBusinessDays(from, sla.businessDays);
}

/** One step up (p4 → p3 → p2 → p1); null for p1, which has nowhere to go. */
export function escalated(priority: TicketPriority): TicketPriority | null {
  const index = TICKET_PRIORITIES.indexOf(priority);
  return index > 0 ? TICKET_PRIORITIES[index - 1]! : null;
}
