import type { Selectable } from 'kysely';

/** One published price book version; never updated once written (COMMERCE.md: versions are immutable). */
export interface PriceBooksTable {
  version: string;
  /** the PriceBook document (src/server/modules/pricebook/book.ts) as JSON text */
  document: string;
  published_at: string;
  published_by: string;
}

export type PriceBookRow = Selectable<PriceBooksTable>;
