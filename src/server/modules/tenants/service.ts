import { conflict, forbidden, invalid, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import { slugUnavailable, writeTransaction } from '../../../db/transaction.js';
import type { Role } from '../../auth/principal.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import type { AuditAction } from '../audit/actions.js';
import { recordAudit } from '../audit/service.js';
import type { Outcome } from '../../outcome.js';
import { findReseller } from '../resellers/service.js';
import type { CreateTenantInput, TenantListFilter, UpdateTenantInput } from './schema.js';
import { nextStatus, type TenantTransition } from './status.js';
import { sql, type Kysely, type SqlBool } from 'kysely';
import { textSearch } from '../../../db/text-search.js';
import type { Database } from '../../../db/database.js';
import type { TenantRow } from '../../../db/tables/tenants.js';

/** Which fields each role may change through an update; status moves only through its verbs. */
const WRITABLE: Record<Role, readonly (keyof UpdateTenantInput)[]> = {
  master_admin: ['name', 'plan', 'region', 'reseller', 'contact_email'],
  reseller: ['name', 'contact_email'],
  tenant_admin: ['name', 'contact_email'],
  // the update route is closed to instance agents; nothing would be writable if it were not
  instance: [],
};

/** A tenant as the API shows it: its row, plus its reseller's slug for people to read. */
export type Tenant = TenantRow & { reseller_slug: string | null };

/** Every read of tenants starts here: the scoping helper, and the reseller's slug. */
function scopedTenants(ctx: ServiceContext, db: Kysely<Database>) {
  return db
    .selectFrom('tenants')
    .leftJoin('resellers', 'resellers.id', 'tenants.reseller_id')
    .selectAll('tenants')
    .select('resellers.slug as reseller_slug')
    .where(scopeTo(ctx.principal, TENANT_SCOPE));
}

export async function listTenants(ctx: ServiceContext, filter: TenantListFilter) {
  let query = scopedTenants(ctx, ctx.db)
    .orderBy('tenants.id')
    .limit(filter.limit + 1);
  if (filter.cursor) query = query.where('tenants.id', '>', decodeCursor(filter.cursor));
  if (filter.status) query = query.where('tenants.status', '=', filter.status);
  if (filter.plan) query = query.where('tenants.plan', '=', filter.plan);
  if (filter.reseller) query = query.where('tenants.reseller_id', '=', await visibleResellerId(ctx, filter.reseller));
  if (filter.q) query = query.where(textSearch(['tenants.name', 'tenants.slug'], filter.q));
  const rows = await query.execute();
  return pageFrom(rows.map(toTenant), filter.limit, (tenant) => tenant.id);
}

/**
 * A reseller filter names a reseller the caller can see (staff: any; a reseller: itself; a tenant
 * admin: its tenant's), else it is "not found": a filter that matches nothing is never silent.
 */
async function visibleResellerId(ctx: ServiceContext, ref: string): Promise<string> {
  const reseller = await findReseller(ctx.db, ref);
  const { principal } = ctx;
  let visible = !!reseller && (principal.role === 'master_admin' || reseller.id === principal.resellerId);
  if (reseller && principal.role === 'tenant_admin') {
    const own = await ctx.db.selectFrom('tenants').select('reseller_id').where('id', '=', principal.tenantId ?? '').executeTakeFirst();
    visible = own?.reseller_id === reseller.id;
  }
  if (!reseller || !visible) throw notFound(`reseller "${ref}" was not found`);
  return reseller.id;
}

export async function getTenant(ctx: ServiceContext, ref: string, db: Kysely<Database> = ctx.db): Promise<Tenant> {
  const row = await scopedTenants(ctx, db)
    .where(hasPrefix(ref, 'tenant') ? 'tenants.id' : 'tenants.slug', '=', ref)
    .executeTakeFirst();
  if (!row) throw notFound(`tenant "${ref}" was not found`);
  return toTenant(row);
}

export async function createTenant(ctx: ServiceContext, input: CreateTenantInput): Promise<Tenant> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const reseller = await owningReseller(ctx, trx, input.reseller);
    const resellerId = reseller?.id ?? null;
    const now = ctx.clock.now().toISOString();
    const row = {
      id: newId('tenant'),
      slug: input.slug,
      name: input.name,
      // Until deployments land, a new tenant has nothing to provision and starts active.
      status: 'active' as const,
      plan: input.plan,
      region: input.region,
      reseller_id: resellerId,
      contact_email: input.contact_email ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    // Not a lookup first: row-level security hides other resellers' tenants from a reseller, but
    // never their slugs from the unique index.
    const inserted = await trx.insertInto('tenants').values(row).onConflict((oc) => oc.column('slug').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw slugUnavailable(input.slug);
    await recordAudit(trx, ctx, {
      action: 'tenant.create',
      targetType: 'tenant',
      targetId: row.id,
      tenantId: row.id,
      details: { slug: row.slug, plan: row.plan, region: row.region, reseller_id: resellerId },
    });
    return { ...row, reseller_slug: reseller?.slug ?? null };
  });
}

