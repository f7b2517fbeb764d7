import type { ApiClient } from '../../../src/client/api-client.js';
import type { Ticket } from '../../../src/client/types.js';
import { readAll } from '../pages.js';

/**
 * Support tickets in the isolation model. The SLA check runs as of one of two instants: one
 * before anything was opened (it breaches nothing) and FUTURE, after every response due now; so
 * a ticket's due time is followed only as which side of FUTURE it falls on.
 */
export const PAST = '2020-01-01T00:00:00.000Z';
export const FUTURE = '2099-01-05T00:00:00.000Z';

export interface TicketState {
  id: string;
  tenant_id: string;
  status: string;
  priority: string;
  assignee: string | null;
  csat: number | null;
  breaches: number;
  /** when a staff response is due: before FUTURE (near), after it (far), or none awaited */
  due: 'near' | 'far' | null;
}

export const ticketOf = (t: Ticket): TicketState => ({
  id: t.id,
  tenant_id: t.tenant_id,
  status: t.status,
  priority: t.priority,
  assignee: t.assignee,
  csat: t.csat,
  breaches: t.breaches,
  due: t.response_due_at === null ? null : t.response_due_at <= FUTURE ? 'near' : 'far',
});

export async function readTickets(admin: ApiClient): Promise<TicketState[]> {
  const rows = await readAll<Ticket>(admin, '/v1/tickets');
  return rows.map(ticketOf).sort((a, b) => (a.id < b.id ? -1 : 1));
}
