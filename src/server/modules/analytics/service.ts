import { TENANT_PLANS, TENANT_STATUSES } from '../../../db/tables/tenants.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';

/** Tenants by status, by plan and by reseller, within the caller's scope. */
export async function platformOverview(ctx: ServiceContext) {
  const scoped = ctx.db.selectFrom('tenants').where(scopeTo(ctx.principal, TENANT_SCOPE));
  const [byStatus, byPlan, byReseller] = await Promise.all([
    scoped.select(['status as key', (eb) => eb.fn.countAll<number>().as('tenants')]).groupBy('status').execute(),
    scoped.select(['plan as key', (eb) => eb.fn.countAll<number>().as('tenants')]).groupBy('plan').execute(),
    scoped
      .leftJoin('resellers', 'resellers.id', 'tenants.reseller_id')
      .select(['tenants.reseller_id', 'resellers.slug', 'resellers.name', (eb) => eb.fn.countAll<number>().as('tenants')])
      .groupBy(['tenants.reseller_id', 'resellers.slug', 'resellers.name'])
      .orderBy('tenants', 'desc')
      .orderBy('resellers.slug')
      .execute(),
  ]);
  const ordered = (rows: { key: string; tenants: number }[], keys: readonly string[]) =>
    keys.map((key) => ({ key, tenants: Number(rows.find((r) => r.key === key)?.tenants ?? 0) }));
  const by_status = ordered(byStatus, TENANT_STATUSES);
  return {
    tenants: by_status.reduce((sum, s) => sum + s.tenants, 0),
    by_status,
    by_plan: ordered(byPlan, TENANT_PLANS),
    by_reseller: byReseller.map((r) => ({ reseller_id: r.reseller_id, slug: r.slug ?? null, name: r.name ?? null, tenants: Number(r.tenants) })),
  };
}
