import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

/**
 * What a change verb did. A verb whose end state already holds (suspending a suspended tenant,
 * revoking a revoked token) succeeds without writing or auditing anything; the response carries
 * the resource as it is and says `Dotmac-Outcome: unchanged`.
 */
export interface Outcome<T> {
  value: T;
  changed: boolean;
}

export const OUTCOME_HEADER = 'dotmac-outcome';

export function outcomeResponse<T>(c: Context, outcome: Outcome<T>): Response {
  c.header(OUTCOME_HEADER, outcome.changed ? 'changed' : 'unchanged');
  return c.json(outcome.value as object, 200);
}

/** The OpenAPI description of a change verb's 200 answer, header included. */
export function changed<T extends z.ZodType>(schema: T, description: string) {
  return {
    description,
    headers: z.object({ [OUTCOME_HEADER]: z.enum(['changed', 'unchanged']).openapi({ description: '`unchanged` when the end state already held: nothing was written' }) }),
    content: { 'application/json': { schema } },
  };
}
