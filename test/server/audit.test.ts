import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/client/types.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { AUDIT_ACTIONS } from '../../src/server/modules/audit/actions.js';
import { auditCount, expectProblem, read } from './problem-response.js';

/**
 * Every mutation writes exactly one audit event carrying who, as what role, did what to which
 * target in which tenant, under which request id and why; failures write none; the hash chain
 * detects a row edited behind the API's back.
 */

let api: TestApi;
let adminToken: string;
let adminUser: string;
let serial = 0;

beforeAll(async () => {
  api = await startTestApi();
  const issued = await api.admin.tokens.create({ role: 'master_admin', email: 'auditor@example.test' });
  adminToken = issued.token;
  adminUser = issued.user_id;
});
afterAll(() => api.close());

/**
 * Sends a mutation with a client request id and reason of our choosing; returns the body, the
 * event it wrote and the request id the server made for it.
 */
async function mutate(token: string, method: string, path: string, body?: unknown) {
  const clientRequestId = `audit-test-${++serial}`;
  const reason = `because of test ${serial}`;
  const before = await auditCount(api);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-request-id': clientRequestId, 'x-dotmac-reason': reason };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await read(await api.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  expect(res.status, res.body).toBeLessThan(300);
  const rows = await api.connection.db.selectFrom('audit_events').selectAll().where('client_request_id', '=', clientRequestId).execute();
  expect(rows).toHaveLength(1);
  expect(await auditCount(api)).toBe(before + 1);
  const event = (await api.admin.audit.list({ target: rows[0]!.target_id ?? undefined, limit: 1 })).data[0]!;
  expect(event.seq).toBe(Number(rows[0]!.seq));
  expect(event.client_request_id).toBe(clientRequestId);
  const requestId = res.headers.get('x-request-id')!;
  return { body: JSON.parse(res.body) as Record<string, unknown>, event, requestId, reason };
}

function expectEvent(event: AuditEvent, expected: Partial<AuditEvent>, requestId: string, reason: string) {
  expect(requestId).toMatch(/^req_[0-9a-z]+$/);
  expect(event).toMatchObject({ ...expected, request_id: requestId, reason });
  expect(event.at).toBe(api.clock.now().toISOString());
  expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
}

