import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { drainJobs } from '../../../support/jobs.js';
import { scheduleSlaChecks } from '../../../../src/server/modules/tickets/sla-check.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;
const HOUR = 3_600_000;

/** A fresh tenant (optionally a reseller's) and its admin's client. */
async function tenant(reseller?: string) {
  const slug = `tk-${++serial}`;
  await api.admin.tenants.create({ slug, name: `Tickets ${serial}`, reseller: reseller ?? null });
  const token = (await api.admin.tokens.create({ role: 'tenant_admin', tenant: slug, email: `${slug}@isp.example` })).token;
  return { slug, client: api.as(token) };
}

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('opening and following tickets', () => {
  it('a tenant admin opens its own, due by the priority\'s SLA, and sees it with its history', async () => {
    const t = await tenant();
    const now = api.clock.now().getTime();
    const ticket = await t.client.tickets.create({ subject: 'Router down', priority: 'p2', body: 'line one\nline two' });
    expect(ticket).toMatchObject({ tenant_slug: t.slug, status: 'open', priority: 'p2', body: 'line one\nline two', breached: false, assignee: null });
    expect(Date.parse(ticket.response_due_at!)).toBe(now + 4 * HOUR);
    expect(ticket.history).toEqual([expect.objectContaining({ kind: 'created', to: 'p2', actor_role: 'tenant_admin' })]);
    const page = await t.client.tickets.list();
    expect(page.data.map((x) => x.id)).toEqual([ticket.id]);
  });

  it('are found by text in the subject and the tenant\'s slug and name, only within the caller\'s scope', async () => {
    const a = await tenant();
    const b = await tenant();
    const mine = await a.client.tickets.create({ subject: 'RADIUS_timeouts at 50%', priority: 'p3' });
    await b.client.tickets.create({ subject: 'RADIUSXtimeouts', priority: 'p3' });
    expect((await a.client.tickets.list({ q: 'radius_timeouts' })).data.map((t) => t.id)).toEqual([mine.id]);
    expect((await a.client.tickets.list({ q: '50%' })).data.map((t) => t.id)).toEqual([mine.id]);
    expect((await b.client.tickets.list({ q: 'radius_' })).data).toEqual([]);
    expect((await api.admin.tickets.list({ q: a.slug })).data.map((t) => t.id)).toEqual([mine.id]);
  });

  it('staff name the tenant; without one it is 400', async () => {
    const t = await tenant();
    expect((await api.admin.tickets.create({ tenant: t.slug, subject: 'Billing question', priority: 'p4' })).tenant_slug).toBe(t.slug);
    expectProblem(await api.admin.raw('POST', '/v1/tickets', { body: { subject: 'x', priority: 'p4' } }), 400, 'invalid');
  });

  it('refuses an unknown priority naming the allowed ones, an empty subject, control characters', async () => {
    const t = await tenant();
    const bad = expectProblem(await t.client.raw('POST', '/v1/tickets', { body: { subject: 'x', priority: 'p5' } }), 400, 'invalid');
    expect(bad.detail).toContain('p1 (1 h), p2 (4 h), p3 (1 business day), p4 (3 business days)');
    expectProblem(await t.client.raw('POST', '/v1/tickets', { body: { subject: '   ', priority: 'p3' } }), 400, 'invalid');
    expectProblem(await t.client.raw('POST', '/v1/tickets', { body: { subject: 'a\u001b]0;pwned\u0007', priority: 'p3' } }), 400, 'invalid');
    expectProblem(await t.client.raw('POST', '/v1/tickets', { body: { subject: 'ok', priority: 'p3', body: 'x\u001b[2J' } }), 400, 'invalid');
  });

  it('another tenant\'s ticket is 404 to a tenant admin, and a reseller reads only its own customers\'', async () => {
    await api.admin.resellers.create({ slug: 'tk-res', name: 'Tk Res' });
    await api.admin.resellers.create({ slug: 'tk-other', name: 'Tk Other' });
    const mine = await tenant('tk-res');
    const theirs = await tenant('tk-other');
    const ticket = await theirs.client.tickets.create({ subject: 'Theirs', priority: 'p3' });
    expectProblem(await mine.client.raw('GET', `/v1/tickets/${ticket.id}`), 404, 'not_found');
    expectProblem(await mine.client.raw('POST', `/v1/tickets/${ticket.id}/comments`, { body: { body: 'peek' } }), 404, 'not_found');
    expectProblem(await mine.client.raw('POST', '/v1/tickets', { body: { tenant: theirs.slug, subject: 'x', priority: 'p3' } }), 404, 'not_found');
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'tk-res' })).token);
    const own = await mine.client.tickets.create({ subject: 'Ours', priority: 'p3' });
    expect((await reseller.tickets.get(own.id)).subject).toBe('Ours');
    expectProblem(await reseller.raw('GET', `/v1/tickets/${ticket.id}`), 404, 'not_found');
    expect((await reseller.tickets.list()).data.map((x) => x.id)).toEqual([own.id]);
    expectProblem(await reseller.raw('POST', `/v1/tickets/${own.id}/comments`, { body: { body: 'hi' } }), 403, 'forbidden');
  });
});

