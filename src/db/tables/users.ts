import type { Insertable, Selectable } from 'kysely';

/**
 * `instance` is an ISP instance's agent (DESIGN §4): one tenant's, and it may only push that
 * tenant's metrics. The other three are the roles people hold (PEOPLE_ROLES).
 */
export const ROLES = ['master_admin', 'tenant_admin', 'reseller', 'instance'] as const;
export type Role = (typeof ROLES)[number];

export interface UsersTable {
  id: string;
  email: string;
  role: Role;
  tenant_id: string | null;
  reseller_id: string | null;
  created_at: string;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
