import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import { recordAudit } from '../audit/service.js';
import type { PriceBook } from './book.js';
import type { PriceBookDocument } from './schema.js';

/**
 * A published price book: the version named, or the newest when none is (new quotes price from
 * the newest; a quote or subscription keeps the version it was made with).
 */
export async function loadPriceBook(db: Kysely<Database>, version?: string): Promise<PriceBook> {
  let query = db.selectFrom('price_books').select(['version', 'document']);
  query = version === undefined ? query.orderBy('published_at', 'desc').orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(version === undefined ? 'no price book has been published' : `price book ${version} not found`);
  return JSON.parse(row.document) as PriceBook;
}

export async function listPlans(ctx: ServiceContext, version?: string) {
  const book = await loadPriceBook(ctx.db, version);
  return {
    price_book_version: book.version,
    data: book.plans.map((plan) => ({
      code: plan.code,
      name: plan.name,
      price_book_version: book.version,
      platform_fee_cents: plan.platform_fee_cents,
      floor_cents: plan.floor_cents ?? null,
      included_subscribers: plan.included_subscribers,
      hard_cap: plan.hard_cap,
      setup_cents: plan.setup_cents,
      bands: plan.bands,
      quoted: plan.quoted,
    })),
  };
}

/** A new version, written once: a version that exists is a conflict, whatever the document says. */
export async function publishPriceBook(ctx: ServiceContext, document: PriceBookDocument) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const existing = await trx.selectFrom('price_books').select('version').where('version', '=', document.version).executeTakeFirst();
    if (existing) throw conflict(`price book ${document.version} is already published, and published versions never change; publish it under a new version`);
    const row = { version: document.version, document: JSON.stringify(document), published_at: ctx.clock.now().toISOString(), published_by: ctx.principal.userId };
    await trx.insertInto('price_books').values(row).execute();
    await recordAudit(trx, ctx, { action: 'pricebook.publish', targetType: 'price_book', targetId: document.version, tenantId: null, details: { plans: document.plans.map((p) => p.code) } });
    return { version: row.version, published_at: row.published_at, published_by: row.published_by };
  });
}
