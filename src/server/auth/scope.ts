import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Principal } from './principal.js';

export interface ScopeColumns {
  /** the column holding the owning tenant's id (`tenants.id` on the tenants table itself) */
  tenant: string;
  /** on the tenants table, its `reseller_id`; elsewhere resellers reach rows through tenants */
  reseller?: string;
}

/**
 * The one scoping helper: every query on tenant-owned rows filters through it.
 * master_admin sees everything; tenant_admin (and an instance agent) only rows of its tenant; reseller only rows of
 * tenants it owns. A row outside the scope is indistinguishable from one that does not exist.
 */
export function scopeTo(principal: Principal, columns: ScopeColumns) {
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => {
    switch (principal.role) {
      case 'master_admin':
        return sql<SqlBool>`1 = 1`;
      case 'tenant_admin':
      case 'instance':
        return eb(eb.ref(columns.tenant), '=', principal.tenantId ?? '');
      case 'reseller':
        if (columns.reseller) return eb(eb.ref(columns.reseller), '=', principal.resellerId ?? '');
        return eb(
          eb.ref(columns.tenant),
          'in',
          eb.selectFrom('tenants').select('tenants.id').where('tenants.reseller_id', '=', principal.resellerId ?? ''),
        );
    }
  };
}

/**
 * The same helper for rows a reseller owns that need not belong to a tenant (quotes to prospects,
 * opportunities, territories, commissions, payouts): master_admin sees everything, a reseller its
 * own rows, and every other role none. `column` is the row's reseller_id.
 */
export function scopeToReseller(principal: Principal, column: string) {
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => {
    switch (principal.role) {
      case 'master_admin':
        return sql<SqlBool>`1 = 1`;
      case 'reseller':
        return eb(eb.ref(column), '=', principal.resellerId ?? '');
      default:
        return sql<SqlBool>`1 = 0`;
    }
  };
}

export const TENANT_SCOPE: ScopeColumns = { tenant: 'tenants.id', reseller: 'tenants.reseller_id' };
