import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { AppError, conflict, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { TenantUserRole, TenantUserRow } from '../../../db/tables/tenant-users.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom, type Page } from '../../pagination.js';
import type { AuditAction } from '../audit/actions.js';
import { recordAudit } from '../audit/service.js';
import { getTenant, type Tenant } from '../tenants/service.js';
import { codeMatches, displayedStatus, hashInviteCode, inviteExpiry, isExpired, normaliseEmail, removesLastAdmin, type UserChange } from './rules.js';
import type { Invitation, InviteTenantUserInput, TenantUser, TenantUserListFilter } from './schema.js';

const SCOPE = { tenant: 'tenant_users.tenant_id' };

/** Every read of tenant users starts here: the scoping helper, then the tenant. */
function scopedUsers(ctx: ServiceContext, db: Kysely<Database>, tenantId: string) {
  return db.selectFrom('tenant_users').selectAll().where(scopeTo(ctx.principal, SCOPE)).where('tenant_users.tenant_id', '=', tenantId);
}

function toTenantUser(row: TenantUserRow, tenant: Pick<Tenant, 'slug'>, now: Date): TenantUser {
  const { invite_code_hash: _secret, ...shown } = row;
  return { ...shown, tenant_slug: tenant.slug, status: displayedStatus(row, now) };
}

export async function listTenantUsers(ctx: ServiceContext, ref: string, filter: TenantUserListFilter): Promise<Page<TenantUser>> {
  const tenant = await getTenant(ctx, ref);
  const now = ctx.clock.now();
  let query = scopedUsers(ctx, ctx.db, tenant.id).orderBy('tenant_users.id').limit(filter.limit + 1);
  if (filter.cursor) query = query.where('tenant_users.id', '>', decodeCursor(filter.cursor));
  if (filter.role) query = query.where('tenant_users.role', '=', filter.role);
  if (filter.status === 'expired') query = query.where('tenant_users.status', '=', 'invited').where('tenant_users.invite_expires_at', '<=', now.toISOString());
  else if (filter.status === 'invited') query = query.where('tenant_users.status', '=', 'invited').where('tenant_users.invite_expires_at', '>', now.toISOString());
  else if (filter.status) query = query.where('tenant_users.status', '=', filter.status);
  const rows = await query.execute();
  return pageFrom(rows.map((row) => toTenantUser(row, tenant, now)), filter.limit, (user) => user.id);
}

export async function getTenantUser(ctx: ServiceContext, ref: string, userRef: string): Promise<TenantUser> {
  const tenant = await getTenant(ctx, ref);
  return toTenantUser(await findUser(ctx, ctx.db, tenant, userRef), tenant, ctx.clock.now());
}

/** A user by id (tus_…) or email, in the tenant and the caller's scope. */
async function findUser(ctx: ServiceContext, db: Kysely<Database>, tenant: Tenant, userRef: string): Promise<TenantUserRow> {
  const byId = hasPrefix(userRef, 'tenantUser');
  const row = await scopedUsers(ctx, db, tenant.id)
    .where(byId ? 'tenant_users.id' : 'tenant_users.email', '=', byId ? userRef : normaliseEmail(userRef))
    .executeTakeFirst();
  if (!row) throw notFound(`user "${userRef}" was not found in tenant "${tenant.slug}"`);
  return row;
}

/**
 * The last-admin rule must hold when two changes race: on PostgreSQL the tenant's row is locked
 * for the rest of the transaction, so a second change to its users waits and then sees the first;
 * SQLite's write transactions (BEGIN IMMEDIATE) are already one at a time.
 */
async function lockTenant(ctx: ServiceContext, trx: Kysely<Database>, tenant: Tenant): Promise<void> {
  let status = tenant.status;
  if (ctx.dialect === 'postgres') {
    const locked = await sql<{ status: Tenant['status'] }>`select status from tenants where id = ${tenant.id} for update`.execute(trx);
    status = locked.rows[0]?.status ?? status;
  }
  // a cancelled tenant's instance is gone, and its people with it: they are kept as they were
  if (status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled; its users can no longer be changed`);
}

/** A one-time code shown once: 32 characters of base64url after `dmi_` (192 random bits). */
function newInviteCode(): string {
  return `dmi_${randomBytes(24).toString('base64url')}`;
}

/**
 * Invites a person to the tenant's instance, or re-sends an open or expired invite for the same
 * email (a new code, 7 more days, the role given now). An email already accepted is 409.
 */
export async function inviteTenantUser(ctx: ServiceContext, ref: string, input: InviteTenantUserInput): Promise<Invitation> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    await lockTenant(ctx, trx, tenant);
    const email = normaliseEmail(input.email);
    const existing = await scopedUsers(ctx, trx, tenant.id).where('tenant_users.email', '=', email).executeTakeFirst();
    if (existing && existing.status !== 'invited') {
      throw conflict(`${email} is already a user of tenant "${tenant.slug}" (${existing.status}); change it with \`users role\`, \`users enable\` or \`users disable\``);
    }
    const now = ctx.clock.now();
    const at = now.toISOString();
    const code = newInviteCode();
    const invite = { role: input.role, invited_by: ctx.principal.userId, invited_at: at, invite_expires_at: inviteExpiry(now), invite_code_hash: hashInviteCode(code), updated_at: at };
    let row: TenantUserRow;
    if (existing) {
      await trx.updateTable('tenant_users').set(invite).where('id', '=', existing.id).execute();
      row = { ...existing, ...invite };
    } else {
      row = { id: newId('tenantUser'), tenant_id: tenant.id, email, status: 'invited', accepted_at: null, disabled_at: null, created_at: at, ...invite };
      await trx.insertInto('tenant_users').values(row).execute();
    }
    // the code is never audited: the event names the person, the role and until when the invite holds
    await audit(ctx, trx, existing ? 'tenant_user.reinvite' : 'tenant_user.invite', tenant, row, { email, role: row.role, invite_expires_at: row.invite_expires_at });
    return { user: toTenantUser(row, tenant, now), invite_code: code, renewed: !!existing };
  });
}

