import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/client/api-client.js';
import type { ApiResponse } from '../../src/client/transport.js';
import { LiteRequest } from '../../src/server/web/lite.js';
import { DIALECT, startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem, read } from './problem-response.js';

/**
 * Human text (names, regions, territories, labels, the audit reason) refuses terminal control
 * characters and bidi overrides; U+0000 is refused in every input before a query sees it (on
 * PostgreSQL it was a 500). Bad input is 400 problem JSON, never an internal error.
 */

let api: TestApi;
let reseller: ApiClient;
let tenantAdmin: ApiClient;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  api = await startTestApi({ onInternalError: (_where, error) => internalErrors.push(error) });
  await api.admin.resellers.create({ slug: 'text-partner', name: 'Partner' });
  await api.admin.tenants.create({ slug: 'text-home', name: 'Home', reseller: 'text-partner' });
  reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'text-partner' })).token);
  tenantAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'text-home' })).token);
});
afterAll(async () => {
  expect(internalErrors).toEqual([]);
  await api.close();
});

const UNSAFE = {
  'OSC title': '\u001b]0;owned\u0007',
  'OSC 52 clipboard': '\u001b]52;c;ZWNobyBvd25lZA==\u0007',
  'cursor movement': 'Acme\u001b[2A\u001b[K',
  'trailing newline': 'Acme\n',
  tab: 'Ac\tme',
  DEL: 'Acme\u007f',
  'C1 CSI': 'Acme\u009b2J',
  'C1 NEL': 'Acme\u0085',
  'bidi override': 'Acme\u202egnp.exe',
  'bidi isolate': '\u2066Acme\u2069',
  NUL: 'Acme\u0000',
};

function expectFieldRefused(res: ApiResponse, field: string) {
  const problem = expectProblem(res, 400, 'invalid');
  expect(problem.errors?.map((e) => e.path.toLowerCase()), res.body).toContain(field.toLowerCase());
  expect(problem.detail.toLowerCase()).toContain(field.toLowerCase());
}

describe('human text fields', () => {
  for (const [what, text] of Object.entries(UNSAFE)) {
    it(`refuses ${what} in every human text field`, async () => {
      expectFieldRefused(await reseller.raw('POST', '/v1/tenants', { body: { slug: 'evil', name: text } }), 'name');
      expectFieldRefused(await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'evil', name: 'Evil', region: text } }), 'region');
      expectFieldRefused(await tenantAdmin.raw('PATCH', '/v1/tenants/text-home', { body: { name: text } }), 'name');
      expectFieldRefused(await reseller.raw('PATCH', '/v1/tenants/text-home', { body: { name: text } }), 'name');
      expectFieldRefused(await api.admin.raw('PATCH', '/v1/tenants/text-home', { body: { region: text } }), 'region');
      expectFieldRefused(await api.admin.raw('POST', '/v1/resellers', { body: { slug: 'evil', name: text } }), 'name');
      expectFieldRefused(await api.admin.raw('POST', '/v1/resellers', { body: { slug: 'evil', name: 'Evil', territory: text } }), 'territory');
      expectFieldRefused(await api.admin.raw('POST', '/v1/tokens', { body: { role: 'master_admin', label: text } }), 'label');
    });
  }

  it('refuses control characters in the audit reason, on reads and changes alike', async () => {
    for (const reason of Object.values(UNSAFE)) {
      // ApiClient would send these too; LiteRequest carries what undici's Headers refuses to build
      const headers = { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json', 'x-dotmac-reason': reason };
      const changed = await send(new LiteRequest('http://local/v1/tenants/text-home/suspend', { method: 'POST', headers }));
      expectFieldRefused(changed, 'X-Dotmac-Reason');
      expectFieldRefused(await send(new LiteRequest('http://local/v1/tenants', { headers })), 'X-Dotmac-Reason');
    }
    expect((await api.admin.tenants.get('text-home')).status).toBe('active');
  });

  it('keeps what people write: accents, other scripts, emoji, inner spaces', async () => {
    const name = 'Société Générale — 東京 Fibre 🚀 (Ahmed’s ISP)';
    const created = await reseller.raw('POST', '/v1/tenants', { body: { slug: 'unicode', name: `  ${name} `, region: 'af-south' }, reason: 'Müller bat darum' });
    expect(created.status, created.body).toBe(201);
    expect(JSON.parse(created.body).name).toBe(name);
    const token = await api.admin.tokens.create({ role: 'master_admin', label: 'CI – nightly', email: 'label@example.test' });
    expect(token.label).toBe('CI – nightly');
  });
});

