import type { Selectable } from 'kysely';

export const TENANT_USER_ROLES = ['admin', 'operator', 'viewer'] as const;
export type TenantUserRole = (typeof TENANT_USER_ROLES)[number];

/** Stored states; `expired` is derived (an `invited` row past invite_expires_at), never stored. */
export const TENANT_USER_STATES = ['invited', 'active', 'disabled'] as const;
export type TenantUserState = (typeof TENANT_USER_STATES)[number];

/**
 * The people of a tenant's ISP instance (issue 9 "Tenant users"), not the `users` table of token
 * identities. The invite code is never stored: only its SHA-256 (hex), cleared once accepted.
 */
export interface TenantUsersTable {
  id: string;
  tenant_id: string;
  /** normalised to lower case; unique per tenant */
  email: string;
  role: TenantUserRole;
  status: TenantUserState;
  invited_by: string;
  invited_at: string;
  invite_expires_at: string | null;
  invite_code_hash: string | null;
  accepted_at: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export type TenantUserRow = Selectable<TenantUsersTable>;
