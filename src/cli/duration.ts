import { usageError } from './errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "90m", "12h", "30d", "2w" or plain seconds → seconds. */
export function parseDuration(value: string, flag = '--ttl'): number {
  const match = /^(\d+)\s*([smhdw]?)$/.exec(value.trim());
  if (!match) throw usageError(`${flag} "${value}" is not a duration`, 'use a number with s, m, h, d or w, e.g. 30d');
  return Number(match[1]) * UNITS[match[2] || 's']!;
}
