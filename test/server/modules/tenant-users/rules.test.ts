import { describe, expect, it } from 'vitest';
import { codeMatches, displayedStatus, hashInviteCode, inviteExpiry, removesLastAdmin, type PersonState } from '../../../../src/server/modules/tenant-users/rules.js';

const admin = (id: string, status: PersonState['status'] = 'active'): PersonState => ({ id, role: 'admin', status });

describe('the last-admin rule', () => {
  it('refuses taking away the only accepted, enabled admin, in any way', () => {
    const only = admin('a');
    const users = [only, admin('b', 'invited'), admin('c', 'disabled'), { id: 'd', role: 'operator' as const, status: 'active' as const }];
    expect(removesLastAdmin(users, only, { kind: 'remove' })).toBe(true);
    expect(removesLastAdmin(users, only, { kind: 'disable' })).toBe(true);
    expect(removesLastAdmin(users, only, { kind: 'role', role: 'viewer' })).toBe(true);
    expect(removesLastAdmin(users, only, { kind: 'role', role: 'admin' })).toBe(false);
  });

  it('allows it with another active admin, and for users who do not count', () => {
    const users = [admin('a'), admin('b'), admin('c', 'invited')];
    expect(removesLastAdmin(users, users[0]!, { kind: 'remove' })).toBe(false);
    expect(removesLastAdmin([admin('c', 'invited')], admin('c', 'invited'), { kind: 'remove' })).toBe(false);
    expect(removesLastAdmin([admin('x', 'disabled')], admin('x', 'disabled'), { kind: 'remove' })).toBe(false);
  });
});

describe('invites', () => {
  it('expire 7 days after they were sent, shown as expired and stored as invited', () => {
    const sent = new Date('2026-12-01T10:00:00.000Z');
    const expires = inviteExpiry(sent);
    expect(expires).toBe('2026-12-08T10:00:00.000Z');
    const row = { status: 'invited' as const, invite_expires_at: expires };
    expect(displayedStatus(row, new Date('2026-12-08T09:59:59.999Z'))).toBe('invited');
    expect(displayedStatus(row, new Date(expires))).toBe('expired');
    expect(displayedStatus({ status: 'active', invite_expires_at: null }, new Date('2030-01-01'))).toBe('active');
  });

  it('match their code by hash only', () => {
    expect(hashInviteCode('dmi_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(codeMatches('dmi_x', hashInviteCode('dmi_x'))).toBe(true);
    expect(codeMatches('dmi_y', hashInviteCode('dmi_x'))).toBe(false);
    expect(codeMatches('dmi_x', null)).toBe(false);
  });
});
