// The panes' data: a filter covers the whole list, not the page on screen; the tickets pane against
// the planned tickets API (GET /v1/tickets, POST /v1/tickets/{id}/escalate) until that module lands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/client/api-client.js';
import type { Transport } from '../../src/client/transport.js';
import { pageOrFiltered, rowMatches } from '../../src/tui/views/fetching.js';
import type { TicketRow } from '../../src/tui/views/tickets.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { FakeScreen, KEY, startDashboard, type Dashboard } from './dashboard-support.js';

describe('a filter', () => {
  it('pages through the whole list on a route without a text query', async () => {
    const all = Array.from({ length: 1234 }, (_, i) => ({ id: `row-${i}`, name: i === 1200 ? 'the needle' : `hay ${i}` }));
    const asked: (string | undefined)[] = [];
    const found = await pageOrFiltered(async ({ limit, cursor }) => {
      asked.push(cursor);
      const start = Number(cursor ?? 0);
      const next = start + limit < all.length ? String(start + limit) : null;
      return { data: all.slice(start, start + limit), next_cursor: next };
    }, 'NEEDLE');
    expect(found).toEqual([{ id: 'row-1200', name: 'the needle' }]);
    expect(asked).toEqual([undefined, '500', '1000']);
  });

  it('matches text and numbers, not nested objects', () => {
    expect(rowMatches({ slug: 'Acme', plan: 'starter' }, 'acm')).toBe(true);
    expect(rowMatches({ score: 71 }, '71')).toBe(true);
    expect(rowMatches({ basis: { rule: 'acme' } }, 'acme')).toBe(false);
  });
});

describe('the tickets view', () => {
  let api: TestApi;
  let dash: Dashboard | undefined;
  let ticket: { id: string };

  beforeEach(async () => {
    api = await startTestApi();
    await api.admin.tenants.create({ slug: 'acme', name: 'Acme ISP' });
    ticket = await api.admin.tickets.create({ tenant: 'acme', subject: 'Radius down', priority: 'p3' });
    // a p3 answers within one business day: four days on, it has breached (and the check escalated it to p2)
    api.clock.advance(4 * 24 * 3600_000);
    await api.admin.tickets.slaCheck({});
  });
  afterEach(async () => {
    dash?.unmount();
    await api.close();
  });

  it('lists tickets with their SLA, escalates one after confirmation, and shows them in a tenant\'s detail', async () => {
    dash = await startDashboard(api.admin, { screen: new FakeScreen(140, 30) });
    await dash.waitFor('acme');
    await dash.press(':');
    await dash.type('tickets');
    await dash.press(KEY.enter);
    await dash.waitFor(new RegExp(`${ticket.id}\\s+acme\\s+p2\\s+open\\s+BREACHED\\s+\\S+ \\S+\\s+Radius down`));
    await dash.press('a');
    await dash.waitFor(new RegExp(`e  escalate ticket ${ticket.id} \\(p2 → p1\\)\\s+\\$ dotmac tickets escalate ${ticket.id}`));
    await dash.press('e', 'y');
    await dash.waitFor(new RegExp(`escalated ticket ${ticket.id}\\s+\\$ dotmac tickets escalate ${ticket.id}`));
    await dash.waitFor(new RegExp(`${ticket.id}\\s+acme\\s+p1`));
    expect((await api.admin.tickets.get(ticket.id)).priority).toBe('p1');
    await dash.press(KEY.enter);
    await dash.waitFor(new RegExp(`tenant acme[\\s\\S]*Tickets\\n\\s+${ticket.id}\\s+p1 open\\s+BREACHED Radius down`));
  });
});
