import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Invitation, TenantUser } from '../../../src/client/types.js';
import { byId, recordEvent, seesTenant, type Model, type TenantState, type TenantUserState } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepContext, type StepKind, type Target } from './step.js';

/**
 * Steps on tenant users, predicted from the model with the rules of docs/api.md "Tenant users"
 * written out again: an email is unique per tenant, an invite holds 7 days and is re-sent by
 * inviting the same email again, a code works once and only its hash is stored, and only an
 * accepted, enabled admin counts: the last one cannot be removed, disabled or demoted.
 */

const ROLES = ['admin', 'operator', 'viewer'] as const;
type UserRole = (typeof ROLES)[number];
const DAY_MS = 86_400_000;

/** A handful of emails, so that invites meet the same person again (in any letter case). */
const emailArb = fc.constantFrom('ana@iso.test', 'Ana@ISO.test', 'bob@iso.test', 'carol@iso.test', 'dave@iso.test');

/** A user of the picked tenant (by email or id), one of another tenant (by id), or nobody. */
type UserPick = { pick: number; form: 'email' | 'id'; elsewhere: boolean } | 'nobody';
const userArb: fc.Arbitrary<UserPick> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ pick: fc.nat({ max: 20 }), form: fc.constantFrom('email' as const, 'id' as const), elsewhere: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat({ max: 20 }), form: fc.constant('id' as const), elsewhere: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.constant('nobody' as const) },
);

const now = (ctx: StepContext<unknown>) => ctx.r.api.clock.now();
const hash = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');
const usersOf = (m: Model, tenantId: string) => byId(m.tenantUsers.filter((u) => u.tenant_id === tenantId));
const countsAsAdmin = (u: Pick<TenantUserState, 'role' | 'status'>) => u.role === 'admin' && u.status === 'active';
const expired = (u: TenantUserState, at: Date) => u.status === 'invited' && u.invite_expires_at !== null && u.invite_expires_at <= at.toISOString();

/** The last-admin rule: the change takes away the tenant's only accepted, enabled admin. */
function lastAdmin(m: Model, user: TenantUserState, after: Pick<TenantUserState, 'role' | 'status'> | null): boolean {
  if (!countsAsAdmin(user) || (after && countsAsAdmin(after))) return false;
  return !usersOf(m, user.tenant_id).some((u) => u.id !== user.id && countsAsAdmin(u));
}

function view(m: Model, u: TenantUserState, at: Date): TenantUser {
  const { invite_code_hash: _hash, ...shown } = u;
  return { ...shown, tenant_slug: m.tenants.find((t) => t.id === u.tenant_id)!.slug, status: expired(u, at) ? 'expired' : u.status };
}

function pickUser(m: Model, tenant: TenantState | undefined, pick: UserPick): { user?: TenantUserState; ref: string } {
  if (pick === 'nobody' || !tenant) return { ref: 'nobody@iso.test' };
  const pool = pick.elsewhere ? byId(m.tenantUsers.filter((u) => u.tenant_id !== tenant.id)) : usersOf(m, tenant.id);
  const user = pool[pick.pick % Math.max(pool.length, 1)];
  if (!user) return { ref: 'nobody@iso.test' };
  // a user of another tenant is named by id: its email may well be a user of this tenant too
  return { user: pick.elsewhere ? undefined : user, ref: pick.form === 'email' && !pick.elsewhere ? user.email.toUpperCase() : user.id };
}

const base = (ref: string, rest = '') => `/v1/tenants/${encodeURIComponent(ref)}/users${rest}`;
const userPath = (ref: string, user: string, rest = '') => base(ref, `/${encodeURIComponent(user)}${rest}`);

