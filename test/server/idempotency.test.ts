import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../src/client/transport.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { auditCount, expectProblem, read } from './problem-response.js';

/**
 * `Idempotency-Key` on POST: the same key and body replay the first answer without acting again;
 * the same key with another body is 422; keys belong to their caller. Requests go straight to
 * app.request so the headers are exactly ours (ApiClient adds a random key to every POST).
 */

let api: TestApi;
let adminToken: string;
let resellerToken: string;

beforeAll(async () => {
  api = await startTestApi();
  adminToken = (await api.admin.tokens.create({ role: 'master_admin', email: 'idem@example.test' })).token;
  await api.admin.resellers.create({ slug: 'idem-partner', name: 'Partner' });
  resellerToken = (await api.admin.tokens.create({ role: 'reseller', reseller: 'idem-partner' })).token;
});
afterAll(() => api.close());

async function post(token: string, path: string, body: unknown, key?: string): Promise<ApiResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  return read(await api.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

const tenantsWithSlug = async (slug: string) =>
  api.connection.db.selectFrom('tenants').select('id').where('slug', '=', slug).execute();

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, creating one row and one event', async () => {
    const body = { slug: 'once', name: 'Once' };
    const events = await auditCount(api);
    const first = await post(adminToken, '/v1/tenants', body, 'create-once');
    expect(first.status, first.body).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const second = await post(adminToken, '/v1/tenants', body, 'create-once');
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(second.body).id).toBe(JSON.parse(first.body).id);
    expect(JSON.parse(second.body)).toEqual(JSON.parse(first.body));

    expect(await tenantsWithSlug('once')).toHaveLength(1);
    expect(await auditCount(api)).toBe(events + 1);
  });

  it('replays a refusal as the same refusal', async () => {
    await api.admin.tenants.create({ slug: 'exists', name: 'Exists' });
    const first = await post(adminToken, '/v1/tenants', { slug: 'exists', name: 'Again' }, 'dup-attempt');
    expectProblem(first, 409, 'conflict');
    const second = await post(adminToken, '/v1/tenants', { slug: 'exists', name: 'Again' }, 'dup-attempt');
    expectProblem(second, 409, 'conflict');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses the same key with another body (422), changing nothing', async () => {
    const first = await post(adminToken, '/v1/tenants', { slug: 'first-body', name: 'First' }, 'reused-key');
    expect(first.status).toBe(201);
    const events = await auditCount(api);
    expectProblem(await post(adminToken, '/v1/tenants', { slug: 'second-body', name: 'Second' }, 'reused-key'), 422, 'unprocessable');
    expect(await tenantsWithSlug('second-body')).toHaveLength(0);
    expect(await auditCount(api)).toBe(events);
  });

  it('refuses the same key on another path (422)', async () => {
    expect((await post(adminToken, '/v1/resellers', { slug: 'keyed', name: 'Keyed' }, 'path-key')).status).toBe(201);
    expectProblem(await post(adminToken, '/v1/tenants', { slug: 'keyed', name: 'Keyed' }, 'path-key'), 422, 'unprocessable');
    expect(await tenantsWithSlug('keyed')).toHaveLength(0);
  });

  it('keeps keys per caller: another caller may use the same key independently', async () => {
    const mine = await post(adminToken, '/v1/tenants', { slug: 'shared-key-admin', name: 'A' }, 'shared-key');
    const theirs = await post(resellerToken, '/v1/tenants', { slug: 'shared-key-reseller', name: 'R' }, 'shared-key');
    expect(mine.status).toBe(201);
    expect(theirs.status, theirs.body).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(theirs.body).id).not.toBe(JSON.parse(mine.body).id);
    expect(await tenantsWithSlug('shared-key-admin')).toHaveLength(1);
    expect(await tenantsWithSlug('shared-key-reseller')).toHaveLength(1);
  });

  it('does not let a second caller read the first caller\'s stored answer with the same key and body', async () => {
    const body = { slug: 'private-answer', name: 'Private' };
    const mine = await post(adminToken, '/v1/tenants', body, 'private-key');
    expect(mine.status).toBe(201);
    const theirs = await post(resellerToken, '/v1/tenants', body, 'private-key');
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expectProblem(theirs, 409, 'conflict');
  });

  it('forgets a key after 24 hours: the same key then acts again', async () => {
    const body = { slug: 'daily-1', name: 'Daily' };
    expect((await post(adminToken, '/v1/tenants', body, 'daily')).status).toBe(201);
    api.clock.advance(23 * 3600 * 1000);
    expect((await post(adminToken, '/v1/tenants', body, 'daily')).headers.get('idempotent-replayed')).toBe('true');
    api.clock.advance(2 * 3600 * 1000);
    const again = await post(adminToken, '/v1/tenants', { slug: 'daily-2', name: 'Daily' }, 'daily');
    expect(again.status, again.body).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('acts every time without a key', async () => {
    expect((await post(adminToken, '/v1/tenants', { slug: 'no-key', name: 'No key' })).status).toBe(201);
    expectProblem(await post(adminToken, '/v1/tenants', { slug: 'no-key', name: 'No key' }), 409, 'conflict');
  });

  it('stores no key for an unknown route, a caller without a token or with a bad one, or a role the route refuses', async () => {
    const attempts: [string | undefined, string, number][] = [
      [adminToken, '/v1/no-such-route', 404],
      [undefined, '/v1/tenants', 401],
      ['not-a-token', '/v1/tenants', 401],
      [adminToken.slice(0, -4) + 'AAAA', '/v1/tenants', 401],
      [resellerToken, '/v1/resellers', 403],
      [resellerToken, '/v1/tokens', 403],
    ];
    for (const [token, path, status] of attempts) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': 'never-stored' };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const res = await read(await api.app.request(path, { method: 'POST', headers, body: JSON.stringify({ slug: 'nope', name: 'Nope' }) }));
      expect(res.status, `${path}: ${res.body}`).toBe(status);
    }
    const rows = await api.connection.db.selectFrom('idempotency_keys').select('path').where('key', '=', 'never-stored').execute();
    expect(rows).toEqual([]);
  });

  it('refuses a malformed key with 400', async () => {
    for (const key of ['', 'has space', 'x'.repeat(201), 'semi;colon']) {
      expectProblem(await post(adminToken, '/v1/tenants', { slug: 'bad-key', name: 'Bad' }, key), 400, 'invalid');
    }
    expect(await tenantsWithSlug('bad-key')).toHaveLength(0);
  });
});
