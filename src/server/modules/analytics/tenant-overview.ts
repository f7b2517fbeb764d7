import { dayOf } from '../../../core/calendar.js';
import { forbidden } from '../../../core/errors.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { listBackups } from '../backups/service.js';
import { getBranding } from '../branding/service.js';
import { summarise, withP95 } from '../health/summary.js';
import { getTenant } from '../tenants/service.js';
import { showUsage } from '../usage/service.js';
import type { TenantOverview } from './schema.js';
import { openTicketsByPriority } from './tickets-by-priority.js';

/** A tenant admin's overview of its own instance: every read goes through the modules that own the rows, in its scope. */
export async function tenantOverview(ctx: ServiceContext): Promise<TenantOverview> {
  const tenantId = ctx.principal.tenantId;
  if (!tenantId) throw forbidden('this token belongs to no tenant');
  const tenant = await getTenant(ctx, tenantId);
  const today = dayOf(ctx.clock.now());
  const [summaries, usage, due, tickets, backups, branding] = await Promise.all([
    summarise(ctx, ctx.db, tenant.id).then((s) => withP95(ctx, s)),
    showUsage(ctx, { tenant: tenant.id }),
    ctx.db
      .selectFrom('invoices')
      .select(['id', 'period', 'due_on', 'total_cents', 'refunded_cents'])
      .where(scopeTo(ctx.principal, { tenant: 'invoices.tenant_id' }))
      .where('status', '=', 'open')
      .orderBy('due_on')
      .orderBy('id')
      .execute(),
    openTicketsByPriority(ctx),
    listBackups(ctx, tenant.id, { limit: 3 }),
    getBranding(ctx, tenant.id),
  ]);
  const invoices = due.map((i) => ({ id: i.id, period: i.period, due_on: i.due_on, total_cents: Number(i.total_cents), overdue: i.due_on < today }));
  return {
    role: 'tenant_admin',
    as_of: ctx.clock.now().toISOString(),
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status, plan: tenant.plan },
    health: summaries[0] ?? null,
    usage: usage.data[0] ?? null,
    invoices_due: {
      count: invoices.length,
      total_cents: invoices.reduce((s, i) => s + i.total_cents, 0),
      overdue: invoices.filter((i) => i.overdue).length,
      invoices: invoices.slice(0, 10),
    },
    tickets,
    backups: backups.data,
    branding,
  };
}
