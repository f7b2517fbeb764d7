import type { Kysely } from 'kysely';
import { invalid, notFound, conflict, forbidden } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { TokenRow } from '../../../db/tables/tokens.js';
import { preparedQuery } from '../../../db/prepared.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { Role } from '../../auth/principal.js';
import { signToken } from '../../auth/tokens.js';
import type { ServiceContext, Services } from '../../context.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { findReseller } from '../resellers/service.js';
import { MAX_DISCOUNT_BPS } from '../pricebook/pricing.js';
import { DEFAULT_STAFF_AUTHORITY_BPS, discountAuthority } from '../quotes/rules.js';
import type { CreateTokenInput } from './schema.js';

interface Grant {
  role: Role;
  tenantId: string | null;
  resellerId: string | null;
  email: string;
  ttlSeconds: number;
  label: string | null;
  discountAuthorityBps?: number | null;
}

/** Finds or creates the user, records the token by jti and signs it. Runs inside the caller's transaction. */
async function issue(ctx: Services & { principal?: { userId: string } }, trx: Kysely<Database>, grant: Grant) {
  const now = ctx.clock.now();
  let user = await trx.selectFrom('users').selectAll().where('email', '=', grant.email).executeTakeFirst();
  if (user && (user.role !== grant.role || user.tenant_id !== grant.tenantId || user.reseller_id !== grant.resellerId)) {
    throw conflict(`user ${grant.email} already exists with another role or scope`);
  }
  if (!user) {
    user = { id: newId('user'), email: grant.email, role: grant.role, tenant_id: grant.tenantId, reseller_id: grant.resellerId, created_at: now.toISOString() };
    await trx.insertInto('users').values(user).execute();
  }
  const expiresAt = new Date(now.getTime() + grant.ttlSeconds * 1000);
  const row: TokenRow = {
    jti: newId('token', now.getTime()),
    user_id: user.id,
    role: grant.role,
    tenant_id: grant.tenantId,
    reseller_id: grant.resellerId,
    label: grant.label,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    revoked_at: null,
    created_by: ctx.principal?.userId ?? null,
    discount_authority_bps: grant.discountAuthorityBps ?? null,
  };
  await trx.insertInto('tokens').values(row).execute();
  const token = await signToken(ctx.keys, {
    sub: user.id,
    jti: row.jti,
    role: row.role,
    tenantId: row.tenant_id,
    resellerId: row.reseller_id,
    issuedAt: now,
    expiresAt,
  });
  return { ...row, email: user.email, token };
}

export async function createToken(ctx: ServiceContext, input: CreateTokenInput) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    if (input.discount_authority_bps !== undefined && input.role !== 'master_admin') {
      throw invalid(input.role === 'reseller' ? 'a reseller\'s discount authority is fixed at 500 bps' : `a ${input.role} token gives no discounts; only a master_admin token takes a discount authority`);
    }
    const discountAuthorityBps = await grantableAuthority(trx, ctx, input);
    const scope = await resolveScope(trx, input);
    const email = input.email ?? defaultEmail(input.role, scope.slug);
    const issued = await issue(ctx, trx, {
      role: input.role,
      tenantId: scope.tenantId,
      resellerId: scope.resellerId,
      email,
      ttlSeconds: input.ttl_seconds,
      label: input.label ?? null,
      discountAuthorityBps,
    });
    await recordAudit(trx, ctx, {
      action: 'token.create',
      targetType: 'token',
      targetId: issued.jti,
      tenantId: scope.tenantId,
      resellerId: scope.resellerId,
      details: { role: issued.role, user_id: issued.user_id, reseller_id: scope.resellerId, expires_at: issued.expires_at, ...(issued.discount_authority_bps !== null ? { discount_authority_bps: issued.discount_authority_bps } : {}) },
    });
    return issued;
  });
}

async function resolveScope(trx: Kysely<Database>, input: CreateTokenInput) {
  const none = { tenantId: null, resellerId: null, slug: 'platform' };
  if (input.role === 'master_admin') {
    if (input.tenant || input.reseller) throw invalid('a master_admin token takes neither a tenant nor a reseller');
    return none;
  }
  if (input.role === 'tenant_admin' || input.role === 'instance') {
    if (!input.tenant || input.reseller) throw invalid(`a ${input.role} token needs a tenant (and no reseller)`);
    const tenant = await trx
      .selectFrom('tenants')
      .select(['id', 'slug'])
      .where(hasPrefix(input.tenant, 'tenant') ? 'id' : 'slug', '=', input.tenant)
      .executeTakeFirst();
    if (!tenant) throw notFound(`tenant "${input.tenant}" was not found`);
    return { tenantId: tenant.id, resellerId: null, slug: tenant.slug };
  }
  if (!input.reseller || input.tenant) throw invalid('a reseller token needs a reseller (and no tenant)');
  const reseller = await findReseller(trx, input.reseller);
  if (!reseller) throw notFound(`reseller "${input.reseller}" was not found`);
  return { tenantId: null, resellerId: reseller.id, slug: reseller.slug };
}

function defaultEmail(role: Role, scopeSlug: string): string {
  return `${role.replace('_', '-')}@${scopeSlug}.dotmac.local`;
}

