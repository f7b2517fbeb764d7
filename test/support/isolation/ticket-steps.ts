import fc from 'fast-check';
import { expect } from 'vitest';
import type { Page, SlaCheckResult, Ticket, TicketDetail } from '../../../src/client/types.js';
import { byId, recordEvent, seesTenant, tenantById, type Model, type Principal } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepContext, type StepKind, type Target } from './step.js';
import { FUTURE, PAST, type TicketState } from './ticket-model.js';

/**
 * Steps on support tickets, with the rules restated: a tenant admin opens and works its own
 * tenant's tickets, staff any (naming the tenant), a reseller only reads its customers' (others'
 * are 404, its writes 403). open → in_progress (assign, staff only, to a staff email) → resolved
 * → closed; resolved → open (reopen); closed is final (409); a verb whose end state holds is
 * unchanged. Escalation is one step (p1: 409). The SLA check breaches every ticket whose response
 * is due by its instant, once, escalating it one step.
 */

const STAFF_EMAIL = 'admin@dotmac.local';
const PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;

const ticketVisible = (m: Model, p: Principal, t: TicketState) => {
  const tenant = tenantById(m, t.tenant_id);
  return !!tenant && seesTenant(p, tenant);
};

/** The ticket a pick names, and the id the request carries (a made-up one for none). */
function pickTicket(m: Model, p: Principal, target: Target): { ticket?: TicketState; id: string } {
  if (target === 'unknown' || m.tickets.length === 0) return { id: 'tkt_00000000000000000000000000' };
  const all = byId(m.tickets);
  const pool = target.own && all.some((t) => ticketVisible(m, p, t)) ? all.filter((t) => ticketVisible(m, p, t)) : all;
  const ticket = pool[target.pick % pool.length]!;
  return { ticket, id: ticket.id };
}

const isStaff = (p: Principal) => p.role === 'master_admin';
const working = (t: TicketState) => t.status === 'open' || t.status === 'in_progress';

/** The common start of a verb on one ticket: the gate, then 404 outside the caller's scope. */
function reach(ctx: StepContext<{ ticket: Target }>, answer: { status: number; text: string; body: unknown }): TicketState | undefined {
  const { m, p, args } = ctx;
  const refused = gate(ctx, true);
  if (refused) {
    expectStatus(answer, refused.status, refused.code);
    return undefined;
  }
  const { ticket } = pickTicket(m, p, args.ticket);
  if (!ticket || !ticketVisible(m, p, ticket)) {
    expectStatus(answer, 404, 'not_found');
    return undefined;
  }
  return ticket;
}

