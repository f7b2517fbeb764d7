import { sql, type Kysely } from 'kysely';
import { conflict, invalid, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import { OPPORTUNITY_STAGES, type OpportunityRow, type OpportunityStage } from '../../../db/tables/pipeline.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { findReseller } from '../resellers/service.js';
import { requireTerritory } from '../territories/service.js';
import type { CreateOpportunityInput, MoveOpportunityInput, Opportunity, OpportunityDetail, OpportunityListFilter } from './schema.js';
import { checkMove, isFinal, OPEN_STAGES, STAGE_PROBABILITY_BPS, weightedValue } from './stages.js';

type Row = OpportunityRow & { reseller_slug: string };

/** Every read of opportunities starts here: the reseller scope, and the owner's slug. */
function scopedOpportunities(ctx: ServiceContext, db: Kysely<Database>) {
  return db
    .selectFrom('opportunities')
    .innerJoin('resellers', 'resellers.id', 'opportunities.reseller_id')
    .selectAll('opportunities')
    .select('resellers.slug as reseller_slug')
    .where(scopeToReseller(ctx.principal, 'opportunities.reseller_id'));
}

function toOpportunity(row: Row): Opportunity {
  const value = Number(row.value_cents);
  return { ...row, value_cents: value, probability_bps: STAGE_PROBABILITY_BPS[row.stage], weighted_cents: weightedValue(value, row.stage) };
}

/** A reseller filter or owner names a reseller the caller may act for: staff any, a reseller only itself. */
async function visibleReseller(ctx: ServiceContext, db: Kysely<Database>, ref: string): Promise<{ id: string; slug: string }> {
  const reseller = await findReseller(db, ref);
  if (!reseller || (ctx.principal.role !== 'master_admin' && reseller.id !== ctx.principal.resellerId)) throw notFound(`reseller "${ref}" was not found`);
  return reseller;
}

const probabilityCase = sql<number>`case opportunities.stage ${sql.join(
  OPPORTUNITY_STAGES.map((s) => sql`when ${sql.lit(s)} then ${sql.lit(STAGE_PROBABILITY_BPS[s])}`),
  sql` `,
)} else 0 end`;

/**
 * The open pipeline's weighted value (each opportunity's rounded weighted value, summed) per
 * reseller, for the reseller KPIs; `resellerId` narrows it to one.
 */
export async function openPipelineByReseller(ctx: ServiceContext, resellerId?: string): Promise<Map<string, number>> {
  let query = ctx.db
    .selectFrom('opportunities')
    .where(scopeToReseller(ctx.principal, 'opportunities.reseller_id'))
    .where('opportunities.stage', 'in', [...OPEN_STAGES])
    .select(['opportunities.reseller_id', sql<number>`sum((cast(opportunities.value_cents as bigint) * ${probabilityCase} + 5000) / 10000)`.as('weighted_cents')])
    .groupBy('opportunities.reseller_id');
  if (resellerId) query = query.where('opportunities.reseller_id', '=', resellerId);
  return new Map((await query.execute()).map((r) => [r.reseller_id, Number(r.weighted_cents ?? 0)]));
}

export async function listOpportunities(ctx: ServiceContext, filter: OpportunityListFilter) {
  const resellerId = filter.reseller ? (await visibleReseller(ctx, ctx.db, filter.reseller)).id : undefined;
  const filtered = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q => {
    let q = query;
    if (filter.stage) q = q.where('opportunities.stage', '=', filter.stage);
    if (resellerId) q = q.where('opportunities.reseller_id', '=', resellerId);
    return q;
  };
  let page = filtered(scopedOpportunities(ctx, ctx.db)).orderBy('opportunities.id').limit(filter.limit + 1);
  if (filter.cursor) page = page.where('opportunities.id', '>', decodeCursor(filter.cursor));
  const rows = await page.execute();
  // weighted totals are sums of each opportunity's rounded weighted value, as on every line
  const sums = await filtered(
    ctx.db
      .selectFrom('opportunities')
      .where(scopeToReseller(ctx.principal, 'opportunities.reseller_id'))
      .select((eb) => [
        'opportunities.stage',
        eb.fn.countAll<number>().as('count'),
        sql<number>`sum(opportunities.value_cents)`.as('value_cents'),
        sql<number>`sum((cast(opportunities.value_cents as bigint) * ${probabilityCase} + 5000) / 10000)`.as('weighted_cents'),
      ])
      .groupBy('opportunities.stage'),
  ).execute();
  const byStage = new Map(sums.map((s) => [s.stage, s]));
  const totals = OPPORTUNITY_STAGES.map((stage) => {
    const s = byStage.get(stage);
    return { stage, count: Number(s?.count ?? 0), value_cents: Number(s?.value_cents ?? 0), weighted_cents: Number(s?.weighted_cents ?? 0) };
  });
  const total = totals.reduce((t, s) => ({ count: t.count + s.count, value_cents: t.value_cents + s.value_cents, weighted_cents: t.weighted_cents + s.weighted_cents }), {
    count: 0,
    value_cents: 0,
    weighted_cents: 0,
  });
  return { ...pageFrom(rows.map(toOpportunity), filter.limit, (o) => o.id), totals, total };
}

async function findOpportunity(ctx: ServiceContext, db: Kysely<Database>, id: string): Promise<Row> {
  const row = await scopedOpportunities(ctx, db).where('opportunities.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`opportunity "${id}" was not found`);
  return row;
}

export async function getOpportunity(ctx: ServiceContext, id: string): Promise<OpportunityDetail> {
  const row = await findOpportunity(ctx, ctx.db, id);
  const history = await ctx.db
    .selectFrom('opportunity_stage_changes')
    .select(['from_stage', 'to_stage', 'reason', 'actor', 'actor_role', 'at'])
    .where(scopeToReseller(ctx.principal, 'opportunity_stage_changes.reseller_id'))
    .where('opportunity_id', '=', row.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return { ...toOpportunity(row), history };
}

export async function createOpportunity(ctx: ServiceContext, input: CreateOpportunityInput): Promise<OpportunityDetail> {
  const { principal } = ctx;
  if (principal.role === 'master_admin' && !input.reseller) throw invalid('an opportunity belongs to a reseller: name it with reseller', { errors: [{ path: 'reseller', message: 'required for staff' }] });
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const reseller = input.reseller ? await visibleReseller(ctx, trx, input.reseller) : await visibleReseller(ctx, trx, principal.resellerId ?? '');
    const territoryId = await requireTerritory(trx, reseller.id, input.region);
    const now = ctx.clock.now().toISOString();
    const actor = ctx.actor?.id ?? principal.userId;
    const row: OpportunityRow = {
      id: newId('opportunity'),
      reseller_id: reseller.id,
      prospect_name: input.prospect_name,
      prospect_email: input.prospect_email ?? null,
      region: input.region,
      territory_id: territoryId,
      value_cents: input.value_cents,
      close_date: input.close_date ?? null,
      stage: input.stage,
      quote_id: input.quote_id ?? null,
      created_by: actor,
      created_at: now,
      updated_at: now,
      closed_at: null,
    };
    await trx.insertInto('opportunities').values(row).execute();
    const change = await recordStageChange(trx, ctx, row, null, row.stage, ctx.reason, now);
    await recordAudit(trx, ctx, {
      action: 'opportunity.create',
      targetType: 'opportunity',
      targetId: row.id,
      tenantId: null,
      resellerId: reseller.id,
      details: { region: row.region, value_cents: row.value_cents, stage: row.stage, territory_id: territoryId },
    });
    return { ...toOpportunity({ ...row, reseller_slug: reseller.slug }), history: [change] };
  });
}

export async function moveOpportunity(ctx: ServiceContext, id: string, input: MoveOpportunityInput): Promise<Outcome<OpportunityDetail>> {
  const outcome = await writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findOpportunity(ctx, trx, id);
    const check = checkMove(row.stage, input.stage);
    if (!check.allowed) throw conflict(`cannot move opportunity ${row.id} from ${row.stage} to ${input.stage}: ${check.why}`);
    if (check.direction === 'same') return false;
    await applyMove(trx, ctx, row, input.stage, input.reason ?? ctx.reason, ctx.clock.now().toISOString(), {});
    return true;
  });
  return { value: await getOpportunity(ctx, id), changed: outcome };
}

