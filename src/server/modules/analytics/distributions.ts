import { sql, type RawBuilder } from 'kysely';
import { dayOf } from '../../../core/calendar.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../context.js';
import { anonymise } from './anonymity.js';
import { readAcrossTenants } from './platform-wide.js';
import type { SubscribersByPlan, TicketsByRegion, UptimeByRegion } from './schema.js';

// Cross-tenant distributions: each group is an aggregate over ALL tenants (one query per answer),
// with the count of the caller's own tenants in it, so that anonymity.ts can decide what a
// non-master caller may see.

const DAY_MS = 24 * 3600_000;
const num = (v: unknown) => Number(v ?? 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Whether tenant row `t` is in the caller's scope, as SQL. */
function ownTenant(principal: Principal): RawBuilder<boolean> {
  switch (principal.role) {
    case 'master_admin':
      return sql<boolean>`1 = 1`;
    case 'reseller':
      return sql<boolean>`t.reseller_id = ${principal.resellerId ?? ''}`;
    default:
      return sql<boolean>`t.id = ${principal.tenantId ?? ''}`;
  }
}

export async function subscribersByPlan(ctx: ServiceContext): Promise<SubscribersByPlan> {
  const own = ownTenant(ctx.principal);
  const rows = await readAcrossTenants(ctx, (db) =>
    db
      .selectFrom('subscriptions as s')
      .innerJoin('tenants as t', 't.id', 's.tenant_id')
      .where('s.status', '<>', 'cancelled')
      .select([
        's.plan as key',
        sql<number>`count(distinct s.tenant_id)`.as('tenants'),
        sql<number>`count(distinct case when ${own} then s.tenant_id end)`.as('own'),
        sql<number>`sum(s.subscribers)`.as('subscribers'),
      ])
      .groupBy('s.plan')
      .orderBy('s.plan')
      .execute(),
  );
  const groups = rows.map((r) => {
    const tenants = num(r.tenants);
    const subscribers = num(r.subscribers);
    return { key: r.key, tenants, own: num(r.own), subscribers, average_subscribers: Math.round(subscribers / tenants) };
  });
  return anonymise(ctx.principal.role, groups);
}

export async function uptimeByRegion(ctx: ServiceContext): Promise<UptimeByRegion> {
  const own = ownTenant(ctx.principal);
  const since = new Date(ctx.clock.now().getTime() - 7 * DAY_MS).toISOString();
  const rows = await readAcrossTenants(ctx, (db) =>
    db
      .selectFrom('tenants as t')
      .innerJoin(
        db
          .selectFrom('health_checks')
          .where('health_checks.at', '>=', since)
          .select((eb) => ['health_checks.tenant_id', eb.fn.countAll<number>().as('checks'), sql<number>`sum(case when status <> 'down' then 1 else 0 end)`.as('answering')])
          .groupBy('health_checks.tenant_id')
          .as('c'),
        'c.tenant_id',
        't.id',
      )
      .where('t.status', '<>', 'cancelled')
      .select([
        't.region as key',
        sql<number>`count(*)`.as('tenants'),
        sql<number>`sum(case when ${own} then 1 else 0 end)`.as('own'),
        sql<number>`sum(c.checks)`.as('checks'),
        sql<number>`sum(c.answering)`.as('answering'),
      ])
      .groupBy('t.region')
      .orderBy('t.region')
      .execute(),
  );
  const groups = rows.map((r) => {
    const checks = num(r.checks);
    return { key: r.key, tenants: num(r.tenants), own: num(r.own), checks, uptime_pct: checks === 0 ? null : round2((num(r.answering) * 100) / checks) };
  });
  return anonymise(ctx.principal.role, groups);
}

export async function ticketsByRegion(ctx: ServiceContext): Promise<TicketsByRegion> {
  const own = ownTenant(ctx.principal);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const since = `${dayOf(new Date(now.getTime() - 30 * DAY_MS))}T00:00:00.000Z`;
  const rows = await readAcrossTenants(ctx, (db) =>
    db
      .selectFrom('tenants as t')
      .leftJoin(
        db
          .selectFrom('tickets')
          .select([
            'tickets.tenant_id',
            sql<number>`sum(case when status in ('open', 'in_progress') then 1 else 0 end)`.as('open'),
            sql<number>`sum(case when status in ('open', 'in_progress') and (breaches > 0 or (response_due_at is not null and response_due_at < ${nowIso} and responded_at is null)) then 1 else 0 end)`.as('breached'),
            sql<number>`sum(case when created_at >= ${since} then 1 else 0 end)`.as('opened'),
          ])
          .groupBy('tickets.tenant_id')
          .as('k'),
        'k.tenant_id',
        't.id',
      )
      .where('t.status', '<>', 'cancelled')
      .select([
        't.region as key',
        sql<number>`count(*)`.as('tenants'),
        sql<number>`sum(case when ${own} then 1 else 0 end)`.as('own'),
        sql<number>`coalesce(sum(k.open), 0)`.as('open'),
        sql<number>`coalesce(sum(k.breached), 0)`.as('breached'),
        sql<number>`coalesce(sum(k.opened), 0)`.as('opened'),
      ])
      .groupBy('t.region')
      .orderBy('t.region')
      .execute(),
  );
  const groups = rows.map((r) => {
    const tenants = num(r.tenants);
    const open = num(r.open);
    return { key: r.key, tenants, own: num(r.own), open, breached: num(r.breached), opened_30d: num(r.opened), open_per_tenant: round2(open / tenants) };
  });
  return anonymise(ctx.principal.role, groups);
}
