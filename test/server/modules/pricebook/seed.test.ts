// The 2025.1 price book the migration seeds is the one the pricing rules are tested against, and
// a published version never changes, on either dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICE_BOOK_2025_1 } from '../../../../src/server/modules/pricebook/book.js';
import { loadPriceBook } from '../../../../src/server/modules/pricebook/service.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

describe('the seeded price book', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('is COMMERCE.md\'s 2025.1, and the newest', async () => {
    expect(await loadPriceBook(api.connection.db, '2025.1')).toEqual(PRICE_BOOK_2025_1);
    expect((await loadPriceBook(api.connection.db)).version).toBe('2025.1');
    await expect(loadPriceBook(api.connection.db, '1999.1')).rejects.toThrow(/not found/);
  });

  it('refuses any change to a published version', async () => {
    await expect(api.connection.db.updateTable('price_books').set({ document: '{}' }).where('version', '=', '2025.1').execute()).rejects.toThrow(/never change/);
  });
});
