import { notFound } from '../../../core/errors.js';
import { hasPrefix, ID_PREFIXES } from '../../../core/ids.js';
import type { Principal } from '../../auth/principal.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';

/**
 * The ids an audit filter names. A filter on something that does not exist, or that the caller
 * cannot see, is 404 like any other read of it, rather than an empty list that looks like "no
 * events". A slug may name a tenant and a reseller at once; then both count.
 */
export async function tenantIdOf(ctx: ServiceContext, ref: string): Promise<string> {
  const [id] = await visibleTenants(ctx, ref);
  if (!id) throw notFound(`tenant "${ref}" was not found`);
  return id;
}

export async function targetIdsOf(ctx: ServiceContext, ref: string): Promise<string[]> {
  const kind = (Object.keys(ID_PREFIXES) as (keyof typeof ID_PREFIXES)[]).find((k) => hasPrefix(ref, k));
  let ids: string[];
  if (kind === 'tenant') ids = await visibleTenants(ctx, ref);
  else if (kind === 'reseller') ids = await visibleResellers(ctx, ref);
  else if (kind === 'token') ids = await visibleTokens(ctx, ref);
  else if (kind === 'user') ids = await visibleUsers(ctx, ref);
  else if (kind !== undefined && kind in TENANT_ROW_TABLES) ids = await visibleTenantRows(ctx, TENANT_ROW_TABLES[kind as keyof typeof TENANT_ROW_TABLES], ref);
  else if (kind === undefined) ids = [...(await visibleTenants(ctx, ref)), ...(await visibleResellers(ctx, ref))];
  else ids = [];
  if (ids.length === 0) throw notFound(`no tenant, reseller, token, user, ${TENANT_ROW_NAMES.join(', ')} "${ref}" was found`);
  return ids;
}

async function visibleTenants(ctx: ServiceContext, ref: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('tenants')
    .select('tenants.id')
    .where(scopeTo(ctx.principal, TENANT_SCOPE))
    .where(hasPrefix(ref, 'tenant') ? 'tenants.id' : 'tenants.slug', '=', ref)
    .execute();
  return rows.map((row) => row.id);
}

const TENANT_ROW_TABLES = {
  deployment: 'deployments',
  job: 'jobs',
  ticket: 'tickets',
  tenantUser: 'tenant_users',
  backup: 'backups',
  subscription: 'subscriptions',
  invoice: 'invoices',
} as const;
/** For people: tenantUser → tenant user. */
const TENANT_ROW_NAMES = Object.keys(TENANT_ROW_TABLES).map((kind) => kind.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`));

/** A tenant-owned row (a deployment, a job, a ticket, a tenant user, ...) by id, through the scoping helper. */
async function visibleTenantRows(ctx: ServiceContext, table: (typeof TENANT_ROW_TABLES)[keyof typeof TENANT_ROW_TABLES], id: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom(table).select('id').where(scopeTo(ctx.principal, { tenant: `${table}.tenant_id` })).where('id', '=', id).execute();
  return rows.map((row) => row.id);
}

async function visibleResellers(ctx: ServiceContext, ref: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('resellers')
    .select('id')
    .where(hasPrefix(ref, 'reseller') ? 'id' : 'slug', '=', ref)
    .execute();
  return rows.filter((row) => seesReseller(ctx.principal, row.id)).map((row) => row.id);
}

async function visibleTokens(ctx: ServiceContext, jti: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('tokens').select(['jti', 'tenant_id', 'reseller_id']).where('jti', '=', jti).execute();
  return rows.filter((row) => seesOwner(ctx.principal, row)).map((row) => row.jti);
}

async function visibleUsers(ctx: ServiceContext, id: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('users').select(['id', 'tenant_id', 'reseller_id']).where('id', '=', id).execute();
  return rows.filter((row) => seesOwner(ctx.principal, row)).map((row) => row.id);
}

function seesReseller(principal: Principal, resellerId: string): boolean {
  return principal.role === 'master_admin' || (principal.role === 'reseller' && principal.resellerId === resellerId);
}

/** A token or user belongs to a tenant or a reseller (or the platform): staff see all, others their own. */
function seesOwner(principal: Principal, owner: { tenant_id: string | null; reseller_id: string | null }): boolean {
  if (principal.role === 'master_admin') return true;
  if (principal.role === 'tenant_admin') return owner.tenant_id !== null && owner.tenant_id === principal.tenantId;
  return owner.reseller_id !== null && owner.reseller_id === principal.resellerId;
}