async function applyMove(trx: Kysely<Database>, ctx: ServiceContext, row: OpportunityRow, to: OpportunityStage, reason: string | null, now: string, details: Record<string, unknown>) {
  await trx
    .updateTable('opportunities')
    .set({ stage: to, updated_at: now, closed_at: isFinal(to) ? now : null })
    .where('id', '=', row.id)
    .execute();
  await recordStageChange(trx, ctx, row, row.stage, to, reason, now);
  await recordAudit(trx, ctx, {
    action: 'opportunity.move',
    targetType: 'opportunity',
    targetId: row.id,
    tenantId: null,
    resellerId: row.reseller_id,
    details: { from: row.stage, to, ...details },
  });
}

async function recordStageChange(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  row: Pick<OpportunityRow, 'id' | 'reseller_id'>,
  from: OpportunityStage | null,
  to: OpportunityStage,
  reason: string | null,
  at: string,
) {
  const change = { from_stage: from, to_stage: to, reason, actor: ctx.actor?.id ?? ctx.principal.userId, actor_role: ctx.actor?.role ?? ctx.principal.role, at };
  await trx.insertInto('opportunity_stage_changes').values({ id: newId('stageChange'), opportunity_id: row.id, reseller_id: row.reseller_id, ...change }).execute();
  return change;
}

/**
 * For quote acceptance (wired by the lead): inside the caller's transaction, move the opportunity
 * to won from whichever open stage it is in, recording the change and its audit event. Returns
 * false, writing nothing, when it is already won. A lost opportunity is final: 409. The caller
 * has already decided the quote may be accepted, so this reads the opportunity unscoped.
 */
export async function markOpportunityWon(trx: Kysely<Database>, ctx: ServiceContext, opportunityId: string, at: Date, quoteId?: string): Promise<boolean> {
  const row = await trx.selectFrom('opportunities').selectAll().where('id', '=', opportunityId).executeTakeFirst();
  if (!row) throw notFound(`opportunity "${opportunityId}" was not found`);
  if (row.stage === 'won') return false;
  if (row.stage === 'lost') throw conflict(`opportunity ${row.id} is lost, which is final; it cannot be won`);
  await applyMove(trx, ctx, row, 'won', 'quote accepted', at.toISOString(), { quote_id: quoteId ?? row.quote_id });
  if (quoteId && row.quote_id !== quoteId) await trx.updateTable('opportunities').set({ quote_id: quoteId }).where('id', '=', row.id).execute();
  return true;
}