/**
 * Accepts an invite with its code, on the invitee's behalf: the code is checked against the
 * stored hash, then cleared, so it works once. An invite past its 7 days is 409 invite_expired.
 */
export async function acceptTenantUserInvite(ctx: ServiceContext, ref: string, userRef: string, code: string): Promise<TenantUser> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    await lockTenant(ctx, trx, tenant);
    const user = await findUser(ctx, trx, tenant, userRef);
    const now = ctx.clock.now();
    if (user.status !== 'invited') throw conflict(`${user.email} has no open invite: it was already accepted (${user.status})`);
    if (!codeMatches(code, user.invite_code_hash)) throw conflict(`that invite code is not ${user.email}'s; use the code its latest \`users invite\` showed`);
    if (isExpired(user, now)) {
      throw new AppError('conflict', `the invite of ${user.email} expired at ${user.invite_expires_at}; send a new one with \`users invite --email ${user.email}\``, { code: 'invite_expired' });
    }
    const at = now.toISOString();
    const change = { status: 'active' as const, accepted_at: at, invite_code_hash: null, invite_expires_at: null, updated_at: at };
    await trx.updateTable('tenant_users').set(change).where('id', '=', user.id).execute();
    const row = { ...user, ...change };
    await audit(ctx, trx, 'tenant_user.accept', tenant, row, { email: row.email, role: row.role });
    return toTenantUser(row, tenant, now);
  });
}

export async function changeTenantUserRole(ctx: ServiceContext, ref: string, userRef: string, role: TenantUserRole): Promise<Outcome<TenantUser>> {
  return changeUser(ctx, ref, userRef, { kind: 'role', role }, (user) => (user.role === role ? null : { role }));
}

/** Disables an accepted user; an open invite is removed instead. */
export async function disableTenantUser(ctx: ServiceContext, ref: string, userRef: string): Promise<Outcome<TenantUser>> {
  return changeUser(ctx, ref, userRef, { kind: 'disable' }, (user, at) => {
    if (user.status === 'disabled') return null;
    if (user.status === 'invited') throw conflict(`${user.email} has not accepted the invite yet; remove the invite with \`users remove\` instead`);
    return { status: 'disabled', disabled_at: at };
  });
}

