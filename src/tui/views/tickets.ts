import type { Page, Ticket } from '../../client/types.js';
import { PAGE, shortTime } from './fetching.js';
import type { ListView } from './types.js';

/** The ticket list's rows (GET /v1/tickets). */
export type TicketRow = Ticket;

export const ticketsView: ListView<TicketRow> = {
  name: 'tickets',
  title: 'Tickets',
  roles: ['master_admin', 'tenant_admin'],
  columns: [
    { header: 'id', width: 30, value: (t) => t.id },
    { header: 'tenant', width: 16, value: (t) => t.tenant_slug },
    { header: 'pri', width: 4, value: (t) => t.priority },
    { header: 'status', width: 10, value: (t) => t.status },
    { header: 'sla', width: 8, value: (t) => (t.breached ? 'BREACHED' : 'ok') },
    { header: 'due', width: 17, value: (t) => shortTime(t.response_due_at) },
    { header: 'subject', width: 40, value: (t) => t.subject },
  ],
  // the tickets route takes a text query itself
  fetch: async (client, q) => (await client.call<Page<TicketRow>>('GET', '/v1/tickets', { query: { limit: PAGE, q: q || undefined } })).data,
  key: (t) => t.id,
  tenantOf: (t) => t.tenant_slug,
  unavailable: 'tickets are not available on this API',
  actions: (t) =>
    t.priority === 'p1' || t.status === 'closed' || t.status === 'resolved'
      ? []
      : [
          {
            key: 'e',
            label: `escalate ticket ${t.id} (${t.priority} → p${Number(t.priority.slice(1)) - 1})`,
            command: `dotmac tickets escalate ${t.id}`,
            roles: ['master_admin', 'tenant_admin'],
            run: async (client) => {
              await client.call('POST', `/v1/tickets/${encodeURIComponent(t.id)}/escalate`, { body: {} });
              return `escalated ticket ${t.id}`;
            },
          },
        ],
};
