import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { grantPlatformTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// The price book (issue 8): one row per published version, the document as JSON. Platform data,
// read by every role; published versions never change (the API role may only insert). Seeded with
// 2025.1 exactly as COMMERCE.md gives it, written out here (not imported) so the seed stays frozen.
const PRICE_BOOK_2025_1 = {
  version: '2025.1',
  currency: 'USD',
  plans: [
    {
      code: 'starter', name: 'Starter', platform_fee_cents: 4900, included_subscribers: 100,
      bands: [{ from: 101, to: 250, unit_cents: 50 }], hard_cap: 250,
      allowances: { users: 10, devices: 25, storage_gb: 10, api_calls: 10000 },
      overage: { user_cents: 200, device_cents: 50, storage_gb_cents: 10, api_calls_1k_cents: 5 },
      setup_cents: 0, quoted: false,
    },
    {
      code: 'professional', name: 'Professional', platform_fee_cents: 14900, included_subscribers: 1000,
      bands: [{ from: 1001, to: 2500, unit_cents: 14 }, { from: 2501, to: 5000, unit_cents: 12 }], hard_cap: 5000,
      allowances: { users: 50, devices: 250, storage_gb: 100, api_calls: 100000 },
      overage: { user_cents: 150, device_cents: 40, storage_gb_cents: 8, api_calls_1k_cents: 4 },
      setup_cents: 50000, quoted: false,
    },
    {
      code: 'enterprise', name: 'Enterprise', platform_fee_cents: 49900, included_subscribers: 2500,
      bands: [{ from: 2501, to: 10000, unit_cents: 12 }, { from: 10001, to: 25000, unit_cents: 9 }, { from: 25001, to: 50000, unit_cents: 6 }],
      hard_cap: 50000,
      allowances: { users: 200, devices: 1000, storage_gb: 500, api_calls: 1000000 },
      overage: { user_cents: 100, device_cents: 30, storage_gb_cents: 6, api_calls_1k_cents: 3 },
      setup_cents: 150000, quoted: false,
    },
    {
      code: 'custom', name: 'Custom', platform_fee_cents: null, floor_cents: 249900, included_subscribers: 0,
      bands: [], hard_cap: null, allowances: null, overage: null, setup_cents: 300000, quoted: true,
    },
  ],
  addons: [
    { code: 'white-label', name: 'White label', monthly_cents: 9900, included_in: ['enterprise'] },
    { code: 'premium-support', name: 'Premium support', monthly_cents: 19900, included_in: [] },
    { code: 'extended-backups', name: 'Extended backups', monthly_cents: 4900, included_in: [] },
    { code: 'sandbox', name: 'Sandbox', monthly_cents: 2900, included_in: [] },
  ],
  terms: [
    { months: 1, discount_bps: 0 },
    { months: 12, discount_bps: 1000 },
    { months: 24, discount_bps: 1500 },
    { months: 36, discount_bps: 2000 },
  ],
  trial_days: 14,
  commitment_min_term_months: 12,
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('price_books')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .execute();
  await grantPlatformTable(db, 'price_books', 'select, insert');
  await db
    .insertInto('price_books')
    .values({ version: '2025.1', document: JSON.stringify(PRICE_BOOK_2025_1), published_at: '2025-01-01T00:00:00.000Z', published_by: 'migration' })
    .execute();
  // Published versions never change, on either dialect, whoever connects.
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`create trigger price_books_immutable before update on price_books begin select raise(abort, 'published price books never change'); end`.execute(db);
  } else {
    await sql`create function price_books_immutable() returns trigger language plpgsql as $$ begin raise exception 'published price books never change'; end $$`.execute(db);
    await sql`create trigger price_books_immutable before update on price_books for each row execute function price_books_immutable()`.execute(db);
  }
}
