import type { Kysely } from 'kysely';
import { notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { ResellerRow } from '../../../db/tables/resellers.js';
import { slugUnavailable, writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import type { CreateResellerInput } from './schema.js';

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

export async function listResellers(ctx: ServiceContext, page: { limit: number; cursor?: string }) {
  let query = ctx.db.selectFrom('resellers').selectAll().orderBy('id').limit(page.limit + 1);
  if (ctx.principal.role !== 'master_admin') query = query.where('id', '=', ctx.principal.resellerId ?? '');
  if (page.cursor) query = query.where('id', '>', decodeCursor(page.cursor));
  const rows = await query.execute();
  return pageFrom(rows, page.limit, (reseller) => reseller.id);
}

export async function getReseller(ctx: ServiceContext, ref: string): Promise<ResellerRow> {
  const row = await findReseller(ctx.db, ref);
  if (!ownOnly(ctx, row)) throw notFound(`reseller "${ref}" was not found`);
  return row;
}

export async function createReseller(ctx: ServiceContext, input: CreateResellerInput): Promise<ResellerRow> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const taken = await trx.selectFrom('resellers').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw slugUnavailable(input.slug);
    const now = ctx.clock.now().toISOString();
    const row: ResellerRow = {
      id: newId('reseller'),
      slug: input.slug,
      name: input.name,
      territory: input.territory ?? null,
      tier: input.tier,
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
      details: { slug: row.slug, territory: row.territory, tier: row.tier },
    });
    return row;
  });
}
