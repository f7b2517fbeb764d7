import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export const TENANT_STATUSES = ['pending', 'provisioning', 'active', 'suspended', 'cancelled'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const TENANT_PLANS = ['starter', 'professional', 'enterprise', 'custom'] as const;
export type TenantPlan = (typeof TENANT_PLANS)[number];

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  plan: TenantPlan;
  region: string;
  reseller_id: string | null;
  contact_email: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type TenantRow = Selectable<TenantsTable>;
export type NewTenantRow = Insertable<TenantsTable>;
export type TenantRowUpdate = Updateable<TenantsTable>;
