import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../src/client/api-client.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;
const DAY = 86_400_000;

/** A fresh tenant (owned by `reseller` when given) and a tenant_admin client of it. */
async function tenant(reseller: string | null = null) {
  const slug = `tu-${++serial}`;
  await api.admin.tenants.create({ slug, name: slug, reseller });
  const own = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: slug, email: `${slug}@admin.test` })).token);
  return { slug, own };
}

/** An accepted user of the tenant. */
async function member(client: ApiClient, slug: string, email: string, role: 'admin' | 'operator' | 'viewer') {
  const invited = await client.tenantUsers.invite(slug, { email, role });
  return client.tenantUsers.accept(slug, invited.user.id, invited.invite_code);
}

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'tu-reseller', name: 'TU Reseller' });
});
afterAll(() => api.close());

describe('the audit trail of a user', () => {
  it('is found by the user\'s id, by its own tenant admin and staff; another tenant\'s admin gets 404', async () => {
    const { slug, own } = await tenant();
    const other = await tenant();
    const ana = await member(own, slug, 'ana@audit.test', 'operator');
    await own.tenantUsers.role(slug, ana.id, 'viewer');
    const actions = async (client: ApiClient) => (await client.audit.list({ target: ana.id })).data.map((e) => e.action).sort();
    const expected = await actions(api.admin);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(expected.every((a) => a.startsWith('tenant_user.'))).toBe(true);
    expect(await actions(own)).toEqual(expected);
    expectProblem(await other.own.raw('GET', '/v1/audit', { query: { target: ana.id } }), 404, 'not_found');
  });
});

