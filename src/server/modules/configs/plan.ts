import type { ConfigDelta } from './schema.js';
import { isSecretKey } from './keys.js';

/**
 * A tenant's whole configuration: value and secrecy by key. What a version holds. A secret that did
 * not open has the value UNOPENED (sealing.ts) and what is stored in `sealed`.
 */
export type ConfigState = Record<string, { value: unknown; secret: boolean; sealed?: string }>;

/** JSON text with object keys sorted, so that equal values are equal text, whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

/**
 * A key stays secret once it is: a known secret key always is, `secret` marks others, and a key
 * that holds a secret keeps being one until it is unset.
 */
function secretAfter(current: ConfigState, key: string, marked: readonly string[]): boolean {
  return isSecretKey(key) || marked.includes(key) || current[key]?.secret === true;
}

/** `configs set` and `configs unset`: the given values written, the given keys removed. */
export function withChanges(current: ConfigState, change: { values?: Record<string, unknown>; secret?: readonly string[]; unset?: readonly string[] }): ConfigState {
  const next: ConfigState = { ...current };
  for (const [key, value] of Object.entries(change.values ?? {})) next[key] = { value, secret: secretAfter(current, key, change.secret ?? []) };
  for (const key of change.unset ?? []) delete next[key];
  return next;
}

/** `configs apply`: the file's values written; with prune, every key the file does not name removed. */
export function applied(current: ConfigState, file: { values: Record<string, unknown>; secret?: readonly string[]; prune: boolean }): ConfigState {
  const next = withChanges(file.prune ? {} : current, { values: file.values, secret: file.secret });
  // secrecy follows the current key even when prune rebuilt the state from nothing
  for (const key of Object.keys(next)) if (current[key]?.secret) next[key]!.secret = true;
  return next;
}

/** What turns `before` into `after`, by key; values only where neither side is a secret. */
export function deltas(before: ConfigState, after: ConfigState): ConfigDelta[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: ConfigDelta[] = [];
  for (const key of keys) {
    const was = before[key];
    const now = after[key];
    if (was && now && was.secret === now.secret && canonicalJson(was.value) === canonicalJson(now.value)) continue;
    const secret = (was?.secret ?? false) || (now?.secret ?? false);
    const delta: ConfigDelta = { key, change: !was ? 'added' : !now ? 'removed' : 'changed', secret };
    if (!secret) {
      if (was) delta.before = was.value;
      if (now) delta.after = now.value;
    }
    out.push(delta);
  }
  return out;
}
