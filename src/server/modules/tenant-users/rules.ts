// Tenant users as pure rules: invite expiry, the status people see, and the last-admin rule.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TenantUserRole, TenantUserState } from '../../../db/tables/tenant-users.js';

/** An invite is good for 7 days from when it was (last) sent, by the server's clock. */
export const INVITE_DAYS = 7;
const DAY_MS = 86_400_000;

export type TenantUserStatus = TenantUserState | 'expired';

export function inviteExpiry(now: Date): string {
  return new Date(now.getTime() + INVITE_DAYS * DAY_MS).toISOString();
}

export function isExpired(user: { status: string; invite_expires_at: string | null }, now: Date): boolean {
  return user.status === 'invited' && user.invite_expires_at !== null && user.invite_expires_at <= now.toISOString();
}

/** `expired` is shown for an invite past its 7 days; it is stored as `invited`. */
export function displayedStatus(user: { status: TenantUserState; invite_expires_at: string | null }, now: Date): TenantUserStatus {
  return isExpired(user, now) ? 'expired' : user.status;
}

/** Only an accepted, enabled admin counts as one of the tenant's admins. */
export function countsAsAdmin(user: { role: string; status: string }): boolean {
  return user.role === 'admin' && user.status === 'active';
}

export type UserChange = { kind: 'remove' } | { kind: 'disable' } | { kind: 'enable' } | { kind: 'role'; role: TenantUserRole };

export interface PersonState {
  id: string;
  role: TenantUserRole;
  status: TenantUserState;
}

/** The user after the change, or null once removed. */
export function applyChange(user: PersonState, change: UserChange): PersonState | null {
  switch (change.kind) {
    case 'remove':
      return null;
    case 'disable':
      return { ...user, status: 'disabled' };
    case 'enable':
      // only an accepted user is ever disabled (an open invite is removed instead)
      return { ...user, status: user.status === 'disabled' ? 'active' : user.status };
    case 'role':
      return { ...user, role: change.role };
  }
}

/**
 * Whether the change takes away the tenant's last admin: the user counts as an admin now, does
 * not after the change, and no other user of the tenant counts. A tenant with no admin at all
 * may still change anything (its first admin comes by invite).
 */
export function removesLastAdmin(users: readonly PersonState[], target: PersonState, change: UserChange): boolean {
  if (!countsAsAdmin(target)) return false;
  const after = applyChange(target, change);
  if (after && countsAsAdmin(after)) return false;
  return !users.some((u) => u.id !== target.id && countsAsAdmin(u));
}

/** Invite codes are stored only as their SHA-256, hex. */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

export function codeMatches(code: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const given = Buffer.from(hashInviteCode(code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
