import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../src/client/transport.js';
import { encodeCursor } from '../../src/server/pagination.js';
import { ROUTES } from '../../src/server/routes.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { auditCount, expectProblem, read } from './problem-response.js';

/** The HTTP contract: problem JSON for every bad request (never a 500), headers, OpenAPI, health. */

let api: TestApi;
let adminToken: string;
beforeAll(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'existing', name: 'Existing' });
  adminToken = (await api.admin.tokens.create({ role: 'master_admin', email: 'contract@example.test' })).token;
});
afterAll(() => api.close());

/** A request with exactly these headers and this body text, as an admin. */
async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return read(await api.app.request(path, { method, body, headers: { authorization: `Bearer ${adminToken}`, ...headers } }));
}
const json = { 'content-type': 'application/json' };

describe('bad bodies are 400 problem JSON', () => {
  const malformed = ['{"slug":', '{slug: "x"}', "{'slug':'x'}", 'not json', '{"slug":"a","name":"b"}}'];
  for (const text of malformed) {
    it(`refuses malformed JSON ${JSON.stringify(text)}`, async () => {
      const problem = expectProblem(await send('POST', '/v1/tenants', text, json), 400, 'invalid');
      expect(problem.title).toBe('Invalid request');
      expect(problem.request_id).toMatch(/^req_/);
    });
  }

  it('refuses malformed JSON on PATCH too', async () => {
    expectProblem(await send('PATCH', '/v1/tenants/existing', '{"name":', json), 400, 'invalid');
  });

  it('refuses an empty body, null, an array and a bare string', async () => {
    for (const text of ['', 'null', '[]', '"tenant"']) {
      const res = await send('POST', '/v1/tenants', text, json);
      expect(res.status, `${JSON.stringify(text)} → ${res.body}`).toBe(400);
    }
  });

  it('refuses a body that is not declared as JSON', async () => {
    const res = await send('POST', '/v1/tenants', JSON.stringify({ slug: 'plain-text', name: 'Plain' }), { 'content-type': 'text/plain' });
    expect(res.status, res.body).toBe(400);
    expect(await api.connection.db.selectFrom('tenants').select('id').where('slug', '=', 'plain-text').executeTakeFirst()).toBeUndefined();
  });

  it('refuses unknown fields on every writing route', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/v1/tenants', { slug: 'extra-field', name: 'Extra', status: 'active' }],
      ['PATCH', '/v1/tenants/existing', { name: 'Ok', version: 99 }],
      ['POST', '/v1/resellers', { slug: 'extra-reseller', name: 'Extra', commission: 90 }],
      ['POST', '/v1/tokens', { role: 'master_admin', admin: true }],
    ];
    for (const [method, path, body] of cases) {
      const problem = expectProblem(await send(method, path, JSON.stringify(body), json), 400, 'invalid');
      expect(problem.errors?.length, problem.detail).toBeGreaterThan(0);
    }
  });

  it('names every field of the wrong type in errors', async () => {
    const problem = expectProblem(await send('POST', '/v1/tenants', JSON.stringify({ slug: 123, name: true, plan: 'gold' }), json), 400, 'invalid');
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['name', 'plan', 'slug']);
    for (const error of problem.errors!) expect(error.message.length).toBeGreaterThan(0);
  });

  it('refuses values outside their rules (slug shape, email, ttl)', async () => {
    for (const body of [{ slug: '../etc', name: 'x' }, { slug: 'UPPER', name: 'x' }, { slug: 'ok-slug', name: 'x', contact_email: 'nope' }, { slug: 'ok-slug', name: '   ' }]) {
      expectProblem(await send('POST', '/v1/tenants', JSON.stringify(body), json), 400, 'invalid');
    }
    expectProblem(await send('POST', '/v1/tokens', JSON.stringify({ role: 'master_admin', ttl_seconds: 1 }), json), 400, 'invalid');
    expectProblem(await send('GET', `/v1/tenants/${'x'.repeat(101)}`), 400, 'invalid');
  });

  it('writes nothing for any refused body', async () => {
    const before = await auditCount(api);
    await send('POST', '/v1/tenants', '{"slug":', json);
    await send('POST', '/v1/tenants', JSON.stringify({ slug: 'x1', name: 'x', extra: 1 }), json);
    expect(await auditCount(api)).toBe(before);
  });
});