export async function enableTenantUser(ctx: ServiceContext, ref: string, userRef: string): Promise<Outcome<TenantUser>> {
  return changeUser(ctx, ref, userRef, { kind: 'enable' }, (user) => {
    if (user.status === 'active') return null;
    if (user.status === 'invited') throw conflict(`${user.email} has not accepted the invite yet; it becomes active when accepted (\`users accept\`)`);
    return { status: 'active', disabled_at: null };
  });
}

/** Removes the user (or the open invite) from the tenant; the audit trail keeps who it was. */
export async function removeTenantUser(ctx: ServiceContext, ref: string, userRef: string): Promise<TenantUser> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { tenant, user } = await lockedUser(ctx, trx, ref, userRef);
    await refuseLastAdmin(ctx, trx, tenant, user, { kind: 'remove' });
    await trx.deleteFrom('tenant_users').where('id', '=', user.id).execute();
    await audit(ctx, trx, 'tenant_user.remove', tenant, user, { email: user.email, role: user.role, status: user.status });
    return toTenantUser(user, tenant, ctx.clock.now());
  });
}

type UserUpdate = Partial<Pick<TenantUserRow, 'role' | 'status' | 'disabled_at'>>;

const ACTIONS: Record<'role' | 'disable' | 'enable', AuditAction> = { role: 'tenant_user.role', disable: 'tenant_user.disable', enable: 'tenant_user.enable' };

/** One change verb: find and lock, decide (null: the end state already holds), check the last-admin rule, write, audit. */
async function changeUser(
  ctx: ServiceContext,
  ref: string,
  userRef: string,
  change: Extract<UserChange, { kind: 'role' | 'disable' | 'enable' }>,
  decide: (user: TenantUserRow, at: string) => UserUpdate | null,
): Promise<Outcome<TenantUser>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { tenant, user } = await lockedUser(ctx, trx, ref, userRef);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const update = decide(user, at);
    if (!update) return { value: toTenantUser(user, tenant, now), changed: false };
    await refuseLastAdmin(ctx, trx, tenant, user, change);
    await trx.updateTable('tenant_users').set({ ...update, updated_at: at }).where('id', '=', user.id).execute();
    const row = { ...user, ...update, updated_at: at };
    const details = change.kind === 'role' ? { email: user.email, from: user.role, to: row.role } : { email: user.email, role: user.role };
    await audit(ctx, trx, ACTIONS[change.kind], tenant, row, details);
    return { value: toTenantUser(row, tenant, now), changed: true };
  });
}

async function lockedUser(ctx: ServiceContext, trx: Kysely<Database>, ref: string, userRef: string) {
  const tenant = await getTenant(ctx, ref, trx);
  await lockTenant(ctx, trx, tenant);
  return { tenant, user: await findUser(ctx, trx, tenant, userRef) };
}

/** 409 last_admin when the change would leave the tenant with no accepted, enabled admin. */
async function refuseLastAdmin(ctx: ServiceContext, trx: Kysely<Database>, tenant: Tenant, user: TenantUserRow, change: UserChange): Promise<void> {
  const admins = await scopedUsers(ctx, trx, tenant.id).where('tenant_users.role', '=', 'admin').where('tenant_users.status', '=', 'active').execute();
  if (!removesLastAdmin(admins, user, change)) return;
  const verb = change.kind === 'remove' ? 'removed' : change.kind === 'disable' ? 'disabled' : 'demoted';
  throw new AppError('conflict', `${user.email} is the last admin of tenant "${tenant.slug}" and cannot be ${verb}; make another user an admin first`, { code: 'last_admin' });
}

async function audit(ctx: ServiceContext, trx: Kysely<Database>, action: AuditAction, tenant: Tenant, user: TenantUserRow, details: Record<string, unknown>): Promise<void> {
  await recordAudit(trx, ctx, { action, targetType: 'tenant_user', targetId: user.id, tenantId: tenant.id, details });
}
