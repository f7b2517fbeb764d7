// Support tickets as a new user runs them, in local mode: a tenant admin opens and follows its
// own, staff work them, the SLA check runs as of a time given with --at, bad input fails in one
// line with its exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

interface Ticket {
  id: string;
  priority: string;
  status: string;
  created_at: string;
  response_due_at: string | null;
  breaches: number;
  csat: number | null;
  history: { kind: string; from: string | null; to: string | null; reason: string | null }[];
}

let ws: Workspace;
let acme: Record<string, string>;
let beta: Record<string, string>;
beforeAll(async () => {
  ws = await newWorkspace();
  for (const slug of ['acme', 'beta']) await ws.json(['tenants', 'create', '--slug', slug, '--name', slug.toUpperCase()]);
  acme = { DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'acme'])).token };
  beta = { DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'beta'])).token };
});
afterAll(() => cleanup());

describe('tickets', () => {
  it('a tenant admin opens one; staff answer, resolve; the admin reopens and closes it with CSAT', async () => {
    const opened = await ws.json<Ticket>(['tickets', 'create', '--subject', 'Radius timeouts', '--priority', 'p2', '--body', 'since 09:00'], { env: acme });
    expect(opened).toMatchObject({ status: 'open', priority: 'p2' });
    expect(Date.parse(opened.response_due_at!) - Date.parse(opened.created_at)).toBe(4 * 3_600_000);
    await ws.json(['tickets', 'comment', opened.id, '--body', 'looking into it']);
    expect((await ws.json<Ticket>(['tickets', 'get', opened.id], { env: acme })).response_due_at).toBeNull();
    await ws.json(['tickets', 'resolve', opened.id]);
    expect(await ws.json<Ticket>(['tickets', 'reopen', opened.id, '--reason', 'still failing'], { env: acme })).toMatchObject({ status: 'open' });
    expect(await ws.json<Ticket>(['tickets', 'close', opened.id, '--csat', '4'], { env: acme })).toMatchObject({ status: 'closed', csat: 4 });
    const again = await ws.run(['tickets', 'reopen', opened.id], { env: acme });
    expect(again.code).toBe(6);
    expectOneLineError(again);
  });

  it('sla-check --at breaches once and escalates one step; a time before the ticket breaches nothing', async () => {
    const t = await ws.json<Ticket>(['tickets', 'create', '--tenant', 'acme', '--subject', 'Slow portal', '--priority', 'p1']);
    const opened = Date.parse(t.created_at);
    const before = await ws.json<{ breached: { ticket_id: string }[] }>(['tickets', 'sla-check', '--at', new Date(opened - 3_600_000).toISOString()]);
    expect(before.breached.map((b) => b.ticket_id)).not.toContain(t.id);
    const at = new Date(opened + 2 * 3_600_000).toISOString();
    const first = await ws.json<{ breached: { ticket_id: string; to_priority: string | null }[] }>(['tickets', 'sla-check', '--at', at]);
    expect(first.breached.filter((b) => b.ticket_id === t.id)).toEqual([expect.objectContaining({ to_priority: null })]);
    const second = await ws.json<{ breached: { ticket_id: string }[] }>(['tickets', 'sla-check', '--at', at]);
    expect(second.breached.map((b) => b.ticket_id)).not.toContain(t.id);
    const after = await ws.json<Ticket>(['tickets', 'get', t.id]);
    expect(after.breaches).toBe(1);
    expect(after.history.map((h) => h.kind)).toContain('breach');
    const listed = await ws.json<{ id: string }[]>(['tickets', 'list', '--breached']);
    expect(listed.map((x) => x.id)).toContain(t.id);
    const escalate = await ws.run(['tickets', 'escalate', t.id]);
    expect(escalate.code).toBe(6);
    expect(expectOneLineError(escalate).message).toContain('already p1');
  });

  it('bad input: an SLA-less priority, an empty subject, a CSAT outside 1–5, another tenant\'s ticket, a tenant admin\'s sla-check', async () => {
    const priority = await ws.run(['tickets', 'create', '--tenant', 'acme', '--subject', 'x', '--priority', 'p5']);
    expect(priority.code).toBe(2);
    expect(expectOneLineError(priority).message).toMatch(/p1, p2, p3, p4/);
    const empty = await ws.run(['tickets', 'create', '--tenant', 'acme', '--subject', '', '--priority', 'p3']);
    expect(empty.code).toBe(2);
    expectOneLineError(empty);
    const t = await ws.json<Ticket>(['tickets', 'create', '--subject', 'Beta only', '--priority', 'p4'], { env: beta });
    const csat = await ws.run(['tickets', 'close', t.id, '--csat', '6'], { env: beta });
    expect(csat.code).toBe(2);
    expectOneLineError(csat);
    const other = await ws.run(['tickets', 'get', t.id], { env: acme });
    expect(other.code).toBe(5);
    expectOneLineError(other);
    const staffOnly = await ws.run(['tickets', 'sla-check'], { env: acme });
    expect(staffOnly.code).toBe(4);
    expectOneLineError(staffOnly);
  });

  it('prints control characters in a comment neutralised', async () => {
    const t = await ws.json<Ticket>(['tickets', 'create', '--tenant', 'acme', '--subject', 'Neutral', '--priority', 'p4']);
    const refused = await ws.run(['tickets', 'comment', t.id, '--body', 'evil \u001b]0;owned\u0007']);
    expect(refused.code).toBe(2);
    const table = await ws.run(['tickets', 'get', t.id]);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/\u001b/);
  });
});
