import { notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { recordAudit } from '../audit/service.js';
import { summarise } from '../health/summary.js';
import { findReseller } from '../resellers/service.js';
import { getTenant } from '../tenants/service.js';
import { gatherInputs, type CustomerTenant } from './gather.js';
import { scoreHealth } from './health-score.js';
import type { CustomerHealth, CustomerHealthFilter, NpsResponse, RecordNpsInput } from './schema.js';

export async function recordNps(ctx: ServiceContext, ref: string, input: RecordNpsInput): Promise<NpsResponse> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const row = {
      id: newId('nps'),
      tenant_id: tenant.id,
      score: input.score,
      comment: input.comment ?? null,
      recorded_by: ctx.actor?.id ?? ctx.principal.userId,
      recorded_at: ctx.clock.now().toISOString(),
    };
    await trx.insertInto('nps_responses').values(row).execute();
    await recordAudit(trx, ctx, { action: 'nps.record', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, details: { score: row.score } });
    return { ...row, tenant_slug: tenant.slug };
  });
}

/**
 * The health score of every customer (tenant, cancelled ones aside) the caller may see, worst
 * first: staff all, a reseller its customers, a tenant admin its own.
 */
export async function listCustomerHealth(ctx: ServiceContext, filter: CustomerHealthFilter): Promise<{ data: CustomerHealth[]; computed_at: string }> {
  let query = ctx.db
    .selectFrom('tenants')
    .select(['tenants.id', 'tenants.slug', 'tenants.name', 'tenants.plan', 'tenants.reseller_id'])
    .where(scopeTo(ctx.principal, TENANT_SCOPE))
    .where('tenants.status', '<>', 'cancelled')
    .orderBy('tenants.slug');
  if (filter.tenant) query = query.where('tenants.id', '=', (await getTenant(ctx, filter.tenant)).id);
  if (filter.reseller) {
    const reseller = await findReseller(ctx.db, filter.reseller);
    if (!reseller || (ctx.principal.role !== 'master_admin' && reseller.id !== ctx.principal.resellerId)) throw notFound(`reseller "${filter.reseller}" was not found`);
    query = query.where('tenants.reseller_id', '=', reseller.id);
  }
  const tenants: CustomerTenant[] = await query.execute();
  const only = tenants.length === 1 && filter.tenant ? tenants[0]!.id : undefined;
  const summaries = new Map((await summarise(ctx, ctx.db, only)).map((s) => [s.tenant_id, s]));
  const inputsOf = await gatherInputs({ ctx, tenants, summaries });
  const data: CustomerHealth[] = [];
  for (const tenant of tenants) {
    const health = scoreHealth(inputsOf(tenant));
    if (filter.band && health.band !== filter.band) continue;
    data.push({ tenant_id: tenant.id, tenant_slug: tenant.slug, tenant_name: tenant.name, plan: tenant.plan, reseller_id: tenant.reseller_id, ...health });
  }
  data.sort((a, b) => a.score - b.score || (a.band === 'red' ? 0 : 1) - (b.band === 'red' ? 0 : 1) || a.tenant_slug.localeCompare(b.tenant_slug));
  return { data, computed_at: ctx.clock.now().toISOString() };
}