describe('working a ticket', () => {
  it('a staff comment is the first response; a tenant comment is not', async () => {
    const t = await tenant();
    const ticket = await t.client.tickets.create({ subject: 'Slow', priority: 'p3' });
    const own = await t.client.tickets.comment(ticket.id, { body: 'still slow' });
    expect(own.responded_at).toBeNull();
    const answered = await api.admin.tickets.comment(ticket.id, { body: 'looking into it' });
    expect(answered).toMatchObject({ responded_at: api.clock.now().toISOString(), response_due_at: null });
    expect(answered.comments.map((c) => [c.body, c.staff])).toEqual([['still slow', false], ['looking into it', true]]);
    expect(answered.history.map((e) => e.kind)).toEqual(['created', 'responded']);
  });

  it('assign goes in_progress, only to a staff member, and a second assign to the same is unchanged', async () => {
    const t = await tenant();
    const ticket = await t.client.tickets.create({ subject: 'Assign me', priority: 'p3' });
    expectProblem(await api.admin.raw('POST', `/v1/tickets/${ticket.id}/assign`, { body: { to: 'nobody@example.test' } }), 404, 'not_found');
    const first = await api.admin.tickets.assign(ticket.id, { to: 'Admin@dotmac.local' });
    expect(first.changed).toBe(true);
    expect(first.value).toMatchObject({ status: 'in_progress', assignee: 'admin@dotmac.local', response_due_at: null });
    expect((await api.admin.tickets.assign(ticket.id, { to: 'admin@dotmac.local' })).changed).toBe(false);
    expect((await api.admin.tickets.list({ assignee: 'admin@dotmac.local' })).data.map((x) => x.id)).toContain(ticket.id);
  });

  it('escalate goes one step with why, restarting an awaited window; p1 is 409', async () => {
    const t = await tenant();
    const ticket = await t.client.tickets.create({ subject: 'Escalate', priority: 'p2' });
    api.clock.advance(10 * 60_000);
    const up = await t.client.tickets.escalate(ticket.id, { reason: 'whole town offline' });
    expect(up).toMatchObject({ priority: 'p1', response_due_at: new Date(api.clock.now().getTime() + HOUR).toISOString() });
    expect(up.history.at(-1)).toMatchObject({ kind: 'priority', from: 'p2', to: 'p1', reason: 'whole town offline' });
    const again = expectProblem(await t.client.raw('POST', `/v1/tickets/${ticket.id}/escalate`, { body: {} }), 409, 'conflict');
    expect(again.detail).toContain('already p1');
  });

  it('resolve, reopen (by the tenant admin, with a new window), close with CSAT; closed is final', async () => {
    const t = await tenant();
    const ticket = await t.client.tickets.create({ subject: 'Lifecycle', priority: 'p4' });
    expect((await api.admin.tickets.resolve(ticket.id)).value).toMatchObject({ status: 'resolved', response_due_at: null });
    expect((await api.admin.tickets.resolve(ticket.id)).changed).toBe(false);
    api.clock.advance(60_000);
    const reopened = (await t.client.tickets.reopen(ticket.id, { reason: 'not fixed' })).value;
    expect(reopened).toMatchObject({ status: 'open', responded_at: null, sla_started_at: api.clock.now().toISOString() });
    expect(reopened.response_due_at).not.toBeNull();
    expectProblem(await t.client.raw('POST', `/v1/tickets/${ticket.id}/close`, { body: { csat: 6 } }), 400, 'invalid');
    expectProblem(await t.client.raw('POST', `/v1/tickets/${ticket.id}/close`, { body: { csat: 0 } }), 400, 'invalid');
    const closed = (await t.client.tickets.close(ticket.id, { csat: 4 })).value;
    expect(closed).toMatchObject({ status: 'closed', csat: 4 });
    expect((await t.client.tickets.close(ticket.id, { csat: 4 })).changed).toBe(false);
    expectProblem(await t.client.raw('POST', `/v1/tickets/${ticket.id}/close`, { body: { csat: 2 } }), 409, 'conflict');
    for (const verb of ['reopen', 'resolve', 'escalate']) expectProblem(await t.client.raw('POST', `/v1/tickets/${ticket.id}/${verb}`, { body: {} }), 409, 'conflict');
    expectProblem(await t.client.raw('POST', `/v1/tickets/${ticket.id}/comments`, { body: { body: 'late' } }), 409, 'conflict');
  });
});

