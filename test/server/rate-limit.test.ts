import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/client/api-client.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem, read } from './problem-response.js';

/** Rate limits count per token in fixed windows: the request past the limit is 429 with Retry-After. */

const LIMIT = 5;
const WINDOW_MS = 60_000;

let api: TestApi;
let first: ApiClient;
let second: ApiClient;

beforeAll(async () => {
  api = await startTestApi({ rateLimit: { limit: LIMIT, windowSeconds: WINDOW_MS / 1000 } });
  await api.admin.tenants.create({ slug: 'limited', name: 'Limited' });
  first = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'limited', email: 'first@example.test' })).token);
  second = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'limited', email: 'second@example.test' })).token);
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
    for (let i = 0; i < LIMIT; i++) expect((await api.app.request('/v1/openapi.json')).status).toBe(200);
    const refused = await read(await api.app.request('/v1/openapi.json'));
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
