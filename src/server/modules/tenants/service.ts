import { conflict, forbidden, invalid, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { Role } from '../../auth/principal.js';
import { scopeTo, TENANT_SCOPE } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, encodeCursor } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { findReseller } from '../resellers/service.js';
import type { CreateTenantInput, TenantListFilter, UpdateTenantInput } from './schema.js';
import { nextStatus, type TenantTransition } from './status.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { TenantRow } from '../../../db/tables/tenants.js';

/** Which fields each role may change through an update; status moves only through its verbs. */
const WRITABLE: Record<Role, readonly (keyof UpdateTenantInput)[]> = {
  master_admin: ['name', 'plan', 'region', 'reseller', 'contact_email'],
  reseller: ['name', 'contact_email'],
  tenant_admin: ['name', 'contact_email'],
};

export async function listTenants(ctx: ServiceContext, filter: TenantListFilter) {
  let query = ctx.db
    .selectFrom('tenants')
    .selectAll()
    .where(scopeTo(ctx.principal, TENANT_SCOPE))
    .orderBy('id')
    .limit(filter.limit + 1);
  if (filter.cursor) query = query.where('id', '>', decodeCursor(filter.cursor));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.plan) query = query.where('plan', '=', filter.plan);
  if (filter.reseller) {
    const reseller = await findReseller(ctx.db, filter.reseller);
    query = query.where('reseller_id', '=', reseller?.id ?? '');
  }
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) =>
      eb.or([eb(eb.fn('lower', ['name']), 'like', eb.val(pattern)), eb('slug', 'like', pattern)]),
    );
  }
  const rows = await query.execute();
  const data = rows.slice(0, filter.limit).map(toTenant);
  return { data, next_cursor: rows.length > filter.limit ? encodeCursor(data.at(-1)!.id) : null };
}

export async function getTenant(ctx: ServiceContext, ref: string, db: Kysely<Database> = ctx.db): Promise<TenantRow> {
  const row = await db
    .selectFrom('tenants')
    .selectAll()
    .where(hasPrefix(ref, 'tenant') ? 'id' : 'slug', '=', ref)
    .where(scopeTo(ctx.principal, TENANT_SCOPE))
    .executeTakeFirst();
  if (!row) throw notFound(`tenant "${ref}" was not found`);
  return toTenant(row);
}

export async function createTenant(ctx: ServiceContext, input: CreateTenantInput): Promise<TenantRow> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const resellerId = await owningReseller(ctx, trx, input.reseller);
    const taken = await trx.selectFrom('tenants').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw conflict(`a tenant with slug "${input.slug}" already exists`);
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
    await trx.insertInto('tenants').values(row).execute();
    await recordAudit(trx, ctx, {
      action: 'tenant.create',
      targetType: 'tenant',
      targetId: row.id,
      tenantId: row.id,
      details: { slug: row.slug, plan: row.plan, region: row.region, reseller_id: resellerId },
    });
    return row;
  });
}

async function owningReseller(ctx: ServiceContext, trx: Kysely<Database>, ref: string | null | undefined): Promise<string | null> {
  if (ctx.principal.role === 'reseller') {
    if (ref) {
      const named = await findReseller(trx, ref);
      if (named?.id !== ctx.principal.resellerId) throw forbidden('a reseller can only create tenants it owns');
    }
    return ctx.principal.resellerId;
  }
  if (!ref) return null;
  const reseller = await findReseller(trx, ref);
  if (!reseller) throw invalid(`reseller "${ref}" does not exist`);
  return reseller.id;
}

export async function updateTenant(ctx: ServiceContext, ref: string, input: UpdateTenantInput): Promise<TenantRow> {
  const fields = Object.keys(input) as (keyof UpdateTenantInput)[];
  const denied = fields.filter((f) => !WRITABLE[ctx.principal.role].includes(f));
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    if (denied.length) throw forbidden(`the ${ctx.principal.role} role may not change: ${denied.join(', ')}`);
    if (fields.length === 0) return tenant;
    const changes: Partial<TenantRow> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.plan !== undefined) changes.plan = input.plan;
    if (input.region !== undefined) changes.region = input.region;
    if (input.contact_email !== undefined) changes.contact_email = input.contact_email;
    if (input.reseller !== undefined) changes.reseller_id = await owningReseller(ctx, trx, input.reseller);
    return applyChange(ctx, trx, tenant, changes, 'tenant.update');
  });
}

export async function changeTenantStatus(ctx: ServiceContext, ref: string, transition: TenantTransition): Promise<TenantRow> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const status = nextStatus(tenant.status, transition);
    if (!status) {
      throw conflict(`tenant "${tenant.slug}" is ${tenant.status} and cannot ${transition === 'cancel' ? 'be deleted' : transition}`, {
        status: tenant.status,
      });
    }
    return applyChange(ctx, trx, tenant, { status }, `tenant.${transition}`);
  });
}

async function applyChange(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  tenant: TenantRow,
  changes: Partial<TenantRow>,
  action: string,
): Promise<TenantRow> {
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

function toTenant(row: TenantRow): TenantRow {
  return { ...row, version: Number(row.version) };
}
