import type { Kysely } from 'kysely';
import { notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { ResellerRow } from '../../../db/tables/resellers.js';
import { slugUnavailable, writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { effectiveTier, type PartnerTier } from '../commissions/rates.js';
import type { CreateResellerInput, UpdateResellerInput } from './schema.js';

export interface ResellerView extends Omit<ResellerRow, 'tier'> {
  tier: PartnerTier;
  lifetime_revenue_cents: number;
}

/** Unscoped lookup by id or slug, for resolving references inside other services. */
export async function findReseller(db: Kysely<Database>, ref: string): Promise<ResellerRow | undefined> {
  return db
    .selectFrom('resellers')
    .selectAll()
    .where(hasPrefix(ref, 'reseller') ? 'id' : 'slug', '=', ref)
    .executeTakeFirst();
}

/** A reseller sees only itself; staff see all. (tenant_admin is refused at the route.) */
function ownOnly(ctx: ServiceContext, row: ResellerRow | undefined): row is ResellerRow {
  return !!row && (ctx.principal.role === 'master_admin' || row.id === ctx.principal.resellerId);
}

/**
 * Lifetime partner-sourced revenue: the recurring revenue of paid invoices its commissions were
 * earned on (recurring, renewal and upsell bases, cancelled events left out).
 */
export async function lifetimeRevenues(db: Kysely<Database>, resellerIds: string[]): Promise<Map<string, number>> {
  if (resellerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('commission_events')
    .select(['reseller_id', (eb) => eb.fn.sum<string | number>('base_cents').as('revenue')])
    .where('reseller_id', 'in', resellerIds)
    .where('type', 'in', ['recurring', 'renewal', 'upsell'])
    .where('status', '<>', 'cancelled')
    .groupBy('reseller_id')
    .execute();
  return new Map(rows.map((row) => [row.reseller_id, Number(row.revenue ?? 0)]));
}

export function resellerView(row: ResellerRow, lifetime: number): ResellerView {
  return { ...row, tier: effectiveTier(row, lifetime), lifetime_revenue_cents: lifetime };
}

async function withRevenue(db: Kysely<Database>, rows: ResellerRow[]): Promise<ResellerView[]> {
  const revenue = await lifetimeRevenues(db, rows.map((r) => r.id));
  return rows.map((row) => resellerView(row, revenue.get(row.id) ?? 0));
}

export async function listResellers(ctx: ServiceContext, page: { limit: number; cursor?: string }) {
  let query = ctx.db.selectFrom('resellers').selectAll().orderBy('id').limit(page.limit + 1);
  if (ctx.principal.role !== 'master_admin') query = query.where('id', '=', ctx.principal.resellerId ?? '');
  if (page.cursor) query = query.where('id', '>', decodeCursor(page.cursor));
  const rows = await query.execute();
  const result = pageFrom(rows, page.limit, (reseller) => reseller.id);
  return { ...result, data: await withRevenue(ctx.db, result.data) };
}

/** The reseller as the caller may see it (404 otherwise), unscoped row. */
export async function visibleReseller(ctx: ServiceContext, ref: string, db: Kysely<Database> = ctx.db): Promise<ResellerRow> {
  const row = await findReseller(db, ref);
  if (!ownOnly(ctx, row)) throw notFound(`reseller "${ref}" was not found`);
  return row;
}

export async function getReseller(ctx: ServiceContext, ref: string): Promise<ResellerView> {
  const [view] = await withRevenue(ctx.db, [await visibleReseller(ctx, ref)]);
  return view!;
}

export async function createReseller(ctx: ServiceContext, input: CreateResellerInput): Promise<ResellerView> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const taken = await trx.selectFrom('resellers').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw slugUnavailable(input.slug);
    const now = ctx.clock.now().toISOString();
    const row: ResellerRow = {
      id: newId('reseller'),
      slug: input.slug,
      name: input.name,
      territory: input.territory ?? null,
      tier: input.tier ?? 'bronze',
      kind: input.kind,
      quota_cents: null,
      tier_source: input.tier ? 'manual' : 'revenue',
      default_commission_bps: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('resellers').values(row).execute();
    await recordAudit(trx, ctx, {
      action: 'reseller.create',
      targetType: 'reseller',
      targetId: row.id,
      tenantId: null,
      resellerId: row.id,
      details: { slug: row.slug, territory: row.territory, tier: row.tier, kind: row.kind },
    });
    return resellerView(row, 0);
  });
}

/** Partner settings (master_admin): tier by hand or `auto`, quota, kind, default rate. */
export async function updateReseller(ctx: ServiceContext, ref: string, input: UpdateResellerInput): Promise<Outcome<ResellerView>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await visibleReseller(ctx, ref, trx);
    const wanted: Partial<ResellerRow> = {};
    if (input.tier === 'auto') wanted.tier_source = 'revenue';
    else if (input.tier !== undefined) Object.assign(wanted, { tier: input.tier, tier_source: 'manual' });
    if (input.quota_cents !== undefined) wanted.quota_cents = input.quota_cents;
    if (input.kind !== undefined) wanted.kind = input.kind;
    if (input.default_commission_bps !== undefined) wanted.default_commission_bps = input.default_commission_bps;
    const changes = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => row[key as keyof ResellerRow] !== value)) as Partial<ResellerRow>;
    const revenue = (await lifetimeRevenues(trx, [row.id])).get(row.id) ?? 0;
    if (Object.keys(changes).length === 0) return { value: resellerView(row, revenue), changed: false };
    const next = { ...row, ...changes, updated_at: ctx.clock.now().toISOString() };
    await trx.updateTable('resellers').set({ ...changes, updated_at: next.updated_at }).where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, { action: 'reseller.update', targetType: 'reseller', targetId: row.id, tenantId: null, resellerId: row.id, details: { ...changes } });
    return { value: resellerView(next, revenue), changed: true };
  });
}
