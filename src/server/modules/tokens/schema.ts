import { z } from '@hono/zod-openapi';
import { ROLES } from '../../auth/principal.js';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';

export const MAX_TTL_SECONDS = 366 * 24 * 3600;

export const TokenSchema = z
  .object({
    jti: z.string(),
    user_id: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    tenant_id: z.string().nullable(),
    reseller_id: z.string().nullable(),
    label: z.string().nullable(),
    created_at: z.string(),
    expires_at: z.string(),
    revoked_at: z.string().nullable(),
    created_by: z.string().nullable(),
    discount_authority_bps: z.number().int().nullable().openapi({ description: 'a master_admin token\'s negotiated-discount authority; null: the default (1,000 bps staff, 500 bps reseller)' }),
  })
  .openapi('Token');

export const IssuedTokenSchema = TokenSchema.extend({ token: z.string().openapi({ description: 'the JWT; shown once' }) }).openapi(
  'IssuedToken',
);

export const TokenPageSchema = pageOf(TokenSchema, 'TokenPage');
export const TokenListQuery = z.object({ ...PageQuery, include_revoked: z.enum(['true', 'false']).optional() });
export const TokenJtiParam = z.object({ jti: z.string().min(1).max(100).openapi({ param: { name: 'jti', in: 'path' } }) });

export const CreateTokenBody = z
  .strictObject({
    role: z.enum(ROLES),
    tenant: z.string().max(100).optional().openapi({ description: 'tenant id or slug (tenant_admin)' }),
    reseller: z.string().max(100).optional().openapi({ description: 'reseller id or slug (reseller)' }),
    email: z.string().email().max(254).optional().openapi({ description: 'the user the token acts as; created if new' }),
    ttl_seconds: z.number().int().min(60).max(MAX_TTL_SECONDS).default(30 * 24 * 3600),
    label: humanText(100).optional(),
    discount_authority_bps: z.number().int().min(0).max(4_000).optional().openapi({ description: 'master_admin only: the negotiated discount (bps) its holder may give without approval; at most 4,000' }),
  })
  .openapi('CreateToken');

export const MeSchema = z
  .object({
    user_id: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    tenant_id: z.string().nullable(),
    tenant_slug: z.string().nullable(),
    reseller_id: z.string().nullable(),
    reseller_slug: z.string().nullable(),
    jti: z.string(),
    expires_at: z.string(),
  })
  .openapi('Me');

export type CreateTokenInput = z.infer<typeof CreateTokenBody>;