/** The first master_admin token of a new workspace (`dotmac init`), issued by the system itself. */
export async function issueBootstrapToken(services: Services, email = 'admin@dotmac.local') {
  const system: ServiceContext = {
    ...services,
    principal: { userId: 'system', role: 'master_admin', tenantId: null, resellerId: null, jti: '' },
    requestId: newId('request'),
    clientRequestId: null,
    reason: 'workspace initialised',
  };
  return writeTransaction(services.db, services.dialect, async (trx) => {
    const issued = await issue(system, trx, {
      role: 'master_admin',
      tenantId: null,
      resellerId: null,
      email,
      ttlSeconds: 365 * 24 * 3600,
      label: 'bootstrap',
    });
    await recordAudit(trx, system, {
      action: 'token.create',
      targetType: 'token',
      targetId: issued.jti,
      tenantId: null,
      details: { role: issued.role, user_id: issued.user_id, bootstrap: true },
    });
    return issued;
  });
}

/**
 * The discount authority a new master_admin token may carry: never more than its issuer's own (a
 * sales token at 1,000 bps cannot mint a deal-desk token at 4,000 and approve its own quotes),
 * except from the workspace's bootstrap token, which grants up to the 4,000 bps ceiling. Without
 * --discount-authority the token gets the staff default, or its issuer's lower authority.
 */
async function grantableAuthority(trx: Kysely<Database>, ctx: ServiceContext, input: CreateTokenInput): Promise<number | null> {
  if (input.role !== 'master_admin') return null;
  const issuer = await trx.selectFrom('tokens').select('label').where('jti', '=', ctx.principal.jti).executeTakeFirst();
  const ceiling = issuer?.label === 'bootstrap' ? MAX_DISCOUNT_BPS : discountAuthority(ctx.principal);
  if (input.discount_authority_bps === undefined) return ceiling < DEFAULT_STAFF_AUTHORITY_BPS ? ceiling : null;
  if (input.discount_authority_bps > ceiling) {
    throw forbidden(`a token cannot carry more discount authority than its issuer's own (${ceiling} bps), not ${input.discount_authority_bps}`);
  }
  return input.discount_authority_bps;
}

const tokenColumns = [
  'tokens.jti',
  'tokens.user_id',
  'users.email',
  'tokens.role',
  'tokens.tenant_id',
  'tokens.reseller_id',
  'tokens.label',
  'tokens.created_at',
  'tokens.expires_at',
  'tokens.revoked_at',
  'tokens.created_by',
  'tokens.discount_authority_bps',
] as const;

export async function listTokens(ctx: ServiceContext, page: { limit: number; cursor?: string; include_revoked?: 'true' | 'false' }) {
  let query = ctx.db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select(tokenColumns)
    .orderBy('tokens.jti')
    .limit(page.limit + 1);
  if (page.include_revoked !== 'true') query = query.where('tokens.revoked_at', 'is', null);
  if (page.cursor) query = query.where('tokens.jti', '>', decodeCursor(page.cursor));
  const rows = await query.execute();
  return pageFrom(rows, page.limit, (token) => token.jti);
}

export async function revokeToken(ctx: ServiceContext, jti: string) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await trx.selectFrom('tokens').innerJoin('users', 'users.id', 'tokens.user_id').select(tokenColumns).where('tokens.jti', '=', jti).executeTakeFirst();
    if (!row) throw notFound(`token "${jti}" was not found`);
    if (row.revoked_at) return { value: row, changed: false };
    const revokedAt = ctx.clock.now().toISOString();
    // Only the revocation that actually flips the row is recorded (a concurrent one may have won).
    const flipped = await trx.updateTable('tokens').set({ revoked_at: revokedAt }).where('jti', '=', jti).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(flipped.numUpdatedRows) === 0) {
      const value = await trx.selectFrom('tokens').innerJoin('users', 'users.id', 'tokens.user_id').select(tokenColumns).where('tokens.jti', '=', jti).executeTakeFirstOrThrow();
      return { value, changed: false };
    }
    await recordAudit(trx, ctx, { action: 'token.revoke', targetType: 'token', targetId: jti, tenantId: row.tenant_id, resellerId: row.reseller_id, details: { role: row.role } });
    return { value: { ...row, revoked_at: revokedAt }, changed: true };
  });
}

const callerRow = preparedQuery(['jti'], (db, p: { jti: string }) =>
  db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .leftJoin('tenants', 'tenants.id', 'tokens.tenant_id')
    .leftJoin('resellers', 'resellers.id', 'tokens.reseller_id')
    .select(['users.email', 'tokens.expires_at', 'tenants.slug as tenant_slug', 'resellers.slug as reseller_slug'])
    .where('tokens.jti', '=', p.jti),
);

export async function describeCaller(ctx: ServiceContext) {
  const { principal } = ctx;
  const [row] = await callerRow(ctx.db, { jti: principal.jti });
  if (!row) throw new Error(`the token ${principal.jti} was verified but is gone`);
  return {
    user_id: principal.userId,
    email: row.email,
    role: principal.role,
    tenant_id: principal.tenantId,
    tenant_slug: row.tenant_slug ?? null,
    reseller_id: principal.resellerId,
    reseller_slug: row.reseller_slug ?? null,
    jti: principal.jti,
    expires_at: row.expires_at,
  };
}