describe('one event per mutation', () => {
  it('records tenant create, update, suspend, resume and delete', async () => {
    const admin = { actor: adminUser, role: 'master_admin', target_type: 'tenant' };
    const created = await mutate(adminToken, 'POST', '/v1/tenants', { slug: 'audited', name: 'Audited', plan: 'starter' });
    const id = created.body.id as string;
    expectEvent(created.event, { ...admin, action: 'tenant.create', target_id: id, tenant_id: id }, created.requestId, created.reason);
    expect(created.event.details).toMatchObject({ slug: 'audited', plan: 'starter' });

    const updated = await mutate(adminToken, 'PATCH', '/v1/tenants/audited', { plan: 'enterprise' });
    expectEvent(updated.event, { ...admin, action: 'tenant.update', target_id: id, tenant_id: id }, updated.requestId, updated.reason);
    expect(updated.event.details).toEqual({ before: { plan: 'starter' }, after: { plan: 'enterprise' } });

    for (const [method, path, action] of [
      ['POST', '/v1/tenants/audited/suspend', 'tenant.suspend'],
      ['POST', '/v1/tenants/audited/resume', 'tenant.resume'],
      ['DELETE', '/v1/tenants/audited', 'tenant.cancel'],
    ] as const) {
      const changed = await mutate(adminToken, method, path);
      expectEvent(changed.event, { ...admin, action, target_id: id, tenant_id: id }, changed.requestId, changed.reason);
    }
  });

  it('records reseller create', async () => {
    const created = await mutate(adminToken, 'POST', '/v1/resellers', { slug: 'audited-partner', name: 'Partner' });
    expectEvent(
      created.event,
      { actor: adminUser, role: 'master_admin', action: 'reseller.create', target_type: 'reseller', target_id: created.body.id as string, tenant_id: null },
      created.requestId,
      created.reason,
    );
  });

  it('records token create and revoke, and never the JWT itself', async () => {
    const tenant = await api.admin.tenants.create({ slug: 'token-home', name: 'Token home' });
    const created = await mutate(adminToken, 'POST', '/v1/tokens', { role: 'tenant_admin', tenant: 'token-home' });
    const jti = created.body.jti as string;
    const jwt = created.body.token as string;
    expectEvent(
      created.event,
      { actor: adminUser, role: 'master_admin', action: 'token.create', target_type: 'token', target_id: jti, tenant_id: tenant.id },
      created.requestId,
      created.reason,
    );
    const row = await api.connection.db.selectFrom('audit_events').selectAll().where('target_id', '=', jti).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(jwt);
    expect(JSON.stringify(row)).not.toContain(jwt.split('.')[2]!);

    const revoked = await mutate(adminToken, 'DELETE', `/v1/tokens/${jti}`);
    expectEvent(revoked.event, { action: 'token.revoke', target_type: 'token', target_id: jti, tenant_id: tenant.id }, revoked.requestId, revoked.reason);
    const before = await auditCount(api);
    expect((await api.admin.raw('DELETE', `/v1/tokens/${jti}`)).status).toBe(200);
    expect(await auditCount(api)).toBe(before);
  });

  it('records the role and user of a non-admin caller', async () => {
    await api.admin.resellers.create({ slug: 'acting-partner', name: 'Acting' });
    const issued = await api.admin.tokens.create({ role: 'reseller', reseller: 'acting-partner' });
    const created = await mutate(issued.token, 'POST', '/v1/tenants', { slug: 'by-reseller', name: 'By reseller' });
    const id = created.body.id as string;
    expectEvent(created.event, { actor: issued.user_id, role: 'reseller', action: 'tenant.create', tenant_id: id }, created.requestId, created.reason);

    const owner = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'by-reseller' });
    const renamed = await mutate(owner.token, 'PATCH', '/v1/tenants/by-reseller', { name: 'Renamed by owner' });
    expectEvent(renamed.event, { actor: owner.user_id, role: 'tenant_admin', action: 'tenant.update', tenant_id: id }, renamed.requestId, renamed.reason);
  });

  it('takes the reason from the client\'s reason argument, and has none without it', async () => {
    await api.admin.tenants.create({ slug: 'reasoned', name: 'Reasoned' }, 'onboarding ticket 42');
    await api.admin.tenants.suspend('reasoned', 'unpaid\ninvoice');
    await api.admin.tenants.resume('reasoned');
    const [resume, suspend, create] = (await api.admin.audit.list({ limit: 3 })).data;
    expect([create!.action, suspend!.action, resume!.action]).toEqual(['tenant.create', 'tenant.suspend', 'tenant.resume']);
    expect(create!.reason).toBe('onboarding ticket 42');
    expect(suspend!.reason).toBe('unpaid invoice');
    expect(resume!.reason).toBeNull();
  });
});

describe('request ids', () => {
  async function createWith(headers: Record<string, string>) {
    const slug = `request-id-${++serial}`;
    const res = await api.app.request('/v1/tenants', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ slug, name: slug }),
    });
    expect(res.status).toBe(201);
    const event = (await api.admin.audit.list({ action: 'tenant.create', limit: 1 })).data[0]!;
    expect(event.details).toMatchObject({ slug });
    return { event, header: res.headers.get('x-request-id') };
  }

  it('records the id the server made, and the caller\'s own id apart from it', async () => {
    const { event, header } = await createWith({ 'x-request-id': 'req_forged' });
    expect(header).toMatch(/^req_[0-9a-z]+$/);
    expect(header).not.toBe('req_forged');
    expect(event.request_id).toBe(header);
    expect(event.client_request_id).toBe('req_forged');
  });

  it('drops a caller\'s id that is not a plain token, and records none without one', async () => {
    const sent: Record<string, string>[] = [{ 'x-request-id': 'bad id <script>' }, { 'x-request-id': 'x'.repeat(101) }, {}];
    for (const headers of sent) {
      const { event, header } = await createWith(headers);
      expect(event.request_id).toBe(header);
      expect(event.client_request_id).toBeNull();
    }
  });
});

