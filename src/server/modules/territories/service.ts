import type { Kysely } from 'kysely';
import { AppError, conflict, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { TerritoryRow } from '../../../db/tables/pipeline.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { recordAudit } from '../audit/service.js';
import { findReseller } from '../resellers/service.js';
import { overlapsOf, regionAllowed } from './regions.js';
import type { AssignTerritoryInput, CreateTerritoryInput, Territory } from './schema.js';

function scopedTerritories(ctx: ServiceContext, db: Kysely<Database>) {
  return db
    .selectFrom('territories')
    .leftJoin('resellers', 'resellers.id', 'territories.reseller_id')
    .selectAll('territories')
    .select('resellers.slug as reseller_slug')
    .where(scopeToReseller(ctx.principal, 'territories.reseller_id'));
}

function toTerritory(row: TerritoryRow & { reseller_slug: string | null }): Territory {
  return { ...row, regions: JSON.parse(row.regions) as string[] };
}

/** Staff see every territory with its overlaps; a reseller sees the territories it holds. */
export async function listTerritories(ctx: ServiceContext): Promise<{ data: Territory[] }> {
  const rows = (await scopedTerritories(ctx, ctx.db).orderBy('territories.name').orderBy('territories.id').execute()).map(toTerritory);
  if (ctx.principal.role !== 'master_admin') return { data: rows };
  const overlaps = overlapsOf(rows);
  return { data: rows.map((t) => ({ ...t, overlaps: overlaps.get(t.id) ?? [] })) };
}

async function findTerritory(ctx: ServiceContext, db: Kysely<Database>, ref: string): Promise<Territory> {
  const row = await scopedTerritories(ctx, db)
    .where(hasPrefix(ref, 'territory') ? 'territories.id' : 'territories.name', '=', ref)
    .executeTakeFirst();
  if (!row) throw notFound(`territory "${ref}" was not found`);
  return toTerritory(row);
}

export async function createTerritory(ctx: ServiceContext, input: CreateTerritoryInput): Promise<Territory> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const taken = await trx.selectFrom('territories').select('id').where('name', '=', input.name).executeTakeFirst();
    if (taken) throw conflict(`a territory named "${input.name}" already exists; choose another name`);
    const now = ctx.clock.now().toISOString();
    const regions = [...new Set(input.regions)].sort();
    const row: TerritoryRow = { id: newId('territory'), name: input.name, regions: JSON.stringify(regions), reseller_id: null, created_at: now, updated_at: now };
    await trx.insertInto('territories').values(row).execute();
    await recordAudit(trx, ctx, { action: 'territory.create', targetType: 'territory', targetId: row.id, tenantId: null, resellerId: null, details: { name: row.name, regions } });
    return { ...toTerritory({ ...row, reseller_slug: null }), overlaps: undefined };
  });
}

/** Gives the territory to a reseller (one holder at a time; a reseller may hold several), or takes it back with null. */
export async function assignTerritory(ctx: ServiceContext, ref: string, input: AssignTerritoryInput): Promise<Outcome<Territory>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const territory = await findTerritory(ctx, trx, ref);
    let reseller: { id: string; slug: string } | null = null;
    if (input.reseller !== null) {
      const found = await findReseller(trx, input.reseller);
      if (!found) throw notFound(`reseller "${input.reseller}" was not found`);
      reseller = found;
    }
    if (territory.reseller_id === (reseller?.id ?? null)) return { value: territory, changed: false };
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('territories').set({ reseller_id: reseller?.id ?? null, updated_at: now }).where('id', '=', territory.id).execute();
    await recordAudit(trx, ctx, {
      action: reseller ? 'territory.assign' : 'territory.unassign',
      targetType: 'territory',
      targetId: territory.id,
      tenantId: null,
      resellerId: reseller?.id ?? territory.reseller_id,
      details: { name: territory.name, from: territory.reseller_slug, to: reseller?.slug ?? null },
    });
    return { value: { ...territory, reseller_id: reseller?.id ?? null, reseller_slug: reseller?.slug ?? null, updated_at: now }, changed: true };
  });
}

/**
 * Every region of the territories a reseller holds, sorted: what it may quote and open
 * opportunities in. Unscoped: callers pass the reseller whose rights they are checking.
 */
export async function resellerRegions(db: Kysely<Database>, resellerId: string): Promise<string[]> {
  const rows = await db.selectFrom('territories').select('regions').where('reseller_id', '=', resellerId).execute();
  return [...new Set(rows.flatMap((r) => JSON.parse(r.regions) as string[]))].sort();
}

/** 403 with the code `outside_territory`, worded for the reseller and for staff acting for it. */
export function outsideTerritory(region: string, regions: readonly string[]): AppError {
  const held = regions.length === 0 ? 'the reseller holds no territory, so it may not sell in any region' : `the reseller's territories cover ${regions.join(', ')}`;
  return new AppError('forbidden', `region "${region}" is outside the reseller's territories: ${held}`, { code: 'outside_territory' });
}

/**
 * Throws outside_territory unless the reseller's territories cover the region; returns the id of
 * the first territory (by name) that does.
 */
export async function requireTerritory(db: Kysely<Database>, resellerId: string, region: string): Promise<string> {
  const rows = await db.selectFrom('territories').select(['id', 'regions']).where('reseller_id', '=', resellerId).orderBy('name').execute();
  const hit = rows.find((r) => regionAllowed(JSON.parse(r.regions) as string[], region));
  if (!hit) throw outsideTerritory(region, await resellerRegions(db, resellerId));
  return hit.id;
}
