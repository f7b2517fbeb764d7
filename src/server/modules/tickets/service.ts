import type { Kysely } from 'kysely';
import { conflict, invalid, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import { textSearch } from '../../../db/text-search.js';
import type { Database } from '../../../db/database.js';
import type { TicketEventKind, TicketRow } from '../../../db/tables/tickets.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import type { AuditAction } from '../audit/actions.js';
import { recordAudit } from '../audit/service.js';
import { getTenant } from '../tenants/service.js';
import type { CreateTicketInput, Ticket, TicketDetail, TicketListFilter } from './schema.js';
import { responseDue } from './sla.js';

export const TICKET_SCOPE = { tenant: 'tickets.tenant_id' };

export type TicketWithSlug = TicketRow & { tenant_slug: string };

/** Every read of tickets starts here: the caller's scope, and the tenant's slug. */
export function scopedTickets(ctx: ServiceContext, db: Kysely<Database>) {
  return db
    .selectFrom('tickets')
    .innerJoin('tenants', 'tenants.id', 'tickets.tenant_id')
    .selectAll('tickets')
    .select('tenants.slug as tenant_slug')
    .where(scopeTo(ctx.principal, TICKET_SCOPE));
}

export function toTicket({ created_role: _role, ...row }: TicketWithSlug): Ticket {
  const breaches = Number(row.breaches);
  return { ...row, breaches, breached: breaches > 0, csat: row.csat === null ? null : Number(row.csat) };
}

/** Who the history and the audit trail name: the person, or the worker doing scheduled work. */
export const actorOf = (ctx: ServiceContext) => ({ actor: ctx.actor?.id ?? ctx.principal.userId, actor_role: ctx.actor?.role ?? ctx.principal.role });

/** Staff (master_admin people, not the scheduler's worker) answer tickets: their comment, assignment or resolution meets the response SLA. */
export const isStaff = (ctx: ServiceContext) => ctx.principal.role === 'master_admin' && !ctx.actor && ctx.principal.userId !== 'scheduler';

export async function listTickets(ctx: ServiceContext, filter: TicketListFilter) {
  let query = scopedTickets(ctx, ctx.db).orderBy('tickets.id', 'desc').limit(filter.limit + 1);
  if (filter.tenant) query = query.where('tickets.tenant_id', '=', (await getTenant(ctx, filter.tenant)).id);
  if (filter.status) query = query.where('tickets.status', '=', filter.status);
  if (filter.priority) query = query.where('tickets.priority', '=', filter.priority);
  if (filter.assignee) query = query.where('tickets.assignee', '=', filter.assignee.trim().toLowerCase());
  if (filter.breached) query = query.where('tickets.breaches', filter.breached === 'true' ? '>' : '=', 0);
  if (filter.q) query = query.where(textSearch(['tickets.subject', 'tenants.slug', 'tenants.name'], filter.q));
  if (filter.cursor) query = query.where('tickets.id', '<', decodeCursor(filter.cursor));
  return pageFrom((await query.execute()).map(toTicket), filter.limit, (t) => t.id);
}

export async function findTicket(ctx: ServiceContext, db: Kysely<Database>, id: string): Promise<TicketWithSlug> {
  const row = await scopedTickets(ctx, db).where('tickets.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`ticket "${id}" was not found`);
  return row;
}

export async function getTicket(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<TicketDetail> {
  const row = await findTicket(ctx, db, id);
  const comments = await db
    .selectFrom('ticket_comments')
    .select(['id', 'body', 'author', 'author_role', 'created_at'])
    .where(scopeTo(ctx.principal, { tenant: 'ticket_comments.tenant_id' }))
    .where('ticket_id', '=', row.id)
    .orderBy('id')
    .execute();
  const history = await db
    .selectFrom('ticket_events')
    .select(['kind', 'from_value', 'to_value', 'reason', 'actor', 'actor_role', 'at'])
    .where(scopeTo(ctx.principal, { tenant: 'ticket_events.tenant_id' }))
    .where('ticket_id', '=', row.id)
    .orderBy('id')
    .execute();
  return {
    ...toTicket(row),
    comments: comments.map((c) => ({ ...c, staff: c.author_role === 'master_admin' })),
    history: history.map(({ from_value, to_value, ...e }) => ({ ...e, from: from_value, to: to_value })),
  };
}

export interface TicketEvent {
  kind: TicketEventKind;
  from?: string | null;
  to?: string | null;
  reason?: string | null;
}

/** One line of the ticket's history, as the caller (or the worker) at `at`. */
export async function recordTicketEvent(trx: Kysely<Database>, ctx: ServiceContext, ticket: Pick<TicketRow, 'id' | 'tenant_id'>, event: TicketEvent, at: string): Promise<void> {
  await trx
    .insertInto('ticket_events')
    .values({ id: newId('ticketEvent'), ticket_id: ticket.id, tenant_id: ticket.tenant_id, kind: event.kind, from_value: event.from ?? null, to_value: event.to ?? null, reason: event.reason ?? null, ...actorOf(ctx), at })
    .execute();
}

export async function auditTicket(trx: Kysely<Database>, ctx: ServiceContext, action: AuditAction, ticket: Pick<TicketRow, 'id' | 'tenant_id'>, details: Record<string, unknown>): Promise<void> {
  await recordAudit(trx, ctx, { action, targetType: 'ticket', targetId: ticket.id, tenantId: ticket.tenant_id, details });
}

/** A tenant admin opens its own tenant's tickets (naming it or not); staff name the tenant. */
export async function createTicket(ctx: ServiceContext, input: CreateTicketInput): Promise<TicketDetail> {
  const ref = input.tenant ?? (ctx.principal.role === 'tenant_admin' ? ctx.principal.tenantId : null);
  if (!ref) throw invalid('a ticket belongs to a tenant: name it with tenant', { errors: [{ path: 'tenant', message: 'required for staff' }] });
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled; its tickets are closed to new ones`);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const row: TicketRow = {
      id: newId('ticket'),
      tenant_id: tenant.id,
      subject: input.subject,
      body: input.body ?? null,
      priority: input.priority,
      status: 'open',
      assignee: null,
      created_by: actorOf(ctx).actor,
      created_role: actorOf(ctx).actor_role,
      created_at: at,
      updated_at: at,
      sla_started_at: at,
      response_due_at: responseDue(input.priority, now).toISOString(),
      responded_at: null,
      breaches: 0,
      last_breach_at: null,
      resolved_at: null,
      closed_at: null,
      csat: null,
    };
    await trx.insertInto('tickets').values(row).execute();
    await recordTicketEvent(trx, ctx, row, { kind: 'created', to: row.priority, reason: ctx.reason }, at);
    await auditTicket(trx, ctx, 'ticket.create', row, { priority: row.priority, response_due_at: row.response_due_at });
    return getTicket(ctx, row.id, trx);
  });
}
