import type { Insertable, Selectable } from 'kysely';

export const ROLES = ['master_admin', 'tenant_admin', 'reseller'] as const;
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