describe('the SLA check', () => {
  it('breaches and escalates once per breach, with a new window from the escalation', async () => {
    const t = await tenant();
    const opened = api.clock.now().getTime();
    const ticket = await t.client.tickets.create({ subject: 'Breach me', priority: 'p2' });
    // before it was opened, and before it is due: nothing
    expect((await api.admin.tickets.slaCheck({ at: new Date(opened - HOUR).toISOString() })).breached.filter((b) => b.ticket_id === ticket.id)).toEqual([]);
    expect((await api.admin.tickets.slaCheck({ at: new Date(opened + 3 * HOUR).toISOString() })).breached.filter((b) => b.ticket_id === ticket.id)).toEqual([]);
    const at = new Date(opened + 5 * HOUR).toISOString();
    const first = await api.admin.tickets.slaCheck({ at });
    expect(first.breached.filter((b) => b.ticket_id === ticket.id)).toEqual([
      expect.objectContaining({ from_priority: 'p2', to_priority: 'p1', due_at: new Date(opened + 4 * HOUR).toISOString(), next_due_at: new Date(opened + 6 * HOUR).toISOString() }),
    ]);
    // the same check again: the breach is taken
    expect((await api.admin.tickets.slaCheck({ at })).breached.filter((b) => b.ticket_id === ticket.id)).toEqual([]);
    const after = await t.client.tickets.get(ticket.id);
    expect(after).toMatchObject({ priority: 'p1', breached: true, breaches: 1 });
    expect(after.history.filter((e) => e.kind === 'priority')[0]!.reason).toMatch(/^SLA breach: no staff response by .* \(p2: first response within 4 h\); escalated one step$/);
    expect((await t.client.tickets.list({ breached: 'true' })).data.map((x) => x.id)).toEqual([ticket.id]);
    // p1 breaches once more, then waits with no window
    const p1 = await api.admin.tickets.slaCheck({ at: new Date(opened + 7 * HOUR).toISOString() });
    expect(p1.breached.filter((b) => b.ticket_id === ticket.id)).toEqual([expect.objectContaining({ from_priority: 'p1', to_priority: null, next_due_at: null })]);
    expect((await api.admin.tickets.slaCheck({ at: new Date(opened + 99 * HOUR).toISOString() })).breached.filter((b) => b.ticket_id === ticket.id)).toEqual([]);
    const audit = await api.admin.audit.list({ action: 'ticket.breach', target: ticket.id });
    expect(audit.data).toHaveLength(2);
  });

  it('a ticket answered in time never breaches', async () => {
    const t = await tenant();
    const ticket = await t.client.tickets.create({ subject: 'Answered', priority: 'p1' });
    await api.admin.tickets.comment(ticket.id, { body: 'on it' });
    const check = await api.admin.tickets.slaCheck({ at: new Date(api.clock.now().getTime() + 10 * HOUR).toISOString() });
    expect(check.breached.map((b) => b.ticket_id)).not.toContain(ticket.id);
  });

  it('the worker\'s scheduled job does the same as the clock moves forward', async () => {
    const t = await tenant();
    const ticket = await t.client.tickets.create({ subject: 'Scheduled', priority: 'p1' });
    expect(await scheduleSlaChecks({ ...api, db: api.connection.db, dialect: api.connection.dialect })).toBe(0);
    api.clock.advance(HOUR + 60_000);
    expect(await scheduleSlaChecks({ ...api, db: api.connection.db, dialect: api.connection.dialect })).toBeGreaterThanOrEqual(1);
    await drainJobs(api);
    const after = await t.client.tickets.get(ticket.id);
    expect(after).toMatchObject({ priority: 'p1', breaches: 1, response_due_at: null });
    expect(after.history.at(-1)).toMatchObject({ kind: 'breach', actor_role: 'worker' });
    expect(await scheduleSlaChecks({ ...api, db: api.connection.db, dialect: api.connection.dialect })).toBe(0);
  });

  it('is staff only, and an invalid --at is 400', async () => {
    const t = await tenant();
    const before = await auditCount(api);
    expectProblem(await t.client.raw('POST', '/v1/tickets/sla-check', { body: {} }), 403, 'forbidden');
    expectProblem(await api.admin.raw('POST', '/v1/tickets/sla-check', { body: { at: 'yesterday' } }), 400, 'invalid');
    expect(await auditCount(api)).toBe(before);
  });
});