/** The checks every step on one user starts with; the tenant and user when the request gets that far. */
async function reachUser(ctx: StepContext<{ tenant: Target; user: UserPick }>, write: boolean, method: string, rest: string, body?: unknown) {
  const { m, p, args } = ctx;
  const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
  const { user, ref: userRef } = pickUser(m, tenant, args.user);
  const answer = await call(ctx, method, userPath(ref, userRef, rest), body === undefined ? {} : { body });
  const refused = gate(ctx, write);
  if (refused) return void expectStatus(answer, refused.status, refused.code);
  if (!tenant || !seesTenant(p, tenant)) return void expectStatus(answer, 404, 'not_found');
  if (write && tenant.status === 'cancelled') return void expectStatus(answer, 409, 'conflict');
  if (!user) return void expectStatus(answer, 404, 'not_found');
  return { answer, tenant, user };
}

/** A change verb's end: 200, the model's row in the answer, and (when it changed) the event. */
function changedTo(ctx: StepContext<unknown>, answer: { status: number; body: unknown; text: string }, user: TenantUserState, next: TenantUserState | null, action: string): void {
  const { m } = ctx;
  expectStatus(answer, 200);
  if (next) {
    Object.assign(user, next);
    recordEvent(m, action, user.id, user.tenant_id);
  }
  expect(answer.body).toEqual(view(m, user, now(ctx)));
}

const listTenantUsers: StepKind<{ tenant: Target; status?: TenantUser['status']; role?: UserRole }> = {
  args: fc.record({ tenant: targetArb, status: fc.constantFrom('invited' as const, 'active' as const, 'disabled' as const, 'expired' as const), role: fc.constantFrom(...ROLES) }, { requiredKeys: ['tenant'] }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', base(ref), { query: { status: args.status, role: args.role, limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const at = now(ctx);
    const rows = usersOf(m, tenant.id).map((u) => view(m, u, at)).filter((u) => (!args.status || u.status === args.status) && (!args.role || u.role === args.role));
    expect((answer.body as { data: TenantUser[] }).data).toEqual(rows);
  },
};

const getTenantUser: StepKind<{ tenant: Target; user: UserPick }> = {
  args: fc.record({ tenant: targetArb, user: userArb }),
  async perform(ctx) {
    const reached = await reachUser(ctx, false, 'GET', '');
    if (!reached) return;
    expectStatus(reached.answer, 200);
    expect(reached.answer.body).toEqual(view(ctx.m, reached.user, now(ctx)));
  },
};

const inviteTenantUser: StepKind<{ tenant: Target; email: string; role: UserRole }> = {
  args: fc.record({ tenant: targetArb, email: emailArb, role: fc.constantFrom(...ROLES) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', base(ref), { body: { email: args.email, role: args.role } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    const email = args.email.toLowerCase();
    const existing = usersOf(m, tenant.id).find((u) => u.email === email);
    if (existing && existing.status !== 'invited') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, existing ? 200 : 201);
    const invitation = answer.body as Invitation;
    expect(invitation.invite_code).toMatch(/^dmi_[A-Za-z0-9_-]{32}$/);
    const at = now(ctx).toISOString();
    const invite = { role: args.role, invited_by: p.userId!, invited_at: at, invite_expires_at: new Date(now(ctx).getTime() + 7 * DAY_MS).toISOString(), invite_code_hash: hash(invitation.invite_code), updated_at: at };
    let row: TenantUserState;
    if (existing) {
      row = Object.assign(existing, invite);
    } else {
      row = { id: invitation.user.id, tenant_id: tenant.id, email, status: 'invited', accepted_at: null, disabled_at: null, created_at: at, ...invite };
      m.tenantUsers = byId([...m.tenantUsers, row]);
    }
    m.inviteCodes[row.id] = invitation.invite_code;
    recordEvent(m, existing ? 'tenant_user.reinvite' : 'tenant_user.invite', row.id, tenant.id);
    expect(invitation).toEqual({ user: view(m, row, now(ctx)), invite_code: invitation.invite_code, renewed: !!existing });
  },
};

