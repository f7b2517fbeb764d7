import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { TICKET_PRIORITIES } from '../../../db/tables/tickets.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';

/** Open tickets (open or in progress) in the caller's scope by priority, with the SLA breaches among them: one query. */
export async function openTicketsByPriority(ctx: ServiceContext, db: Kysely<Database> = ctx.db) {
  const now = ctx.clock.now().toISOString();
  const rows = await db
    .selectFrom('tickets')
    .where(scopeTo(ctx.principal, { tenant: 'tickets.tenant_id' }))
    .where('tickets.status', 'in', ['open', 'in_progress'])
    .select((eb) => [
      'tickets.priority',
      eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when breaches > 0 or (response_due_at is not null and response_due_at < ${now} and responded_at is null) then 1 else 0 end)`.as('breached'),
    ])
    .groupBy('tickets.priority')
    .execute();
  const by_priority = TICKET_PRIORITIES.map((priority) => {
    const r = rows.find((row) => row.priority === priority);
    return { priority, open: Number(r?.open ?? 0), breached: Number(r?.breached ?? 0) };
  });
  return { by_priority, open: by_priority.reduce((s, p) => s + p.open, 0), breached: by_priority.reduce((s, p) => s + p.breached, 0) };
}