describe('inviting and accepting', () => {
  it('invites with a one-time code shown once, stores only its hash, and accepts it once', async () => {
    const { slug, own } = await tenant();
    const invited = await own.tenantUsers.invite(slug, { email: '  Ana@Example.NET ', role: 'operator' });
    expect(invited.renewed).toBe(false);
    expect(invited.user).toMatchObject({ email: 'ana@example.net', role: 'operator', status: 'invited', tenant_slug: slug, accepted_at: null });
    expect(Date.parse(invited.user.invite_expires_at!) - api.clock.now().getTime()).toBe(7 * DAY);
    expect(invited.invite_code).toMatch(/^dmi_[A-Za-z0-9_-]{32}$/);
    expect(invited.user).not.toHaveProperty('invite_code_hash');

    // the code is nowhere at rest: not in the row, the audit trail or the idempotency records
    const db = api.connection.db;
    const atRest = async () =>
      JSON.stringify([
        await db.selectFrom('tenant_users').selectAll().execute(),
        await db.selectFrom('audit_events').selectAll().execute(),
        await db.selectFrom('idempotency_keys').selectAll().execute(),
      ]);
    expect(await atRest()).not.toContain(invited.invite_code);

    expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users/ana@example.net/accept`, { body: { code: 'dmi_wrong' } }), 409, 'conflict');
    const accepted = await own.tenantUsers.accept(slug, 'ANA@example.net', invited.invite_code);
    expect(accepted).toMatchObject({ status: 'active', accepted_at: api.clock.now().toISOString(), invite_expires_at: null });
    expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users/${accepted.id}/accept`, { body: { code: invited.invite_code } }), 409, 'conflict');
    expect(await atRest()).not.toContain(invited.invite_code);
    const row = await db.selectFrom('tenant_users').select('invite_code_hash').where('id', '=', accepted.id).executeTakeFirstOrThrow();
    expect(row.invite_code_hash).toBeNull();
  });

  it('refuses a second user with the same email (any case), and emails that are not emails', async () => {
    const { slug, own } = await tenant();
    await member(own, slug, 'bo@example.net', 'viewer');
    expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users`, { body: { email: 'BO@example.net', role: 'admin' } }), 409, 'conflict');
    for (const email of ['nope', 'a@b', 'x\u001b]0;pwned\u0007@example.net', '', 'a'.repeat(250) + '@x.net']) {
      expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users`, { body: { email, role: 'admin' } }), 400, 'invalid');
    }
    expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users`, { body: { email: 'c@example.net', role: 'owner' } }), 400, 'invalid');
    expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users`, { body: { email: 'c@example.net', role: 'admin', status: 'active' } }), 400, 'invalid');
  });

  it('expires an invite after 7 days: listed as expired, refused with invite_expired, renewed by inviting again', async () => {
    const { slug, own } = await tenant();
    const first = await own.tenantUsers.invite(slug, { email: 'late@example.net', role: 'operator' });
    api.clock.advance(7 * DAY);
    try {
      expect((await own.tenantUsers.list(slug, { status: 'expired' })).data.map((u) => u.email)).toEqual(['late@example.net']);
      expect((await own.tenantUsers.list(slug, { status: 'invited' })).data).toEqual([]);
      expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users/late@example.net/accept`, { body: { code: first.invite_code } }), 409, 'invite_expired');

      const again = await own.tenantUsers.invite(slug, { email: 'late@example.net', role: 'admin' });
      expect(again.renewed).toBe(true);
      expect(again.user).toMatchObject({ id: first.user.id, role: 'admin', status: 'invited' });
      expect(again.invite_code).not.toBe(first.invite_code);
      // the earlier code no longer works; the new one does
      expectProblem(await own.raw('POST', `/v1/tenants/${slug}/users/late@example.net/accept`, { body: { code: first.invite_code } }), 409, 'conflict');
      expect((await own.tenantUsers.accept(slug, 'late@example.net', again.invite_code)).status).toBe('active');
    } finally {
      api.clock.advance(-7 * DAY);
    }
  });

  it('audits every change, naming the person and never the code', async () => {
    const { slug, own } = await tenant();
    const invited = await own.tenantUsers.invite(slug, { email: 'aud@example.net', role: 'viewer' });
    await own.tenantUsers.accept(slug, invited.user.id, invited.invite_code);
    await own.tenantUsers.role(slug, invited.user.id, 'operator');
    await own.tenantUsers.disable(slug, invited.user.id);
    await own.tenantUsers.enable(slug, invited.user.id);
    await own.tenantUsers.remove(slug, invited.user.id);
    const events = (await api.admin.audit.list({ limit: 6 })).data.reverse();
    expect(events.map((e) => e.action)).toEqual(['tenant_user.invite', 'tenant_user.accept', 'tenant_user.role', 'tenant_user.disable', 'tenant_user.enable', 'tenant_user.remove']);
    expect(events.every((e) => e.target_id === invited.user.id)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(invited.invite_code);
  });
});

describe('the last admin', () => {
  it('cannot be removed, disabled or demoted; with a second admin it can', async () => {
    const { slug, own } = await tenant();
    const first = await member(own, slug, 'one@example.net', 'admin');
    const before = await auditCount(api);
    for (const res of [
      await own.raw('DELETE', `/v1/tenants/${slug}/users/${first.id}`),
      await own.raw('POST', `/v1/tenants/${slug}/users/${first.id}/disable`),
      await own.raw('POST', `/v1/tenants/${slug}/users/${first.id}/role`, { body: { role: 'operator' } }),
    ]) {
      expectProblem(res, 409, 'last_admin');
    }
    expect(await auditCount(api)).toBe(before);
    // an invited or disabled admin does not count
    await own.tenantUsers.invite(slug, { email: 'pending@example.net', role: 'admin' });
    expectProblem(await own.raw('DELETE', `/v1/tenants/${slug}/users/${first.id}`), 409, 'last_admin');
    await member(own, slug, 'two@example.net', 'admin');
    expect((await own.tenantUsers.disable(slug, first.id)).value.status).toBe('disabled');
    expectProblem(await own.raw('DELETE', `/v1/tenants/${slug}/users/two@example.net`), 409, 'last_admin');
    expect((await own.tenantUsers.enable(slug, first.id)).value.status).toBe('active');
    expect((await own.tenantUsers.role(slug, 'two@example.net', 'viewer')).value.role).toBe('viewer');
  });

  it('holds when two changes race: of two demotions at once, one is refused', async () => {
    const { slug, own } = await tenant();
    const a = await member(own, slug, 'a@example.net', 'admin');
    const b = await member(own, slug, 'b@example.net', 'admin');
    const other = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: slug, email: `${slug}-2@admin.test` })).token);
    const answers = await Promise.all([
      own.raw('POST', `/v1/tenants/${slug}/users/${a.id}/role`, { body: { role: 'viewer' } }),
      other.raw('DELETE', `/v1/tenants/${slug}/users/${b.id}`),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const admins = (await own.tenantUsers.list(slug, { role: 'admin', status: 'active' })).data;
    expect(admins).toHaveLength(1);
  });

  it('holds across random sequences of changes (property)', async () => {
    const emails = ['p1@example.net', 'p2@example.net', 'p3@example.net'];
    const change = fc.record({
      verb: fc.constantFrom('remove', 'disable', 'enable', 'demote', 'promote', 'invite'),
      who: fc.constantFrom(...emails),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 15 }), async (changes) => {
        const { slug, own } = await tenant();
        await member(own, slug, emails[0]!, 'admin');
        for (const { verb, who } of changes) {
          const path = `/v1/tenants/${slug}/users/${who}`;
          if (verb === 'remove') await own.raw('DELETE', path);
          if (verb === 'disable') await own.raw('POST', `${path}/disable`);
          if (verb === 'enable') await own.raw('POST', `${path}/enable`);
          if (verb === 'demote') await own.raw('POST', `${path}/role`, { body: { role: 'operator' } });
          if (verb === 'promote') await own.raw('POST', `${path}/role`, { body: { role: 'admin' } });
          if (verb === 'invite') {
            const res = await own.raw('POST', `/v1/tenants/${slug}/users`, { body: { email: who, role: 'admin' } });
            if (res.status < 300) {
              const { user, invite_code } = JSON.parse(res.body) as { user: { id: string }; invite_code: string };
              await own.tenantUsers.accept(slug, user.id, invite_code);
            }
          }
          const admins = (await own.tenantUsers.list(slug, { role: 'admin', status: 'active' })).data;
          expect(admins.length).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('scope', () => {
  it('a tenant admin reaches only its tenant (404 elsewhere); a reseller reads its customers\' users and changes none', async () => {
    const mine = await tenant('tu-reseller');
    const theirs = await tenant();
    const invited = await mine.own.tenantUsers.invite(mine.slug, { email: 'x@example.net', role: 'viewer' });
    expectProblem(await theirs.own.raw('GET', `/v1/tenants/${mine.slug}/users`), 404, 'not_found');
    expectProblem(await theirs.own.raw('GET', `/v1/tenants/${theirs.slug}/users/${invited.user.id}`), 404, 'not_found');
    expectProblem(await theirs.own.raw('POST', `/v1/tenants/${theirs.slug}/users/${invited.user.id}/accept`, { body: { code: invited.invite_code } }), 404, 'not_found');

    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'tu-reseller' })).token);
    expect((await reseller.tenantUsers.list(mine.slug)).data.map((u) => u.email)).toEqual(['x@example.net']);
    expectProblem(await reseller.raw('GET', `/v1/tenants/${theirs.slug}/users`), 404, 'not_found');
    expectProblem(await reseller.raw('POST', `/v1/tenants/${mine.slug}/users`, { body: { email: 'y@example.net', role: 'admin' } }), 403, 'forbidden');
  });

  it('a cancelled tenant\'s people can be read and no longer changed (409)', async () => {
    const { slug } = await tenant();
    const kept = await member(api.admin, slug, 'kept@example.net', 'operator');
    await api.admin.tenants.delete(slug);
    expect((await api.admin.tenantUsers.list(slug)).data.map((u) => u.id)).toEqual([kept.id]);
    expectProblem(await api.admin.raw('POST', `/v1/tenants/${slug}/users`, { body: { email: 'new@example.net', role: 'admin' } }), 409, 'conflict');
    expectProblem(await api.admin.raw('DELETE', `/v1/tenants/${slug}/users/${kept.id}`), 409, 'conflict');
  });

  it('master_admin manages any tenant\'s users', async () => {
    const { slug } = await tenant();
    const accepted = await member(api.admin, slug, 'staff-made@example.net', 'admin');
    expect(accepted.tenant_slug).toBe(slug);
    expect((await api.admin.tenantUsers.get(slug, 'staff-made@example.net')).id).toBe(accepted.id);
  });
});
