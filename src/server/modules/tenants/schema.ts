import { z } from '@hono/zod-openapi';
import { TENANT_PLANS, TENANT_STATUSES } from '../../../db/tables/tenants.js';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';

export const SLUG = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens');

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: 'ten_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    slug: z.string().openapi({ example: 'fibernet' }),
    name: z.string(),
    status: z.enum(TENANT_STATUSES),
    plan: z.enum(TENANT_PLANS),
    region: z.string(),
    reseller_id: z.string().nullable(),
    reseller_slug: z.string().nullable().openapi({ description: 'the owning reseller\'s slug, for display' }),
    contact_email: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .openapi('Tenant');

export const TenantPageSchema = pageOf(TenantSchema, 'TenantPage');

export const TenantListQuery = z.object({
  ...PageQuery,
  status: z.enum(TENANT_STATUSES).optional(),
  plan: z.enum(TENANT_PLANS).optional(),
  reseller: z.string().max(100).optional().openapi({ description: 'reseller id or slug' }),
  q: z.string().max(100).optional().openapi({ description: 'text search in name and slug' }),
});

export const TenantRefParam = z.object({
  ref: z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'tenant id or slug' }),
});

const email = z.string().email().max(254);

export const CreateTenantBody = z
  .strictObject({
    slug: SLUG,
    name: humanText(200).min(1),
    plan: z.enum(TENANT_PLANS).default('starter'),
    region: humanText(50).min(1).default('eu-west'),
    reseller: z.string().max(100).nullable().optional().openapi({ description: 'owning reseller, id or slug' }),
    contact_email: email.nullable().optional(),
  })
  .openapi('CreateTenant');

export const UpdateTenantBody = z
  .strictObject({
    name: humanText(200).min(1).optional(),
    plan: z.enum(TENANT_PLANS).optional(),
    region: humanText(50).min(1).optional(),
    reseller: z.string().max(100).nullable().optional(),
    contact_email: email.nullable().optional(),
  })
  .openapi('UpdateTenant');

export type CreateTenantInput = z.infer<typeof CreateTenantBody>;
export type UpdateTenantInput = z.infer<typeof UpdateTenantBody>;
export type TenantListFilter = z.infer<typeof TenantListQuery>;
