import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/client/api-client.js';
import { inProcessTransport } from '../../src/client/transports/local.js';
import { DEFAULT_RATE_LIMIT } from '../../src/server/app.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem, read } from './problem-response.js';

/**
 * Rate limits count in fixed windows, per client address before authentication and per token
 * after: the request past either limit is 429 with Retry-After. Each client here has its own
 * address, handed to app.fetch the way the HTTP server hands it the socket.
 */

const LIMIT = 5;
const WINDOW_MS = 60_000;

let api: TestApi;
let first: ApiClient;
let second: ApiClient;

const addressOf = (c: Context) => (c.env as { address?: string } | undefined)?.address ?? 'local';
const from = (address: string, token?: string) => new ApiClient(inProcessTransport((req) => api.app.fetch(req, { address })), token);

beforeAll(async () => {
  api = await startTestApi({ rateLimit: { limit: LIMIT, perAddress: 20, windowSeconds: WINDOW_MS / 1000 }, clientAddress: addressOf });
  await api.admin.tenants.create({ slug: 'limited', name: 'Limited' });
  first = from('192.0.2.1', (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'limited', email: 'first@example.test' })).token);
  second = from('192.0.2.2', (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'limited', email: 'second@example.test' })).token);
});
afterAll(() => api.close());

/** Moves the clock to the start of the next window, so a test never straddles two. */
function nextWindow() {
  const now = api.clock.now().getTime();
  api.clock.advance(WINDOW_MS - (now % WINDOW_MS));
}

async function spend(client: ApiClient, times: number) {
  for (let i = 0; i < times; i++) {
    const res = await client.raw('GET', '/v1/me');
    expect(res.status, `request ${i + 1}: ${res.body}`).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe(String(LIMIT));
    expect(res.headers.get('ratelimit-remaining')).toBe(String(LIMIT - i - 1));
  }
}

describe('rate limit', () => {
  it('answers the request past the limit with 429 and Retry-After, and passes again in the next window', async () => {
    nextWindow();
    await spend(first, LIMIT);
    api.clock.advance(15_000);
    const refused = await first.raw('GET', '/v1/me');
    expectProblem(refused, 429, 'rate_limited');
    expect(refused.headers.get('retry-after')).toBe('45');
    expectProblem(await first.raw('GET', '/v1/tenants'), 429, 'rate_limited');

    api.clock.advance(WINDOW_MS);
    const again = await first.raw('GET', '/v1/me');
    expect(again.status, again.body).toBe(200);
  });

  it('counts each token separately', async () => {
    nextWindow();
    await spend(first, LIMIT);
    expectProblem(await first.raw('GET', '/v1/me'), 429, 'rate_limited');
    await spend(second, LIMIT);
    expectProblem(await second.raw('GET', '/v1/me'), 429, 'rate_limited');
    expect((await api.admin.raw('GET', '/v1/me')).status).toBe(200);
  });

  it('does not act on a refused mutation', async () => {
    nextWindow();
    await spend(second, LIMIT);
    const refused = await second.raw('PATCH', '/v1/tenants/limited', { body: { name: 'Should not happen' } });
    expectProblem(refused, 429, 'rate_limited');
    const row = await api.connection.db.selectFrom('tenants').select('name').where('slug', '=', 'limited').executeTakeFirstOrThrow();
    expect(row.name).toBe('Limited');
  });

  it('leaves the public health and key endpoints unlimited', async () => {
    nextWindow();
    for (let i = 0; i < LIMIT * 2; i++) {
      expect((await api.app.request('/healthz')).status).toBe(200);
      expect((await api.app.request('/.well-known/jwks.json')).status).toBe(200);
    }
  });

  it('limits callers without a token by address', async () => {
    nextWindow();
    const anonymous = from('192.0.2.3');
    for (let i = 0; i < 20; i++) expect((await anonymous.raw('GET', '/v1/openapi.json')).status).toBe(200);
    const refused = await anonymous.raw('GET', '/v1/openapi.json');
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts a token\'s requests from every address together', async () => {
    nextWindow();
    const token = (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'limited', email: 'roaming@example.test' })).token;
    for (let i = 0; i < LIMIT; i++) expect((await from(`198.51.100.${i}`, token).raw('GET', '/v1/me')).status).toBe(200);
    expectProblem(await from('198.51.100.200', token).raw('GET', '/v1/me'), 429, 'rate_limited');
  });
});

describe('rate limit per address, before authentication', () => {
  let limited: TestApi;
  beforeAll(async () => {
    limited = await startTestApi({ rateLimit: DEFAULT_RATE_LIMIT, clientAddress: addressOf });
  });
  afterAll(() => limited.close());

  it('limits a flood of forged, expired and revoked tokens from one address, and not a valid token from another', async () => {
    const valid = (await limited.admin.tokens.create({ role: 'master_admin', email: 'valid@example.test' })).token;
    const revoked = await limited.admin.tokens.create({ role: 'master_admin', email: 'revoked@example.test' });
    await limited.admin.tokens.revoke(revoked.jti);
    const expired = (await limited.admin.tokens.create({ role: 'master_admin', email: 'expired@example.test', ttl_seconds: 60 })).token;
    limited.clock.advance(120_000);
    const bad = [revoked.token, expired, `${valid.slice(0, -8)}AAAAAAAA`, 'forged.token.here'];
    const attacker = (token: string) => new ApiClient(inProcessTransport((req) => limited.app.fetch(req, { address: '203.0.113.66' })), token);
    const honest = new ApiClient(inProcessTransport((req) => limited.app.fetch(req, { address: '203.0.113.7' })), valid);

    const statuses = new Map<number, number>();
    let firstRefusal = -1;
    for (let i = 0; i < 2000; i++) {
      const res = await attacker(bad[i % bad.length]!).raw('GET', '/v1/tenants');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429 && firstRefusal < 0) {
        firstRefusal = i;
        expectProblem(res, 429, 'rate_limited');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      if (i % 500 === 0) expect((await honest.raw('GET', '/v1/me')).status).toBe(200);
    }
    expect(firstRefusal).toBe(DEFAULT_RATE_LIMIT.limit);
    expect(Object.fromEntries(statuses)).toEqual({ 401: DEFAULT_RATE_LIMIT.limit, 429: 2000 - DEFAULT_RATE_LIMIT.limit });
    expect((await honest.raw('GET', '/v1/me')).status).toBe(200);
  }, 60_000);
});
