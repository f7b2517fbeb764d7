import { serve, type ServerType } from '@hono/node-server';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/harness.js';

/**
 * The app behind @hono/node-server, as `server start` runs it. Its answers keep their body and
 * every header although the fast path sets headers in place and never reads a GET's body
 * (src/server/middleware/fast-path.ts).
 */

let api: TestApi;
let server: ServerType;
let base: string;
let token: string;

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'over-http', name: 'Over HTTP' });
  token = (await api.admin.tokens.create({ role: 'master_admin', email: 'http@example.test' })).token;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await api.close();
});

function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectAnswerHeaders(res: { headers: Record<string, string | string[] | undefined> }) {
  expect(res.headers['x-request-id']).toMatch(/^req_/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
}

describe('over HTTP', () => {
  it('answers a GET with the whole body, its length and every header', async () => {
    const res = await send('GET', '/v1/tenants?limit=50');
    expect(res.status).toBe(200);
    expectAnswerHeaders(res);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    const inProcess = await api.as(token).raw('GET', '/v1/tenants?limit=50');
    expect(JSON.parse(res.body)).toEqual(JSON.parse(inProcess.body));
  });

  it('sets the same headers on problems, and on answers made after the handler', async () => {
    const refused = await send('GET', '/v1/me', undefined, { authorization: 'Bearer junk' });
    expect(refused.status).toBe(401);
    expectAnswerHeaders(refused);
    const changed = await send('POST', '/v1/tenants/over-http/suspend');
    expect([changed.status, changed.headers['dotmac-outcome']]).toEqual([200, 'changed']);
    expectAnswerHeaders(changed);
  });

  it('still reads, limits and checks the body of a POST', async () => {
    const json = { 'content-type': 'application/json' };
    const created = await send('POST', '/v1/tenants', JSON.stringify({ slug: 'posted', name: 'Posted' }), json);
    expect(created.status, created.body).toBe(201);
    expectAnswerHeaders(created);
    expect(JSON.parse(created.body)).toMatchObject({ slug: 'posted' });
    expect((await send('POST', '/v1/tenants', JSON.stringify({ slug: 'nul', name: 'a\u0000b' }), json)).status).toBe(400);
    expect((await send('POST', '/v1/tenants', JSON.stringify({ slug: 'big', name: 'x'.repeat(2 * 1024 * 1024) }), json)).status).toBe(413);
  });
});
