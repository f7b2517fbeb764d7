import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { REGION_CODE } from './regions.js';

export const RegionCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(REGION_CODE, 'a region code: a lower-case letter, then letters, digits or dashes (at most 50), e.g. us-east')
  .openapi({ example: 'us-east' });

export const TerritorySchema = z
  .object({
    id: z.string().openapi({ example: 'ter_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    name: z.string(),
    regions: z.array(z.string()),
    reseller_id: z.string().nullable(),
    reseller_slug: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    overlaps: z
      .array(z.object({ territory: z.string(), regions: z.array(z.string()) }))
      .optional()
      .openapi({ description: 'master_admin only: the other territories sharing a region with this one, and the regions shared' }),
  })
  .openapi('Territory');

export const TerritoryListSchema = z.object({ data: z.array(TerritorySchema) }).openapi('TerritoryList');

export const TerritoryRefParam = z.object({
  ref: z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'territory id or name' }),
});

export const CreateTerritoryBody = z
  .strictObject({
    // a name is also how commands and paths address it: never an id's shape, nor only dots
    name: humanText(100)
      .min(1)
      .refine((name) => !/^\.+$/.test(name) && !name.startsWith('ter_'), 'a name that is not only dots and does not start with "ter_"'),
    regions: z.array(RegionCode).min(1).max(100).openapi({ description: 'region codes, e.g. ["us-east","us-west"]' }),
  })
  .openapi('CreateTerritory');

export const AssignTerritoryBody = z
  .strictObject({
    reseller: z.string().min(1).max(100).nullable().openapi({ description: 'reseller id or slug to hold the territory; null unassigns it' }),
  })
  .openapi('AssignTerritory');

export type Territory = z.infer<typeof TerritorySchema>;
export type CreateTerritoryInput = z.infer<typeof CreateTerritoryBody>;
export type AssignTerritoryInput = z.infer<typeof AssignTerritoryBody>;
