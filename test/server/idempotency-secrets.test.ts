import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../src/client/transport.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem, read } from './problem-response.js';

/**
 * A route whose answer carries a secret (POST /v1/tokens) keeps its Idempotency-Key but never its
 * answer, so no live token rests in idempotency_keys; expired keys are swept for every caller.
 */

let api: TestApi;
let adminToken: string;

beforeAll(async () => {
  api = await startTestApi();
  adminToken = (await api.admin.tokens.create({ role: 'master_admin', email: 'secrets@example.test' })).token;
  await api.admin.tenants.create({ slug: 'secret-home', name: 'Home' });
  await api.admin.resellers.create({ slug: 'secret-partner', name: 'Partner' });
});
afterAll(() => api.close());

async function post(token: string, path: string, body: unknown, key: string): Promise<ApiResponse> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key };
  return read(await api.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

const storedKeys = () => api.connection.db.selectFrom('idempotency_keys').selectAll().execute();

/** Every 16-character piece of the token: finding any of them would mean it was stored. */
function pieces(token: string): string[] {
  return Array.from({ length: token.length - 15 }, (_, i) => token.slice(i, i + 16));
}

describe('idempotency keys of answers that hold a secret', () => {
  it('stores the key of a minted token but no answer and no piece of the token, for every role', async () => {
    const issued = [
      await api.admin.tokens.create({ role: 'master_admin', email: 'second-admin@example.test' }),
      await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'secret-home' }),
      await api.admin.tokens.create({ role: 'reseller', reseller: 'secret-partner' }),
    ];
    const rows = (await storedKeys()).filter((row) => row.path === '/v1/tokens');
    // the client sends a key with every POST: one row per mint, including the one in beforeAll
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatchObject({ status: 201, response: null });
    const everything = JSON.stringify(await storedKeys());
    for (const { token } of [...issued, { token: adminToken }]) {
      for (const piece of pieces(token)) expect(everything).not.toContain(piece);
    }
  });

  it('keeps no plain hash of a body, which may hold a secret: it is keyed with the workspace\'s audit key', async () => {
    const path = '/v1/tenants/secret-home/configs/apply';
    const text = JSON.stringify({ values: { 'network.radius_secret': 'guessable-1' }, prune: false });
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'idempotency-key': 'apply-secret' };
    const res = await read(await api.app.request(path, { method: 'POST', headers, body: text }));
    expect(res.status, res.body).toBe(200);
    const [row] = (await storedKeys()).filter((r) => r.key === 'apply-secret');
    // the hash a guesser could recompute from the table and a candidate value
    expect(row!.body_hash).not.toBe(createHash('sha256').update(`${path}\n${text}`).digest('hex'));
    expect(JSON.stringify(row)).not.toContain('guessable-1');
    // the same body still replays, another is still refused
    expect((await read(await api.app.request(path, { method: 'POST', headers, body: text }))).headers.get('idempotent-replayed')).toBe('true');
    const other = JSON.stringify({ values: { 'network.radius_secret': 'guessable-2' }, prune: false });
    expectProblem(await read(await api.app.request(path, { method: 'POST', headers, body: other })), 422, 'unprocessable');
  });

  it('answers a replay with 409 and issues nothing again', async () => {
    const body = { role: 'tenant_admin', tenant: 'secret-home', label: 'replayed' };
    const first = await post(adminToken, '/v1/tokens', body, 'mint-once');
    expect(first.status, first.body).toBe(201);
    const replay = expectProblem(await post(adminToken, '/v1/tokens', body, 'mint-once'), 409, 'conflict');
    expect(replay.detail).toMatch(/held a secret that is shown only once; nothing was issued again/);
    expect(replay.detail).not.toContain(JSON.parse(first.body).token);
    const minted = await api.connection.db.selectFrom('tokens').select('jti').where('label', '=', 'replayed').execute();
    expect(minted).toHaveLength(1);
  });

  it('still replays a refusal of a secret route, which holds no secret', async () => {
    const body = { role: 'tenant_admin', tenant: 'no-such-tenant' };
    expectProblem(await post(adminToken, '/v1/tokens', body, 'mint-refused'), 404, 'not_found');
    const again = await post(adminToken, '/v1/tokens', body, 'mint-refused');
    expectProblem(again, 404, 'not_found');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('sweeps every caller\'s expired keys, at most once a minute', async () => {
    const other = (await api.admin.tokens.create({ role: 'master_admin', email: 'sweeper@example.test' })).token;
    expect((await post(adminToken, '/v1/tenants', { slug: 'swept-1', name: 'Swept' }, 'old-key')).status).toBe(201);
    const adminUser = (await storedKeys()).find((row) => row.key === 'old-key')!.principal;
    api.clock.advance(25 * 3600 * 1000);

    expect((await post(other, '/v1/tenants', { slug: 'swept-2', name: 'Sweeper' }, 'new-key')).status).toBe(201);
    expect((await storedKeys()).filter((row) => row.principal === adminUser)).toEqual([]);

    // a key that expires now is not swept again until a minute after the last sweep
    const longAgo = new Date(api.clock.now().getTime() - 25 * 3600 * 1000).toISOString();
    const stale = { principal: adminUser, key: 'stale', method: 'POST', path: '/v1/tenants', body_hash: 'x', status: 201, response: '{}', created_at: longAgo };
    await api.connection.db.insertInto('idempotency_keys').values(stale).execute();
    api.clock.advance(30 * 1000);
    expect((await post(other, '/v1/tenants', { slug: 'swept-3', name: 'Sweeper' }, 'newer-key')).status).toBe(201);
    expect((await storedKeys()).map((row) => row.key)).toContain('stale');
    api.clock.advance(31 * 1000);
    expect((await post(other, '/v1/tenants', { slug: 'swept-4', name: 'Sweeper' }, 'newest-key')).status).toBe(201);
    expect((await storedKeys()).map((row) => row.key)).not.toContain('stale');
  });

  it('never replays a key that expired since the last sweep', async () => {
    expect((await post(adminToken, '/v1/tenants', { slug: 'edge-1', name: 'Edge' }, 'edge-key')).status).toBe(201);
    api.clock.advance(24 * 3600 * 1000 - 30 * 1000);
    expect((await post(adminToken, '/v1/resellers', { slug: 'edge-sweep', name: 'Sweep now' }, 'edge-sweep')).status).toBe(201);
    api.clock.advance(40 * 1000);
    const again = await post(adminToken, '/v1/tenants', { slug: 'edge-2', name: 'Edge' }, 'edge-key');
    expect(again.status, again.body).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });
});