describe('body size', () => {
  it('refuses a body over the configured limit with 413, and creates nothing', async () => {
    const small = await startTestApi({ maxBodyBytes: 1024 });
    try {
      const body = JSON.stringify({ slug: 'too-big', name: 'x'.repeat(150), contact_email: null, region: 'r'.repeat(40) + ' '.repeat(1000) });
      expect(Buffer.byteLength(body)).toBeGreaterThan(1024);
      expectProblem(await small.admin.raw('POST', '/v1/tenants', { body }), 413, 'payload_too_large');
      const fits = await small.admin.raw('POST', '/v1/tenants', { body: { slug: 'fits', name: 'Fits' } });
      expect(fits.status, fits.body).toBe(201);
      expect((await small.admin.tenants.list()).data.map((t) => t.slug)).toEqual(['fits']);
    } finally {
      await small.close();
    }
  });

  it('refuses a body over the default 1 MiB', async () => {
    const body = JSON.stringify({ slug: 'huge', name: 'x'.repeat(1024 * 1024) });
    expectProblem(await send('POST', '/v1/tenants', body, json), 413, 'payload_too_large');
  });
});

describe('bad queries are 400', () => {
  const lists = ['/v1/tenants', '/v1/resellers', '/v1/tokens', '/v1/audit'];
  const queries = ['limit=0', 'limit=-1', 'limit=abc', 'limit=501', 'limit=1.5', 'cursor=!!!', `cursor=${'a'.repeat(201)}`, 'cursor=YWJj=', 'cursor=%00'];
  for (const path of lists) {
    it(`on ${path}`, async () => {
      for (const query of queries) expectProblem(await send('GET', `${path}?${query}`), 400, 'invalid');
    });
  }

  it('refuses a well-formed cursor that cannot be a position in the audit trail', async () => {
    for (const key of ['abc', '1.5', '1e400', '-1']) {
      expectProblem(await send('GET', `/v1/audit?cursor=${encodeCursor(key)}`), 400, 'invalid');
    }
  });

  it('refuses unknown enum values in filters', async () => {
    expectProblem(await send('GET', '/v1/tenants?status=deleted'), 400, 'invalid');
    expectProblem(await send('GET', '/v1/tenants?plan=gold'), 400, 'invalid');
  });
});

describe('routes that do not exist', () => {
  it('are 404 problem JSON, inside and outside /v1', async () => {
    expectProblem(await send('GET', '/v1/nope'), 404, 'not_found');
    expectProblem(await send('GET', '/nope'), 404, 'not_found');
    expectProblem(await send('PUT', '/v1/tenants/existing', '{}', json), 404, 'not_found');
    expectProblem(await read(await api.app.request('/v1/nope')), 404, 'not_found');
  });
});

describe('headers', () => {
  const expectSecurityHeaders = (res: ApiResponse) => {
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  };

  it('sets the security headers on successes, errors and public endpoints', async () => {
    expectSecurityHeaders(await send('GET', '/v1/tenants'));
    expectSecurityHeaders(await send('GET', '/v1/nope'));
    expectSecurityHeaders(await send('POST', '/v1/tenants', '{', json));
    expectSecurityHeaders(await read(await api.app.request('/v1/me', { headers: { authorization: 'Bearer junk' } })));
    expectSecurityHeaders(await read(await api.app.request('/healthz')));
    expectSecurityHeaders(await read(await api.app.request('/.well-known/jwks.json')));
  });

  it('answers with a request id of its own making, whatever the caller sent, in the header and in problems', async () => {
    const made = /^req_[0-9a-z]+$/;
    const ok = await send('GET', '/v1/tenants', undefined, { 'x-request-id': 'trace-123.abc' });
    expect(ok.headers.get('x-request-id')).toMatch(made);
    const failed = await send('GET', '/v1/tenants/missing', undefined, { 'x-request-id': 'req_forged' });
    expect(failed.headers.get('x-request-id')).toMatch(made);
    expect(failed.headers.get('x-request-id')).not.toBe('req_forged');
    expect(expectProblem(failed, 404, 'not_found').request_id).toBe(failed.headers.get('x-request-id'));
    const unsafe = await send('GET', '/v1/tenants', undefined, { 'x-request-id': 'bad id <script>' });
    expect(unsafe.headers.get('x-request-id')).toMatch(made);
    const none = await send('GET', '/v1/tenants');
    expect(none.headers.get('x-request-id')).toMatch(made);
  });
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 JSON listing every route with its method and operationId', async () => {
    const res = await read(await api.app.request('/v1/openapi.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = JSON.parse(res.body) as { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const route of ROUTES) {
      const operation = doc.paths[route.config.path]?.[route.config.method];
      expect(operation, `${route.config.method} ${route.config.path}`).toBeDefined();
      expect(operation!.operationId).toBe(route.config.operationId);
    }
  });
});

describe('health', () => {
  it('answers /healthz and /readyz without a token', async () => {
    const health = await api.app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await api.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
