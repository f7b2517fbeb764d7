import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/server/routes.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem, read } from './problem-response.js';

/**
 * Every status an operation answers is one the published document gives it, so a generated
 * client knows it. The fuzz (route-fuzz.test.ts) checks this at random; these are the answers it
 * found undocumented.
 */

let api: TestApi;
let token: string;
let documented: (method: string, path: string) => number[];

beforeAll(async () => {
  api = await startTestApi();
  token = (await api.admin.tokens.create({ role: 'master_admin', email: 'statuses@example.test' })).token;
  await api.admin.tenants.create({ slug: 'first', name: 'First' });
  await api.admin.tenants.create({ slug: 'second', name: 'Second' });
  const doc = (await (await api.app.request('/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  documented = (method, path) => Object.keys(doc.paths[path]?.[method.toLowerCase()]?.responses ?? {}).map(Number);
});
afterAll(() => api.close());

async function send(method: string, url: string, headers: Record<string, string> = {}) {
  return read(await api.app.request(url, { method, headers: { authorization: `Bearer ${token}`, ...headers } }));
}

describe('the document gives every status an operation answers', () => {
  it('400 on every route, which refuses an X-Dotmac-Reason that is not percent-encoded', async () => {
    for (const route of ROUTES) {
      const { method, path } = route.config;
      const res = await send(method.toUpperCase(), path.replace(/\{\w+\}/g, 'first'), { 'x-dotmac-reason': '%zz' });
      expectProblem(res, 400, 'invalid');
      expect(documented(method, path), `${method} ${path}`).toContain(400);
    }
  });

  it('404 on the lists whose filters name something that does not exist', async () => {
    expectProblem(await send('GET', '/v1/tenants?reseller=nobody'), 404, 'not_found');
    expect(documented('get', '/v1/tenants')).toContain(404);
    expectProblem(await send('GET', '/v1/audit?tenant=nobody'), 404, 'not_found');
    expect(documented('get', '/v1/audit')).toContain(404);
  });

  it('422 on the status verbs, when their Idempotency-Key was used for another request', async () => {
    for (const verb of ['suspend', 'resume']) {
      const key = { 'idempotency-key': `reused-${verb}` };
      await send('POST', `/v1/tenants/first/${verb}`, key);
      expectProblem(await send('POST', `/v1/tenants/second/${verb}`, key), 422, 'unprocessable');
      expect(documented('post', `/v1/tenants/{ref}/${verb}`)).toContain(422);
    }
  });
});