describe('failed mutations', () => {
  it('write no event: 409, 403, 404 and 400 alike, nor a change whose end state already held', async () => {
    await api.admin.tenants.create({ slug: 'stable', name: 'Stable' });
    await api.admin.tenants.create({ slug: 'ended', name: 'Ended' });
    await api.admin.tenants.delete('ended');
    const owner = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'stable' })).token);
    const before = await auditCount(api);
    expectProblem(await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'stable', name: 'Dup' } }), 409, 'conflict');
    expectProblem(await api.admin.raw('POST', '/v1/tenants/ended/resume', { reason: 'no' }), 409, 'conflict');
    expect((await api.admin.tenants.resume('stable', 'already')).changed).toBe(false);
    expectProblem(await owner.raw('PATCH', '/v1/tenants/stable', { body: { plan: 'enterprise' } }), 403, 'forbidden');
    expectProblem(await owner.raw('POST', '/v1/tenants/stable/suspend'), 403, 'forbidden');
    expectProblem(await api.admin.raw('PATCH', '/v1/tenants/missing', { body: { name: 'x' } }), 404, 'not_found');
    expectProblem(await api.admin.raw('DELETE', '/v1/tokens/tok_missing'), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'tenant_admin', tenant: 'missing' } }), 404, 'not_found');
    expect(await auditCount(api)).toBe(before);
  });
});

describe('the hash chain', () => {
  it('stays one chain under concurrent writers (on PostgreSQL, ten pooled connections at once)', async () => {
    const before = Number((await api.connection.db.selectFrom('audit_chain').select('seq').executeTakeFirstOrThrow()).seq);
    const slugs = Array.from({ length: 30 }, (_, i) => `concurrent-${i}`);
    await Promise.all(slugs.map((slug) => api.admin.tenants.create({ slug, name: slug })));
    const seqs = (await api.connection.db.selectFrom('audit_events').select('seq').where('seq', '>', before).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => before + i + 1));
    expect(await api.admin.audit.verify()).toMatchObject({ ok: true });
  });

  it('verifies, detects an edited event at its seq, and verifies again once restored', async () => {
    const total = await auditCount(api);
    expect(total).toBeGreaterThan(5);
    expect(await api.admin.audit.verify()).toMatchObject({ ok: true, checked: total, broken_at: null, problem: null });

    const victim = await api.connection.db.selectFrom('audit_events').selectAll().where('action', '=', 'tenant.update').orderBy('seq').executeTakeFirstOrThrow();
    const seq = Number(victim.seq);
    expect(seq).toBeLessThan(total);
    await api.connection.db.updateTable('audit_events').set({ details: JSON.stringify({ before: {}, after: { plan: 'free' } }) }).where('seq', '=', seq).execute();
    const broken = await api.admin.audit.verify();
    expect(broken).toMatchObject({ ok: false, broken_at: seq });
    expect(broken.problem).toMatch(/hash/);

    await api.connection.db.updateTable('audit_events').set({ details: victim.details }).where('seq', '=', seq).execute();
    expect((await api.admin.audit.verify()).ok).toBe(true);
  });

  it('detects a deleted event at the next seq', async () => {
    const victim = await api.connection.db.selectFrom('audit_events').selectAll().where('action', '=', 'reseller.create').orderBy('seq').executeTakeFirstOrThrow();
    await api.connection.db.deleteFrom('audit_events').where('seq', '=', victim.seq).execute();
    const broken = await api.admin.audit.verify();
    expect(broken.ok).toBe(false);
    expect(broken.broken_at).toBeGreaterThan(Number(victim.seq));
    await api.connection.db.insertInto('audit_events').values(victim).execute();
    expect((await api.admin.audit.verify()).ok).toBe(true);
  });
});

