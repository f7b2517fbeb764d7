/** A configuration value may nest arrays and objects at most this deep (`[[1]]` is 2 deep). */
export const MAX_VALUE_DEPTH = 32;

/**
 * Whether arrays and objects nest more than `limit` deep in `value`. It looks no deeper than the
 * limit, so any value, however deep, is safe to ask about (JSON.stringify is not). No zod and no
 * I/O: the CLI checks a value with it before sending one it could not even serialise.
 */
export function nestedDeeperThan(value: unknown, limit = MAX_VALUE_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  return Object.values(value).some((child) => nestedDeeperThan(child, limit - 1));
}

export const tooDeep = (key: string): string => `value of ${key} is nested deeper than ${MAX_VALUE_DEPTH} levels`;