const acceptTenantUserInvite: StepKind<{ tenant: Target; user: UserPick; knownCode: boolean }> = {
  args: fc.record({ tenant: targetArb, user: userArb, knownCode: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    // the code the model saw for the user named, or one that is nobody's
    const { tenant } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const named = pickUser(m, tenant, args.user).user;
    const code = (args.knownCode && named && m.inviteCodes[named.id]) || 'dmi_not-a-code-anyone-was-given';
    const reached = await reachUser(ctx, true, 'POST', '/accept', { code });
    if (!reached) return;
    const { answer, user } = reached;
    if (user.status !== 'invited' || user.invite_code_hash !== hash(code)) return expectStatus(answer, 409, 'conflict');
    if (expired(user, now(ctx))) return expectStatus(answer, 409, 'invite_expired');
    const at = now(ctx).toISOString();
    changedTo(ctx, answer, user, { ...user, status: 'active', accepted_at: at, invite_code_hash: null, invite_expires_at: null, updated_at: at }, 'tenant_user.accept');
  },
};

const changeTenantUserRole: StepKind<{ tenant: Target; user: UserPick; role: UserRole }> = {
  args: fc.record({ tenant: targetArb, user: userArb, role: fc.constantFrom(...ROLES) }),
  async perform(ctx) {
    const reached = await reachUser(ctx, true, 'POST', '/role', { role: ctx.args.role });
    if (!reached) return;
    const { answer, user } = reached;
    if (user.role === ctx.args.role) return changedTo(ctx, answer, user, null, '');
    if (lastAdmin(ctx.m, user, { role: ctx.args.role, status: user.status })) return expectStatus(answer, 409, 'last_admin');
    changedTo(ctx, answer, user, { ...user, role: ctx.args.role, updated_at: now(ctx).toISOString() }, 'tenant_user.role');
  },
};

const disableTenantUser: StepKind<{ tenant: Target; user: UserPick }> = {
  args: fc.record({ tenant: targetArb, user: userArb }),
  async perform(ctx) {
    const reached = await reachUser(ctx, true, 'POST', '/disable');
    if (!reached) return;
    const { answer, user } = reached;
    if (user.status === 'disabled') return changedTo(ctx, answer, user, null, '');
    if (user.status === 'invited') return expectStatus(answer, 409, 'conflict');
    if (lastAdmin(ctx.m, user, { role: user.role, status: 'disabled' })) return expectStatus(answer, 409, 'last_admin');
    const at = now(ctx).toISOString();
    changedTo(ctx, answer, user, { ...user, status: 'disabled', disabled_at: at, updated_at: at }, 'tenant_user.disable');
  },
};

const enableTenantUser: StepKind<{ tenant: Target; user: UserPick }> = {
  args: fc.record({ tenant: targetArb, user: userArb }),
  async perform(ctx) {
    const reached = await reachUser(ctx, true, 'POST', '/enable');
    if (!reached) return;
    const { answer, user } = reached;
    if (user.status === 'active') return changedTo(ctx, answer, user, null, '');
    if (user.status === 'invited') return expectStatus(answer, 409, 'conflict');
    changedTo(ctx, answer, user, { ...user, status: 'active', disabled_at: null, updated_at: now(ctx).toISOString() }, 'tenant_user.enable');
  },
};

const removeTenantUser: StepKind<{ tenant: Target; user: UserPick }> = {
  args: fc.record({ tenant: targetArb, user: userArb }),
  async perform(ctx) {
    const reached = await reachUser(ctx, true, 'DELETE', '');
    if (!reached) return;
    const { answer, user } = reached;
    const { m } = ctx;
    if (lastAdmin(m, user, null)) return expectStatus(answer, 409, 'last_admin');
    expectStatus(answer, 200);
    expect(answer.body).toEqual(view(m, user, now(ctx)));
    m.tenantUsers = m.tenantUsers.filter((u) => u.id !== user.id);
    delete m.inviteCodes[user.id];
    recordEvent(m, 'tenant_user.remove', user.id, user.tenant_id);
  },
};

export const USER_STEPS: Record<string, AnyStep> = {
  listTenantUsers,
  getTenantUser,
  inviteTenantUser,
  acceptTenantUserInvite,
  changeTenantUserRole,
  disableTenantUser,
  enableTenantUser,
  removeTenantUser,
};
