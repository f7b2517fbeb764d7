import type { Role } from '../../src/server/auth/principal.js';

/**
 * Whether a response body carries anything outside the caller's scope, decided from the rules of
 * DESIGN §4 written out again here (not through scopeTo, which is what is under test): every
 * id, slug, tenant_id and reseller_id in the body, at any depth, must name something the caller
 * may see.
 */

export interface Caller {
  role: Role;
  tenantId: string | null;
  resellerId: string | null;
}

/** The platform's tenants and resellers as they are now (from the database, or from a model of it). */
export interface Ownership {
  tenants: readonly { id: string; slug: string; reseller_id: string | null }[];
  resellers: readonly { id: string; slug: string }[];
}

/** An instance agent is scoped as its tenant's admin is. */
const isTenantScoped = (role: Role) => role === 'tenant_admin' || role === 'instance';

export function scopeViolations(body: unknown, caller: Caller, world: Ownership): string[] {
  const tenantsById = new Map(world.tenants.map((t) => [t.id, t]));
  const homeReseller = isTenantScoped(caller.role) ? (tenantsById.get(caller.tenantId ?? '')?.reseller_id ?? null) : null;
  const seesTenant = (id: string) => {
    if (caller.role === 'master_admin') return true;
    if (isTenantScoped(caller.role)) return id === caller.tenantId;
    const tenant = tenantsById.get(id);
    return !!tenant && tenant.reseller_id !== null && tenant.reseller_id === caller.resellerId;
  };
  // A tenant admin sees its own tenant's reseller (the tenant row names it), nothing more.
  const seesReseller = (id: string) => caller.role === 'master_admin' || id === (caller.role === 'reseller' ? caller.resellerId : homeReseller);
  const tenantSlug = (slug: string) => world.tenants.some((t) => t.slug === slug && seesTenant(t.id));
  const resellerSlug = (slug: string) => world.resellers.some((r) => r.slug === slug && seesReseller(r.id));

  const found: string[] = [];
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    const row = node as Record<string, unknown>;
    if ('seq' in row && 'prev_hash' in row) {
      // An audit event belongs to its tenant, and to the reseller that owned it when it was written;
      // its details are the event's own history, judged with the event.
      const ok =
        caller.role === 'master_admin' ||
        (isTenantScoped(caller.role) && row.tenant_id === caller.tenantId && caller.tenantId !== null) ||
        (caller.role === 'reseller' && row.reseller_id === caller.resellerId && caller.resellerId !== null);
      if (!ok) found.push(`${at}: audit event ${String(row.id)} (tenant ${String(row.tenant_id)}, reseller ${String(row.reseller_id)})`);
      return;
    }
    const check = (ok: boolean, what: string) => {
      if (!ok) found.push(`${at}.${what}`);
    };
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === 'string') {
        if (key === 'tenant_id') check(seesTenant(value), `tenant_id ${value}`);
        if (key === 'reseller_id') check(seesReseller(value), `reseller_id ${value}`);
        if (key === 'id' && value.startsWith('ten_')) check(seesTenant(value), `id ${value}`);
        if (key === 'id' && value.startsWith('res_')) check(seesReseller(value), `id ${value}`);
        if (key === 'tenant_slug') check(tenantSlug(value), `tenant_slug ${value}`);
        if (key === 'reseller_slug') check(resellerSlug(value), `reseller_slug ${value}`);
        if (key === 'slug') {
          const kind = typeof row.id === 'string' ? row.id.slice(0, 4) : 'reseller_id' in row ? 'res_' : '';
          if (kind === 'ten_') check(tenantSlug(value), `slug ${value}`);
          if (kind === 'res_') check(resellerSlug(value), `slug ${value}`);
        }
      } else {
        visit(value, `${at}.${key}`);
      }
    }
  };
  visit(body, '$');
  return found;
}
