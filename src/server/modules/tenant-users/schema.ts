import { z } from '@hono/zod-openapi';
import { TENANT_USER_ROLES } from '../../../db/tables/tenant-users.js';
import { PageQuery } from '../../routing.js';
import { TenantRefParam } from '../tenants/schema.js';

export const TENANT_USER_STATUSES = ['invited', 'active', 'disabled', 'expired'] as const;

const Role = z.enum(TENANT_USER_ROLES).openapi({ description: 'admin, operator or viewer' });

export const TenantUserSchema = z
  .object({
    id: z.string().openapi({ example: 'tus_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    tenant_slug: z.string(),
    email: z.string(),
    role: Role,
    status: z.enum(TENANT_USER_STATUSES).openapi({ description: '`expired`: an invite past its 7 days (re-send it with another invite)' }),
    invited_by: z.string(),
    invited_at: z.string(),
    invite_expires_at: z.string().nullable(),
    accepted_at: z.string().nullable(),
    disabled_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('TenantUser');

export const TenantUserPageSchema = z.object({ data: z.array(TenantUserSchema), next_cursor: z.string().nullable() }).openapi('TenantUserPage');

export const InvitationSchema = z
  .object({
    user: TenantUserSchema,
    invite_code: z.string().openapi({ description: 'shown once: the invitee accepts with it; only its SHA-256 is stored' }),
    renewed: z.boolean().openapi({ description: 'true when an open or expired invite for the email was re-sent (new code, 7 more days)' }),
  })
  .openapi('Invitation');

export const TenantUserListQuery = z.object({
  status: z.enum(TENANT_USER_STATUSES).optional(),
  role: Role.optional(),
  ...PageQuery,
});

export const TenantUserParam = TenantRefParam.extend({
  user: z.string().min(1).max(254).openapi({ param: { name: 'user', in: 'path' }, description: 'tenant user id (tus_…) or email' }),
});

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('an email address, e.g. ana@example.net'))
  .transform((e) => e.toLowerCase())
  .openapi({ example: 'ana@example.net' });

export const InviteTenantUserBody = z.strictObject({ email, role: Role }).openapi('InviteTenantUser');
export const ChangeTenantUserRoleBody = z.strictObject({ role: Role }).openapi('ChangeTenantUserRole');
export const AcceptInviteBody = z
  .strictObject({ code: z.string().min(1).max(200).openapi({ description: 'the invite code `users invite` showed once' }) })
  .openapi('AcceptInvite');

export type TenantUser = z.infer<typeof TenantUserSchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type TenantUserListFilter = z.infer<typeof TenantUserListQuery>;
export type InviteTenantUserInput = z.infer<typeof InviteTenantUserBody>;
