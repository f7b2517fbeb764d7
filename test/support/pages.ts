import type { ApiClient } from '../../src/client/api-client.js';
import type { Page } from '../../src/client/types.js';

/** Every page of a list, read with one client. */
export async function readAll<T>(client: ApiClient, path: string, query: Record<string, string | number> = {}): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.call<Page<T>>('GET', path, { query: { limit: 500, ...query, cursor } });
    rows.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return rows;
}
