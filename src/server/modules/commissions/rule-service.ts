import type { Kysely } from 'kysely';
import { invalid, notFound } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { CommissionRuleRow } from '../../../db/tables/commissions.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo, scopeToReseller, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { visibleReseller } from '../resellers/service.js';
import { isDay } from '../../../core/calendar.js';
import type { CreateCommissionRuleInput } from './schema.js';

/**
 * The rules the caller may read: master_admin every rule; a reseller the rules written for it,
 * less account overrides on customers it no longer has (they no longer apply to it).
 */
export function visibleRules(ctx: ServiceContext, db: Kysely<Database> = ctx.db) {
  let q = db.selectFrom('commission_rules').selectAll().where(scopeToReseller(ctx.principal, 'commission_rules.reseller_id'));
  if (ctx.principal.role !== 'master_admin') q = q.where((eb) => eb.or([eb('commission_rules.tenant_id', 'is', null), scopeTo(ctx.principal, { tenant: 'commission_rules.tenant_id' })(eb)]));
  return q;
}

/** master_admin lists every rule; a reseller the rules written for it. */
export async function listCommissionRules(ctx: ServiceContext, query: { limit: number; cursor?: string; reseller?: string }) {
  let q = visibleRules(ctx).orderBy('id').limit(query.limit + 1);
  if (query.reseller) q = q.where('reseller_id', '=', (await visibleReseller(ctx, query.reseller)).id);
  if (query.cursor) q = q.where('id', '>', decodeCursor(query.cursor));
  return pageFrom(await q.execute(), query.limit, (rule) => rule.id);
}

export async function createCommissionRule(ctx: ServiceContext, input: CreateCommissionRuleInput): Promise<CommissionRuleRow> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const from = input.active_from ?? today;
  const to = input.active_to ?? null;
  for (const day of [from, to]) if (day !== null && !isDay(day)) throw invalid(`"${day}" is not a day (YYYY-MM-DD)`);
  if (to !== null && to < from) throw invalid(`active_to ${to} is before active_from ${from}`);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const reseller = input.reseller ? await visibleReseller(ctx, input.reseller, trx) : null;
    let tenantId: string | null = null;
    if (input.tenant) {
      const tenant = await trx
        .selectFrom('tenants')
        .select(['tenants.id', 'tenants.reseller_id'])
        .where(scopeTo(ctx.principal, TENANT_SCOPE))
        .where(hasPrefix(input.tenant, 'tenant') ? 'tenants.id' : 'tenants.slug', '=', input.tenant)
        .executeTakeFirst();
      if (!tenant) throw notFound(`tenant "${input.tenant}" was not found`);
      if (reseller && tenant.reseller_id !== reseller.id) throw invalid(`tenant "${input.tenant}" is not a customer of reseller "${input.reseller}"; an account override names the account's own reseller, or none`);
      tenantId = tenant.id;
    }
    const row: CommissionRuleRow = {
      id: newId('commissionRule'),
      priority: input.priority,
      bps: input.bps,
      reseller_id: reseller?.id ?? null,
      tenant_id: tenantId,
      plan: input.plan ?? null,
      commission_type: input.commission_type ?? null,
      description: input.description,
      active_from: from,
      active_to: to,
      created_at: ctx.clock.now().toISOString(),
    };
    await trx.insertInto('commission_rules').values(row).execute();
    const { description: _description, created_at: _created, id: _id, ...facts } = row;
    await recordAudit(trx, ctx, { action: 'commission_rule.create', targetType: 'commission_rule', targetId: row.id, tenantId: null, resellerId: row.reseller_id, details: facts });
    return row;
  });
}
