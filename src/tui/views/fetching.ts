import type { Page } from '../../client/types.js';
import type { Row } from './types.js';

/** The most rows a filter pages through on a route without a text query. */
export const MAX_FILTERED_ROWS = 5000;
/** Rows a list shows without a filter (one page). */
export const PAGE = 200;

/** Whether any of the row's text or numbers contains the filter text (case-insensitive). */
export function rowMatches(row: Row, q: string): boolean {
  const needle = q.toLowerCase();
  return Object.values(row).some((value) => (typeof value === 'string' || typeof value === 'number') && String(value).toLowerCase().includes(needle));
}

/**
 * One page without a filter; with one, every page of the list (up to MAX_FILTERED_ROWS rows),
 * matched by text, so the filter covers the whole list and not only the rows on screen.
 */
export async function pageOrFiltered<R>(fetchPage: (params: { limit: number; cursor?: string }) => Promise<Page<R>>, q: string | undefined): Promise<R[]> {
  if (!q) return (await fetchPage({ limit: PAGE })).data;
  const found: R[] = [];
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await fetchPage({ limit: 500, cursor });
    seen += page.data.length;
    found.push(...page.data.filter((row) => rowMatches(row as Row, q)));
    cursor = page.next_cursor ?? undefined;
  } while (cursor && seen < MAX_FILTERED_ROWS);
  return found;
}

export function money(cents: number, currency = 'USD'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${currency === 'USD' ? '$' : `${currency} `}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

export function shortTime(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '-';
}