async function owningReseller(ctx: ServiceContext, trx: Kysely<Database>, ref: string | null | undefined) {
  if (ctx.principal.role === 'reseller') {
    const own = await findReseller(trx, ctx.principal.resellerId ?? '');
    if (ref) {
      const named = await findReseller(trx, ref);
      if (!own || named?.id !== own.id) throw forbidden('a reseller can only create tenants it owns');
    }
    return own ?? null;
  }
  if (!ref) return null;
  const reseller = await findReseller(trx, ref);
  if (!reseller) throw invalid(`reseller "${ref}" does not exist`);
  return reseller;
}

/** Writes only the fields that differ; when none do, nothing is written or audited. */
export async function updateTenant(ctx: ServiceContext, ref: string, input: UpdateTenantInput): Promise<Outcome<Tenant>> {
  const fields = Object.keys(input) as (keyof UpdateTenantInput)[];
  const denied = fields.filter((f) => !WRITABLE[ctx.principal.role].includes(f));
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    if (denied.length) throw forbidden(`the ${ctx.principal.role} role may not change: ${denied.join(', ')}`);
    const wanted: Partial<TenantRow> = {};
    if (input.name !== undefined) wanted.name = input.name;
    if (input.plan !== undefined) wanted.plan = input.plan;
    if (input.region !== undefined) wanted.region = input.region;
    if (input.contact_email !== undefined) wanted.contact_email = input.contact_email;
    let resellerSlug = tenant.reseller_slug;
    if (input.reseller !== undefined) {
      const reseller = await owningReseller(ctx, trx, input.reseller);
      wanted.reseller_id = reseller?.id ?? null;
      resellerSlug = reseller?.slug ?? null;
    }
    const changes = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => tenant[key as keyof TenantRow] !== value)) as Partial<TenantRow>;
    if (Object.keys(changes).length === 0) return { value: tenant, changed: false };
    return { value: { ...(await applyChange(ctx, trx, tenant, changes, 'tenant.update')), reseller_slug: resellerSlug }, changed: true };
  });
}

export async function changeTenantStatus(ctx: ServiceContext, ref: string, transition: TenantTransition): Promise<Outcome<Tenant>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const next = nextStatus(tenant.status, transition);
    if (next === 'unchanged') return { value: tenant, changed: false };
    if (next === 'illegal') {
      throw conflict(`tenant "${tenant.slug}" is ${tenant.status} and cannot ${transition === 'cancel' ? 'be deleted' : `be ${PAST[transition]}`}`, {
        status: tenant.status,
      });
    }
    return { value: await applyChange(ctx, trx, tenant, { status: next.to }, `tenant.${transition}`), changed: true };
  });
}

const PAST: Record<TenantTransition, string> = { provision: 'provisioned', activate: 'activated', suspend: 'suspended', resume: 'resumed', cancel: 'cancelled' };

async function applyChange(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  tenant: Tenant,
  changes: Partial<TenantRow>,
  action: AuditAction,
): Promise<Tenant> {
  const updated = { ...tenant, ...changes, updated_at: ctx.clock.now().toISOString(), version: tenant.version + 1 };
  const result = await trx
    .updateTable('tenants')
    .set({ ...changes, updated_at: updated.updated_at, version: updated.version })
    .where('id', '=', tenant.id)
    .where('version', '=', tenant.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`tenant "${tenant.slug}" changed meanwhile; try again`);
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, tenant[k as keyof TenantRow]]));
  await recordAudit(trx, ctx, {
    action,
    targetType: 'tenant',
    targetId: tenant.id,
    tenantId: tenant.id,
    details: { before, after: changes },
  });
  return updated;
}

/** Rows come fresh from the driver and are the caller's own: normalised in place, not copied (a page holds 50). */
function toTenant(row: Tenant): Tenant {
  row.version = Number(row.version);
  row.reseller_slug ??= null;
  return row;
}