const listTickets: StepKind<{ status: string | null }> = {
  args: fc.record({ status: fc.option(fc.constantFrom('open', 'in_progress', 'resolved', 'closed')) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const answer = await call(ctx, 'GET', '/v1/tickets', { query: { limit: 500, status: args.status ?? undefined } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const expected = m.tickets.filter((t) => ticketVisible(m, p, t) && (!args.status || t.status === args.status));
    expect((answer.body as Page<Ticket>).data.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
  },
};

const createTicket: StepKind<{ tenant: Target; named: boolean; priority: string }> = {
  args: fc.record({ tenant: targetArb, named: fc.boolean(), priority: fc.constantFrom(...PRIORITIES, 'p9') }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const named = args.named || p.role !== 'tenant_admin';
    const { tenant, ref } = named ? pickTenant(m, args.tenant, (t) => seesTenant(p, t)) : { tenant: tenantById(m, p.tenantId), ref: undefined };
    const answer = await call(ctx, 'POST', '/v1/tickets', { body: { ...(named ? { tenant: ref } : {}), subject: 'Model ticket', priority: args.priority } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (args.priority === 'p9') return expectStatus(answer, 400, 'invalid');
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const created = answer.body as TicketDetail;
    expect(created).toMatchObject({ tenant_id: tenant.id, status: 'open', priority: args.priority });
    m.tickets.push({ id: created.id, tenant_id: tenant.id, status: 'open', priority: args.priority, assignee: null, csat: null, breaches: 0, due: 'near' });
    recordEvent(m, 'ticket.create', created.id, tenant.id);
  },
};

const getTicket: StepKind<{ ticket: Target }> = {
  args: fc.record({ ticket: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const answer = await call(ctx, 'GET', `/v1/tickets/${pickTicket(m, p, args.ticket).id}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    const { ticket } = pickTicket(m, p, args.ticket);
    if (!ticket || !ticketVisible(m, p, ticket)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ id: ticket.id, status: ticket.status, priority: ticket.priority });
  },
};

/** A staff comment, assignment or resolution answers the window awaiting one. */
const answer = (p: Principal, t: TicketState) => {
  if (isStaff(p)) t.due = null;
};

const commentTicket: StepKind<{ ticket: Target }> = {
  args: fc.record({ ticket: targetArb }),
  async perform(ctx) {
    const res = await call(ctx, 'POST', `/v1/tickets/${pickTicket(ctx.m, ctx.p, ctx.args.ticket).id}/comments`, { body: { body: 'a model comment' } });
    const ticket = reach(ctx, res);
    if (!ticket) return;
    if (ticket.status === 'closed') return expectStatus(res, 409, 'conflict');
    expectStatus(res, 201);
    answer(ctx.p, ticket);
    recordEvent(ctx.m, 'ticket.comment', ticket.id, ticket.tenant_id);
  },
};

const assignTicket: StepKind<{ ticket: Target; staff: boolean }> = {
  args: fc.record({ ticket: targetArb, staff: fc.boolean() }),
  async perform(ctx) {
    const to = ctx.args.staff ? STAFF_EMAIL : 'nobody@iso.test';
    const res = await call(ctx, 'POST', `/v1/tickets/${pickTicket(ctx.m, ctx.p, ctx.args.ticket).id}/assign`, { body: { to } });
    const ticket = reach(ctx, res);
    if (!ticket) return;
    if (!working(ticket)) return expectStatus(res, 409, 'conflict');
    if (!ctx.args.staff) return expectStatus(res, 404, 'not_found');
    expectStatus(res, 200);
    if (ticket.assignee === to && ticket.status === 'in_progress') return;
    Object.assign(ticket, { assignee: to, status: 'in_progress' });
    answer(ctx.p, ticket);
    recordEvent(ctx.m, 'ticket.assign', ticket.id, ticket.tenant_id);
  },
};

const escalateTicket: StepKind<{ ticket: Target }> = {
  args: fc.record({ ticket: targetArb }),
  async perform(ctx) {
    const res = await call(ctx, 'POST', `/v1/tickets/${pickTicket(ctx.m, ctx.p, ctx.args.ticket).id}/escalate`, { body: { reason: 'model' } });
    const ticket = reach(ctx, res);
    if (!ticket) return;
    if (!working(ticket) || ticket.priority === 'p1') return expectStatus(res, 409, 'conflict');
    expectStatus(res, 200);
    ticket.priority = PRIORITIES[PRIORITIES.indexOf(ticket.priority as 'p1') - 1]!;
    if (ticket.due !== null) ticket.due = 'near';
    recordEvent(ctx.m, 'ticket.escalate', ticket.id, ticket.tenant_id);
  },
};

/** resolve, reopen and close: refused on a closed ticket (close: unchanged), unchanged where the end state holds. */
function statusStep(verb: 'resolve' | 'reopen'): StepKind<{ ticket: Target }> {
  return {
    args: fc.record({ ticket: targetArb }),
    async perform(ctx) {
      const res = await call(ctx, 'POST', `/v1/tickets/${pickTicket(ctx.m, ctx.p, ctx.args.ticket).id}/${verb}`, { body: {} });
      const ticket = reach(ctx, res);
      if (!ticket) return;
      if (ticket.status === 'closed') return expectStatus(res, 409, 'conflict');
      expectStatus(res, 200);
      if (verb === 'resolve' && ticket.status !== 'resolved') Object.assign(ticket, { status: 'resolved', due: null });
      else if (verb === 'reopen' && ticket.status === 'resolved') Object.assign(ticket, { status: 'open', due: 'near' });
      else return;
      recordEvent(ctx.m, `ticket.${verb}`, ticket.id, ticket.tenant_id);
    },
  };
}

const closeTicket: StepKind<{ ticket: Target; csat: number | null }> = {
  args: fc.record({ ticket: targetArb, csat: fc.option(fc.constantFrom(1, 4, 5, 9)) }),
  async perform(ctx) {
    const { csat } = ctx.args;
    const res = await call(ctx, 'POST', `/v1/tickets/${pickTicket(ctx.m, ctx.p, ctx.args.ticket).id}/close`, { body: csat === null ? {} : { csat } });
    const refused = gate(ctx, true);
    if (!refused && csat === 9) return expectStatus(res, 400, 'invalid');
    const ticket = reach(ctx, res);
    if (!ticket) return;
    if (ticket.status === 'closed') {
      if (csat !== null && csat !== ticket.csat) return expectStatus(res, 409, 'conflict');
      return expectStatus(res, 200);
    }
    expectStatus(res, 200);
    Object.assign(ticket, { status: 'closed', csat, due: null });
    recordEvent(ctx.m, 'ticket.close', ticket.id, ticket.tenant_id);
  },
};

const checkTicketSla: StepKind<{ future: boolean }> = {
  args: fc.record({ future: fc.boolean() }),
  async perform(ctx) {
    const { m, args } = ctx;
    const res = await call(ctx, 'POST', '/v1/tickets/sla-check', { body: { at: args.future ? FUTURE : PAST } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(res, refused.status, refused.code);
    expectStatus(res, 200);
    const due = args.future ? byId(m.tickets).filter((t) => working(t) && t.due === 'near') : [];
    expect((res.body as SlaCheckResult).breached.map((b) => b.ticket_id)).toEqual(due.map((t) => t.id));
    for (const ticket of due) {
      ticket.breaches += 1;
      if (ticket.priority === 'p1') ticket.due = null;
      else Object.assign(ticket, { priority: PRIORITIES[PRIORITIES.indexOf(ticket.priority as 'p1') - 1]!, due: 'far' });
      recordEvent(m, 'ticket.breach', ticket.id, ticket.tenant_id);
    }
  },
};

export const TICKET_STEPS: Record<string, AnyStep> = {
  listTickets,
  createTicket,
  getTicket,
  commentTicket,
  assignTicket,
  escalateTicket,
  resolveTicket: statusStep('resolve'),
  reopenTicket: statusStep('reopen'),
  closeTicket,
  checkTicketSla,
};
