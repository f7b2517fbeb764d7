import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { TicketsTable } from '../../../db/tables/tickets.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { actorOf, auditTicket, findTicket, getTicket, isStaff, recordTicketEvent, type TicketWithSlug } from './service.js';
import type { TicketDetail } from './schema.js';
import { escalated, responseDue } from './sla.js';
import { transition, type TicketVerb } from './status.js';

type Changes = Partial<Omit<TicketsTable, 'id' | 'tenant_id'>>;

/** The ticket, and the transition `verb` makes from its status (409 when it may not). */
async function ticketFor(ctx: ServiceContext, trx: Kysely<Database>, id: string, verb: TicketVerb) {
  const ticket = await findTicket(ctx, trx, id);
  const step = transition(ticket.status, verb);
  if (!step.ok) throw conflict(`cannot ${verb} ticket ${ticket.id}: it is ${ticket.status}, and ${step.why}`);
  return { ticket, step };
}

/** A staff member's comment, assignment or resolution answers the window that awaits one. */
function answered(ctx: ServiceContext, ticket: TicketWithSlug, at: string): Changes {
  return isStaff(ctx) && ticket.responded_at === null ? { responded_at: at, response_due_at: null } : {};
}

async function save(trx: Kysely<Database>, ticket: TicketWithSlug, changes: Changes, at: string): Promise<void> {
  await trx.updateTable('tickets').set({ ...changes, updated_at: at }).where('id', '=', ticket.id).execute();
}

async function noteResponse(trx: Kysely<Database>, ctx: ServiceContext, ticket: TicketWithSlug, changes: Changes, how: string, at: string) {
  if (changes.responded_at) await recordTicketEvent(trx, ctx, ticket, { kind: 'responded', to: at, reason: `first staff response (${how})` }, at);
}

export async function commentTicket(ctx: ServiceContext, id: string, body: string): Promise<TicketDetail> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { ticket } = await ticketFor(ctx, trx, id, 'comment');
    const at = ctx.clock.now().toISOString();
    const commentId = newId('ticketComment');
    await trx.insertInto('ticket_comments').values({ id: commentId, ticket_id: ticket.id, tenant_id: ticket.tenant_id, body, author: actorOf(ctx).actor, author_role: actorOf(ctx).actor_role, created_at: at }).execute();
    const changes = answered(ctx, ticket, at);
    await save(trx, ticket, changes, at);
    await noteResponse(trx, ctx, ticket, changes, 'comment', at);
    await auditTicket(trx, ctx, 'ticket.comment', ticket, { comment_id: commentId, chars: body.length, ...(changes.responded_at ? { responded: true } : {}) });
    return getTicket(ctx, ticket.id, trx);
  });
}

/** Staff assign a ticket to a staff member (a master_admin user, by email); an open ticket goes in_progress. */
export async function assignTicket(ctx: ServiceContext, id: string, email: string): Promise<Outcome<TicketDetail>> {
  const to = email.trim().toLowerCase();
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { ticket, step } = await ticketFor(ctx, trx, id, 'assign');
    // only staff assign (the route), and staff see every user
    const staff = await trx.selectFrom('users').select('email').where('role', '=', 'master_admin').where('email', '=', to).executeTakeFirst();
    if (!staff) throw notFound(`no staff member has the email ${to}: assign to a master_admin user's email`);
    if (ticket.assignee === to && ticket.status === step.to && !answered(ctx, ticket, '').responded_at) return { value: await getTicket(ctx, ticket.id, trx), changed: false };
    const at = ctx.clock.now().toISOString();
    const changes: Changes = { assignee: to, status: step.to, ...answered(ctx, ticket, at) };
    await save(trx, ticket, changes, at);
    await recordTicketEvent(trx, ctx, ticket, { kind: 'assigned', from: ticket.assignee, to, reason: ctx.reason }, at);
    if (ticket.status !== step.to) await recordTicketEvent(trx, ctx, ticket, { kind: 'status', from: ticket.status, to: step.to, reason: 'assigned' }, at);
    await noteResponse(trx, ctx, ticket, changes, 'assignment', at);
    await auditTicket(trx, ctx, 'ticket.assign', ticket, { from: ticket.assignee, to, status: step.to });
    return { value: await getTicket(ctx, ticket.id, trx), changed: true };
  });
}

