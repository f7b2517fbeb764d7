import { Args, Flags } from '@oclif/core';

// What `dotmac flags` commands take: a flag key argument, --rollout and tenant lists.

export const flagKeyArg = { key: Args.string({ description: 'flag key, e.g. new-billing', required: true }) };

export const ROLLOUT_RULE = 'must be a percentage from 0 to 100 with at most 2 decimals, e.g. 25 or 12.5';

/** A rollout percentage as typed (`25`, `12.5`, `12.5%`), or an error naming the range (exit 2). */
export function parseRollout(input: string): number {
  const text = input.trim().replace(/\s*%$/, '');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || Number(text) > 100) throw new Error(`${ROLLOUT_RULE} (got "${input}")`);
  return Number(text);
}

/** A comma-separated list of tenant slugs or ids; an empty value clears the list. */
export function parseTenantList(input: string): string[] {
  return [...new Set(input.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}

export const rolloutFlag = Flags.custom<number>({ description: `percentage of tenants the flag is on for, 0–100 (at most 2 decimals)`, parse: async (input) => parseRollout(input) });
export const tenantListFlag = (description: string) => Flags.custom<string[]>({ description, parse: async (input) => parseTenantList(input) });
