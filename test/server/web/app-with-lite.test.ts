// The in-process bundle runs the app with src/server/web/lite.ts in place of Node's web classes.
// Here the same swap is made for this test file's process, and the API is driven through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiteHeaders, LiteRequest, LiteResponse } from '../../../src/server/web/lite.js';
import { startTestApi, type TestApi } from '../../support/harness.js';

const real = { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response };
let api: TestApi;

beforeAll(async () => {
  Object.assign(globalThis, { Headers: LiteHeaders, Request: LiteRequest, Response: LiteResponse });
  api = await startTestApi({ maxBodyBytes: 2048 });
});
afterAll(async () => {
  await api.close();
  Object.assign(globalThis, real);
});

describe('the app on the lite web classes', () => {
  it('runs a create, list, change and audit round trip with the same answers', async () => {
    const created = await api.admin.tenants.create({ slug: 'lite', name: 'Lite ISP' }, 'lite test');
    expect(created).toMatchObject({ slug: 'lite', status: 'active' });
    expect((await api.admin.tenants.list()).data.map((t) => t.slug)).toEqual(['lite']);
    expect((await api.admin.tenants.suspend('lite')).value.status).toBe('suspended');
    expect((await api.admin.audit.list({ limit: 1 })).data[0]!.action).toBe('tenant.suspend');
    expect((await api.admin.audit.verify()).ok).toBe(true);
  });

  it('answers bad input with the same problems: malformed JSON, unknown field, too large, no token', async () => {
    const malformed = await api.admin.raw('POST', '/v1/tenants', { body: '{bad' });
    expect([malformed.status, malformed.headers.get('content-type')]).toEqual([400, 'application/problem+json']);
    expect((await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'ok', name: 'x', status: 'active' } })).status).toBe(400);
    expect((await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'big', name: 'x'.repeat(4000) } })).status).toBe(413);
    const anonymous = await api.as().raw('GET', '/v1/tenants');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('takes a body sent without a length, and serves the OpenAPI document', async () => {
    const request = new LiteRequest('http://local/v1/resellers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(request.headers.get('content-length')).toBe('2');
    expect((await api.app.fetch(request as unknown as Request)).status).toBe(401);
    const doc = await api.app.fetch(new LiteRequest('http://local/v1/openapi.json') as unknown as Request);
    expect(doc.status).toBe(200);
    expect(JSON.parse(await doc.text()).openapi).toBe('3.1.0');
  });
});