/**
 * One step up (p4 → p3 → p2 → p1), with why. While a response is awaited, the new priority's
 * window starts now. A p1 cannot go higher: 409.
 */
export async function escalateTicket(ctx: ServiceContext, id: string, reason: string | undefined): Promise<TicketDetail> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { ticket } = await ticketFor(ctx, trx, id, 'escalate');
    const to = escalated(ticket.priority);
    if (!to) throw conflict(`ticket ${ticket.id} is already p1, the highest priority; it cannot be escalated further`);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const why = reason ?? ctx.reason ?? 'escalated by hand';
    const awaiting = ticket.responded_at === null;
    await save(trx, ticket, { priority: to, ...(awaiting ? { sla_started_at: at, response_due_at: responseDue(to, now).toISOString() } : {}) }, at);
    await recordTicketEvent(trx, ctx, ticket, { kind: 'priority', from: ticket.priority, to, reason: why }, at);
    await auditTicket(trx, ctx, 'ticket.escalate', ticket, { from: ticket.priority, to, reason: why });
    return getTicket(ctx, ticket.id, trx);
  });
}

/** resolve, reopen and close: a status change with its history line and audit event; none when it already holds. */
async function changeStatus(
  ctx: ServiceContext,
  id: string,
  verb: 'resolve' | 'reopen' | 'close',
  extra: (ticket: TicketWithSlug, now: Date) => Changes,
  reason: string | undefined,
  details: Record<string, unknown> = {},
  check?: (ticket: TicketWithSlug) => void,
) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx): Promise<Outcome<TicketDetail>> => {
    const { ticket, step } = await ticketFor(ctx, trx, id, verb);
    check?.(ticket);
    if (step.unchanged) return { value: await getTicket(ctx, ticket.id, trx), changed: false };
    const now = ctx.clock.now();
    const at = now.toISOString();
    const changes: Changes = { status: step.to, ...extra(ticket, now) };
    await save(trx, ticket, changes, at);
    const why = reason ?? ctx.reason;
    await recordTicketEvent(trx, ctx, ticket, { kind: 'status', from: ticket.status, to: step.to, reason: why }, at);
    await noteResponse(trx, ctx, ticket, changes, 'resolution', at);
    const action = verb === 'resolve' ? 'ticket.resolve' : verb === 'reopen' ? 'ticket.reopen' : 'ticket.close';
    await auditTicket(trx, ctx, action, ticket, { from: ticket.status, to: step.to, ...details, ...(why ? { reason: why } : {}) });
    return { value: await getTicket(ctx, ticket.id, trx), changed: true };
  });
}

export function resolveTicket(ctx: ServiceContext, id: string, reason?: string) {
  return changeStatus(ctx, id, 'resolve', (ticket, now) => ({ resolved_at: now.toISOString(), response_due_at: null, ...answered(ctx, ticket, now.toISOString()) }), reason);
}

/** A resolved ticket opens again, and a new response window starts at its priority. */
export function reopenTicket(ctx: ServiceContext, id: string, reason?: string) {
  return changeStatus(ctx, id, 'reopen', (ticket, now) => ({ resolved_at: null, sla_started_at: now.toISOString(), responded_at: null, response_due_at: responseDue(ticket.priority, now).toISOString() }), reason);
}

/** Closes it (from any status), with the customer's satisfaction when given; closing a closed ticket again changes nothing, and a second, different rating is refused. */
export function closeTicket(ctx: ServiceContext, id: string, input: { csat?: number; reason?: string }) {
  const rated = (ticket: TicketWithSlug) => {
    if (ticket.status !== 'closed' || input.csat === undefined || (ticket.csat !== null && Number(ticket.csat) === input.csat)) return;
    throw conflict(`ticket ${ticket.id} is already closed${ticket.csat === null ? ' without a rating' : ` with CSAT ${ticket.csat}`}; a closed ticket's rating does not change`);
  };
  const csat = input.csat === undefined ? {} : { csat: input.csat };
  return changeStatus(ctx, id, 'close', (_ticket, now) => ({ closed_at: now.toISOString(), response_due_at: null, csat: input.csat ?? null }), input.reason, csat, rated);
}