describe('filters that name something', () => {
  it('resolve slugs, and are 404 for what does not exist instead of an empty page', async () => {
    await api.admin.resellers.create({ slug: 'filter-partner', name: 'Filter Partner' });
    const tenant = await api.admin.tenants.create({ slug: 'filtered', name: 'Filtered', reseller: 'filter-partner' });
    await api.admin.tenants.suspend('filtered', 'filters');
    const bySlug = await api.admin.audit.list({ tenant: 'filtered' });
    expect(bySlug.data.map((e) => e.action)).toEqual(['tenant.suspend', 'tenant.create']);
    expect(await api.admin.audit.list({ tenant: tenant.id })).toEqual(bySlug);
    expect((await api.admin.audit.list({ target: 'filtered', action: 'tenant.suspend' })).data).toHaveLength(1);
    expect((await api.admin.audit.list({ target: 'filter-partner' })).data.map((e) => e.action)).toEqual(['reseller.create']);
    expectProblem(await api.admin.raw('GET', '/v1/audit', { query: { tenant: 'fibernet-nowhere' } }), 404, 'not_found');
    expectProblem(await api.admin.raw('GET', '/v1/audit', { query: { target: 'nothing-called-this' } }), 404, 'not_found');
    expectProblem(await api.admin.raw('GET', '/v1/audit', { query: { target: 'tok_01nothing' } }), 404, 'not_found');
  });

  it('refuse an action that does not exist, suggesting the one meant', async () => {
    const typo = expectProblem(await api.admin.raw('GET', '/v1/audit', { query: { action: 'tenant.suspended' } }), 400, 'invalid');
    expect(typo.errors).toEqual([{ path: 'action', message: 'unknown action "tenant.suspended"; did you mean "tenant.suspend"?' }]);
    const far = expectProblem(await api.admin.raw('GET', '/v1/audit', { query: { action: 'nonsense' } }), 400, 'invalid');
    // every action, in order (later modules add theirs, so not pinned to which comes first)
    expect(far.errors?.[0]?.message).toMatch(/^unknown action "nonsense"; the actions are ([a-z_]+\.[a-z_]+, )+[a-z_]+\.[a-z_]+$/);
    expect(far.errors?.[0]?.message).toContain(`the actions are ${AUDIT_ACTIONS.join(', ')}`);
  });
});

describe('reasons', () => {
  it('carry any script through the header, percent-encoded, and refuse escapes however they are sent', async () => {
    await api.admin.tenants.create({ slug: 'unicode-reason', name: 'Unicode' });
    await api.admin.tenants.suspend('unicode-reason', '請求未払い — überfällig, 100% sure');
    const [event] = (await api.admin.audit.list({ target: 'unicode-reason', limit: 1 })).data;
    expect(event!.reason).toBe('請求未払い — überfällig, 100% sure');
    const headers = (reason: string) => ({ 'x-dotmac-reason': reason });
    await api.admin.tenants.resume('unicode-reason');
    for (const [header, message] of [
      ['%1B%5D0%3Bowned%07', 'must not contain control characters or bidirectional overrides'],
      ['100% sure', 'must be percent-encoded UTF-8'],
    ]) {
      const res = await read(await api.app.request('/v1/tenants/unicode-reason/suspend', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, ...headers(header!) } }));
      expect(expectProblem(res, 400, 'invalid').errors).toEqual([{ path: 'X-Dotmac-Reason', message }]);
    }
    expect((await api.admin.tenants.get('unicode-reason')).status).toBe('active');
  });
});
