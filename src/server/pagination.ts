import { invalid } from '../core/errors.js';

/** Cursors are opaque to callers: base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** Refuses anything our own cursors never hold: sort keys are ids and numbers, never control characters. */
export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor || /[\u0000-\u001f\u007f-\u009f]/.test(key)) throw invalid('the cursor is not valid');
  return key;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Queries fetch limit + 1 rows; the extra row only tells that another page exists. */
export function pageFrom<T>(rows: T[], limit: number, sortKey: (row: T) => string | number): Page<T> {
  const data = rows.slice(0, limit);
  return { data, next_cursor: rows.length > limit ? encodeCursor(String(sortKey(data.at(-1)!))) : null };
}