let cachedAdminToken: string | undefined;
async function adminToken(): Promise<string> {
  cachedAdminToken ??= (await api.admin.tokens.create({ role: 'master_admin', email: 'reasons@example.test' })).token;
  return cachedAdminToken;
}

async function send(request: LiteRequest): Promise<ApiResponse> {
  return read(await api.app.fetch(request as unknown as Request));
}

describe('NUL characters', () => {
  const nulRefused = (res: ApiResponse) => expect(expectProblem(res, 400, 'invalid').detail).toMatch(/NUL|cursor is not valid|control characters/);

  it('refuses U+0000 in the path and the query', async () => {
    for (const path of [
      '/v1/tenants?q=%00',
      '/v1/tenants?q=a%00b',
      '/v1/tenants?reseller=%00',
      '/v1/tenants?%00=1',
      '/v1/tenants/a%00b',
      '/v1/tenants/a%00b/suspend',
      '/v1/resellers/%00',
      '/v1/audit?action=%00',
      '/v1/audit?tenant_id=x%00',
    ]) {
      const method = path.endsWith('suspend') ? 'POST' : 'GET';
      nulRefused(await api.admin.raw(method, path));
    }
  });

  it('refuses a cursor that decodes to a control character on every list', async () => {
    const nul = Buffer.from('\u0000').toString('base64url');
    const escape = Buffer.from('ten_\u001b').toString('base64url');
    for (const path of ['/v1/tenants', '/v1/resellers', '/v1/tokens', '/v1/audit']) {
      for (const cursor of ['AA', nul, escape]) nulRefused(await api.admin.raw('GET', `${path}?cursor=${cursor}`));
    }
  });

  it('refuses U+0000 in any string or key of a JSON body, naming where', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/tenants', { slug: 'nul', name: 'Nul', reseller: 'text-\u0000partner' }, 'reseller'],
      ['POST', '/v1/tenants', { slug: 'nul', name: 'Nul\u0000' }, 'name'],
      ['POST', '/v1/tenants', { slug: 'nul\u0000', name: 'Nul' }, 'slug'],
      ['PATCH', '/v1/tenants/text-home', { contact_email: 'a\u0000@example.test' }, 'contact_email'],
      ['POST', '/v1/tokens', { role: 'tenant_admin', tenant: 'text-\u0000home' }, 'tenant'],
      ['POST', '/v1/tokens', { role: 'reseller', reseller: '\u0000' }, 'reseller'],
      ['POST', '/v1/resellers', { slug: 'nul', name: 'Nul', 'tier\u0000': 'gold' }, 'tier?'],
    ];
    for (const [method, path, body, field] of cases) {
      const problem = expectProblem(await api.admin.raw(method, path, { body }), 400, 'invalid');
      expect(problem.errors?.map((e) => e.path), `${path} ${JSON.stringify(body)}`).toContain(field);
    }
    // a backslash before "u0000" is text, not a NUL
    const literal = await api.admin.raw('POST', '/v1/tenants', { body: { slug: 'literal', name: 'back\\u0000slash' } });
    expect(literal.status, literal.body).toBe(201);
    expect(JSON.parse(literal.body).name).toBe('back\\u0000slash');
  });

  it('refuses U+0000 in a header', async () => {
    const headers = { authorization: `Bearer ${await adminToken()}`, 'idempotency-key': 'a\u0000b', 'content-type': 'application/json' };
    const res = await send(new LiteRequest('http://local/v1/tenants', { method: 'POST', headers, body: '{"slug":"hdr","name":"Hdr"}' }));
    expectProblem(res, 400, 'invalid');
    const stray = { authorization: `Bearer ${await adminToken()}`, 'x-anything': '\u0000' };
    expectProblem(await send(new LiteRequest('http://local/v1/tenants', { headers: stray })), 400, 'invalid');
    expect(await api.connection.db.selectFrom('tenants').select('id').where('slug', '=', 'hdr').execute()).toEqual([]);
  });

});

describe.runIf(DIALECT === 'postgres')('PostgreSQL\'s own refusal of such text', () => {
  let probe: TestApi;
  const errors: unknown[] = [];
  beforeAll(async () => {
    probe = await startTestApi({ onInternalError: (_where, error) => errors.push(error) });
    // A route that lets NUL through to PostgreSQL, registered before the app's first request
    probe.app.get('/v1/test-backstop', async (c) => {
      await sql`select ${'a\u0000b'}::text as t`.execute(probe.connection.db);
      return c.json({});
    });
  });
  afterAll(() => probe.close());

  it('is answered 400, not 500, as a backstop', async () => {
    expectProblem(await probe.admin.raw('GET', '/v1/test-backstop'), 400, 'invalid');
    expect(errors).toEqual([]);
  });
});
