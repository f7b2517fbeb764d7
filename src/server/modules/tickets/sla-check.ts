import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext, Services } from '../../context.js';
import type { JobKind } from '../jobs/kind.js';
import { enqueueDue } from '../jobs/queue.js';
import type { SlaBreach, SlaCheckResult } from './schema.js';
import { auditTicket, recordTicketEvent, TICKET_SCOPE } from './service.js';
import { describeSla, escalated, responseDue } from './sla.js';

export const SLA_JOB = 'ticket_sla';

/** Tickets awaiting a staff response whose response time has passed by `at` (never one opened after `at`). */
function dueTickets(db: Kysely<Database>, at: string) {
  return db
    .selectFrom('tickets')
    .where('tickets.status', 'in', ['open', 'in_progress'])
    .where('tickets.response_due_at', 'is not', null)
    .where('tickets.response_due_at', '<=', at)
    .where('tickets.sla_started_at', '<=', at);
}

/**
 * Marks each breach and escalates the ticket one step, recording why in its history and the
 * audit trail. Exactly once per breach: the update is guarded by the response time it missed, and
 * the escalated ticket gets a new window from `at` (a p1 has nowhere to go, so it waits with no
 * window until staff answer). In the caller's transaction and scope; `tenantId` narrows it to one
 * tenant (the scheduled job's).
 */
export async function breachDueTickets(trx: Kysely<Database>, ctx: ServiceContext, at: Date, tenantId?: string): Promise<SlaBreach[]> {
  const now = at.toISOString();
  let query = dueTickets(trx, now)
    .innerJoin('tenants', 'tenants.id', 'tickets.tenant_id')
    .select(['tickets.id', 'tickets.tenant_id', 'tenants.slug as tenant_slug', 'tickets.subject', 'tickets.priority', 'tickets.response_due_at', 'tickets.breaches'])
    .where(scopeTo(ctx.principal, TICKET_SCOPE))
    .orderBy('tickets.id');
  if (tenantId) query = query.where('tickets.tenant_id', '=', tenantId);
  const breached: SlaBreach[] = [];
  for (const ticket of await query.execute()) {
    const due = ticket.response_due_at!;
    const to = escalated(ticket.priority);
    const nextDue = to ? responseDue(to, at).toISOString() : null;
    const result = await trx
      .updateTable('tickets')
      .set({
        breaches: Number(ticket.breaches) + 1,
        last_breach_at: due,
        updated_at: ctx.clock.now().toISOString(),
        response_due_at: nextDue,
        ...(to ? { priority: to, sla_started_at: now } : {}),
      })
      .where('id', '=', ticket.id)
      .where('response_due_at', '=', due)
      .where('priority', '=', ticket.priority)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) continue; // another check took this breach
    const why = `SLA breach: no staff response by ${due} (${ticket.priority}: first response within ${describeSla(ticket.priority)})`;
    await recordTicketEvent(trx, ctx, ticket, { kind: 'breach', from: ticket.priority, to: due, reason: why }, now);
    if (to) await recordTicketEvent(trx, ctx, ticket, { kind: 'priority', from: ticket.priority, to, reason: `${why}; escalated one step` }, now);
    await auditTicket(trx, ctx, 'ticket.breach', ticket, { due_at: due, from: ticket.priority, to, next_due_at: nextDue, checked_at: now });
    breached.push({ ticket_id: ticket.id, tenant_id: ticket.tenant_id, tenant_slug: ticket.tenant_slug, subject: ticket.subject, due_at: due, from_priority: ticket.priority, to_priority: to, next_due_at: nextDue });
  }
  return breached;
}

/** `tickets sla-check [--at]`: the scheduled check, run now by staff across every tenant, as of `at` (default now). */
export async function checkSla(ctx: ServiceContext, input: { at?: string }): Promise<SlaCheckResult> {
  const at = input.at ? new Date(input.at) : ctx.clock.now();
  const breached = await writeTransaction(ctx.db, ctx.dialect, (trx) => breachDueTickets(trx, ctx, at));
  return { at: at.toISOString(), breached, escalated: breached.filter((b) => b.to_priority !== null).length };
}

/** The worker's job: one tenant's due tickets, as of when it runs. */
export const slaJob: JobKind = {
  async run(run) {
    await run.write((trx, ctx) => breachDueTickets(trx, ctx, ctx.clock.now(), run.job.tenant_id));
  },
};

/** Each tenant with a ticket past its response time gets an SLA job (the worker runs this every minute). */
export async function scheduleSlaChecks(services: Services): Promise<number> {
  return enqueueDue(
    services,
    SLA_JOB,
    async (db) => (await dueTickets(db, services.clock.now().toISOString()).select('tickets.tenant_id').distinct().execute()).map((r) => r.tenant_id),
    3,
  );
}
