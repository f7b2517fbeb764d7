import { z } from '@hono/zod-openapi';
import { RESELLER_TIERS } from '../../../db/tables/resellers.js';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';
import { SLUG } from '../tenants/schema.js';

export const ResellerSchema = z
  .object({
    id: z.string().openapi({ example: 'res_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    slug: z.string(),
    name: z.string(),
    territory: z.string().nullable(),
    tier: z.enum(RESELLER_TIERS),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Reseller');

export const ResellerPageSchema = pageOf(ResellerSchema, 'ResellerPage');
export const ResellerListQuery = z.object({ ...PageQuery });
export const ResellerRefParam = z.object({
  ref: z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'reseller id or slug' }),
});

export const CreateResellerBody = z
  .strictObject({
    slug: SLUG,
    name: humanText(200).min(1),
    territory: humanText(100).nullable().optional(),
    tier: z.enum(RESELLER_TIERS).default('registered'),
  })
  .openapi('CreateReseller');

export type CreateResellerInput = z.infer<typeof CreateResellerBody>;
