import { invalid } from '../core/errors.js';

/** Cursors are opaque to callers: base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw invalid('the cursor is not valid');
  return key;
}
