import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../src/client/api-client.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { takeBackup } from '../../../support/jobs.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let ispAdmin: ApiClient;
let otherAdmin: ApiClient;
let partner: ApiClient;
let stranger: ApiClient;
let agent: ApiClient;

const WHITE = { company_name: 'FiberNet Wireless', primary_color: '#0A66C2', secondary_color: '#fff', logo_url: 'https://cdn.fibernet.example/logo.svg' };

beforeAll(async () => {
  api = await startTestApi();
  const admin = api.admin;
  await admin.resellers.create({ slug: 'acme', name: 'Acme Channel' });
  await admin.resellers.create({ slug: 'zenith', name: 'Zenith' });
  await admin.tenants.create({ slug: 'fibernet', name: 'FiberNet', reseller: 'acme' });
  await admin.tenants.create({ slug: 'skylink', name: 'SkyLink' });
  await admin.tenants.create({ slug: 'bigco', name: 'BigCo', plan: 'enterprise' });
  const token = async (body: Parameters<ApiClient['tokens']['create']>[0]) => api.as((await admin.tokens.create(body)).token);
  ispAdmin = await token({ role: 'tenant_admin', tenant: 'fibernet' });
  otherAdmin = await token({ role: 'tenant_admin', tenant: 'skylink' });
  partner = await token({ role: 'reseller', reseller: 'acme' });
  stranger = await token({ role: 'reseller', reseller: 'zenith' });
  agent = await token({ role: 'instance', tenant: 'fibernet' });
});
afterAll(() => api.close());

describe('branding', () => {
  it('starts empty at v0, and a support email alone needs no white-label', async () => {
    const empty = await ispAdmin.branding.get('fibernet');
    expect(empty).toMatchObject({ tenant_slug: 'fibernet', version: 0, white_label: false, company_name: null, custom_css: null, updated_at: null });
    const set = await ispAdmin.branding.change('fibernet', { support_email: 'help@fibernet.example' });
    expect(set.changed).toBe(true);
    expect(set.value).toMatchObject({ version: 1, support_email: 'help@fibernet.example', changes: ['support_email'], stripped: [] });
    const again = await ispAdmin.branding.change('fibernet', { support_email: 'help@fibernet.example' });
    expect(again).toMatchObject({ changed: false, value: { version: 1, changes: [] } });
  });

  it('refuses white-label fields without the add-on or the enterprise plan: 403 plan_required, nothing written', async () => {
    const before = await auditCount(api);
    for (const [field, value] of Object.entries(WHITE)) {
      const res = await ispAdmin.raw('PATCH', '/v1/tenants/fibernet/branding', { body: { [field]: value, support_email: 'x@fibernet.example' } });
      const problem = expectProblem(res, 403, 'plan_required');
      expect(problem.detail).toContain(field);
      expect(problem.detail).toMatch(/white-label add-on or the enterprise plan/);
    }
    expect(await auditCount(api)).toBe(before);
    expect((await ispAdmin.branding.get('fibernet')).support_email).toBe('help@fibernet.example');
  });

  it('allows white-label with the enterprise tenant plan, the add-on, or an enterprise subscription; the subscription in force decides', async () => {
    const bigco = await api.admin.branding.change('bigco', WHITE);
    expect(bigco.value).toMatchObject({ white_label: true, primary_color: '#0a66c2', secondary_color: '#fff', company_name: 'FiberNet Wireless' });

    // a starter subscription outranks the tenant's own plan field
    const subscription = await api.admin.subscriptions.create({ tenant: 'bigco', plan: 'starter' });
    const res = await api.admin.raw('PATCH', '/v1/tenants/bigco/branding', { body: { company_name: 'BigCo Again' } });
    expectProblem(res, 403, 'plan_required');
    expect((await api.admin.branding.get('bigco')).white_label).toBe(false);
    // clearing a white-label field never needs it
    expect((await api.admin.branding.change('bigco', { logo_url: null })).value.logo_url).toBeNull();

    await api.admin.subscriptions.changePlan(subscription.id, { add_addons: ['white-label'] });
    const added = await api.admin.branding.change('bigco', { company_name: 'BigCo Again' });
    expect(added.value).toMatchObject({ white_label: true, company_name: 'BigCo Again' });
  });

  it('versions every change; rollback makes a new version equal to an old one; If-Match guards', async () => {
    await api.admin.tenants.create({ slug: 'rolled', name: 'Rolled', plan: 'enterprise' });
    await api.admin.branding.change('rolled', { primary_color: '#111111', company_name: 'One' });
    await api.admin.branding.change('rolled', { primary_color: '#222222', support_email: 'a@rolled.example' });
    await api.admin.branding.change('rolled', { company_name: null });
    const history = await api.admin.branding.versions('rolled');
    expect(history.data.map((v) => [v.version, v.action, v.changes])).toEqual([
      [3, 'set', ['company_name']],
      [2, 'set', ['primary_color', 'support_email']],
      [1, 'set', ['company_name', 'primary_color']],
    ]);
    const back = await api.admin.branding.rollback('rolled', 1);
    expect(back.value).toMatchObject({ version: 4, primary_color: '#111111', company_name: 'One', support_email: null, changes: ['company_name', 'primary_color', 'support_email'] });
    expect((await api.admin.branding.versions('rolled', { limit: 1 })).data[0]).toMatchObject({ version: 4, action: 'rollback', restored_from: 1 });
    expect((await api.admin.branding.rollback('rolled', 1)).changed).toBe(false);
    expectProblem(await api.admin.raw('POST', '/v1/tenants/rolled/branding/versions/99/rollback'), 404, 'not_found');

    const stale = await api.admin.raw('PATCH', '/v1/tenants/rolled/branding', { body: { company_name: 'Two' }, ifMatch: 3 });
    expectProblem(stale, 409, 'conflict');
    const fresh = await api.admin.branding.change('rolled', { company_name: 'Two' }, { ifVersion: 4 });
    expect(fresh.value.version).toBe(5);
    // paging
    const first = await api.admin.branding.versions('rolled', { limit: 2 });
    const second = await api.admin.branding.versions('rolled', { limit: 2, cursor: first.next_cursor! });
    expect(second.data.map((v) => v.version)).toEqual([3, 2]);
  });

  it('validates every field, naming it', async () => {
    await api.admin.tenants.create({ slug: 'checked', name: 'Checked', plan: 'enterprise' });
    const bad: [string, unknown][] = [
      ['primary_color', 'red'],
      ['primary_color', '#12345'],
      ['primary_color', '#ggg'],
      ['secondary_color', '0a66c2'],
      ['logo_url', 'http://cdn.example/logo.png'],
      ['logo_url', 'javascript:alert(1)'],
      ['logo_url', 'JaVaScRiPt:alert(1)'],
      ['logo_url', 'data:image/svg+xml;base64,PHN2Zz4='],
      ['logo_url', 'file:///etc/passwd'],
      ['logo_url', 'https://user:pass@cdn.example/logo.png'],
      ['logo_url', 'https://user@cdn.example/logo.png'],
      ['logo_url', 'https://cdn.example/lo\ngo.png'],
      ['logo_url', 'https://cdn.example/logo.png\u0000'],
      ['logo_url', ' https://cdn.example/logo.png'],
      ['logo_url', 'https://cdn.example/a"onerror="alert(1)'],
      ['logo_url', 'https://cdn.example/a)b'],
      ['logo_url', 'https:\\\\evil.example\\logo.png'],
      ['logo_url', '//evil.example/logo.png'],
      ['support_email', 'not-an-email'],
      ['company_name', 'Evil\u001b]0;pwned\u0007'],
      ['company_name', 'Right\u202eLeft'],
      ['company_name', ''],
      ['custom_css', 'a{}'.repeat(17_067) + 'abc'],
      ['custom_css', 'é'.repeat(25_601)],
    ];
    for (const [field, value] of bad) {
      const res = await api.admin.raw('PATCH', '/v1/tenants/checked/branding', { body: { [field]: value } });
      const problem = expectProblem(res, 400, 'invalid');
      expect(problem.errors?.map((e) => e.path).join(' '), `${field}=${JSON.stringify(value).slice(0, 60)}`).toContain(field);
    }
    // the CSS limit is in UTF-8 bytes: 25,600 two-byte characters fit exactly
    const fits = await api.admin.branding.change('checked', { custom_css: `/*${'é'.repeat(25_598)}*/` });
    expect(fits.changed).toBe(false);
    expectProblem(await api.admin.raw('PATCH', '/v1/tenants/checked/branding', { body: {} }), 400, 'invalid');
    expectProblem(await api.admin.raw('PATCH', '/v1/tenants/checked/branding', { body: { motto: 'x' } }), 400, 'invalid');
    expect((await api.admin.branding.get('checked')).version).toBe(0);
  });

  it('stores custom CSS sanitised and reports what it stripped', async () => {
    await api.admin.tenants.create({ slug: 'styled', name: 'Styled', plan: 'enterprise' });
    const css = [
      '@import url("https://evil.example/x.css");',
      'body { color: #333; background: url("javascript:alert(1)"); }',
      '.logo { width: expression(alert(1)); height: 40px; }',
      '.x { behavior: url(x.htc); -moz-binding: url("https://evil.example/xss.xml#x"); }',
      '.y { content: "</style><script>alert(1)</script>"; }',
      'h1 { font-weight: 700 }',
    ].join('\n');
    const res = await api.admin.branding.change('styled', { custom_css: css });
    const stored = res.value.custom_css!;
    expect(stored).toContain('color: #333');
    expect(stored).toContain('height: 40px');
    expect(stored).toContain('font-weight: 700');
    expect(stored).not.toMatch(/@import|javascript|expression|behavior|binding|<\/style/i);
    expect(res.value.stripped.map((s) => [s.construct, s.line])).toEqual([
      ['@import', 1],
      ['javascript: URL', 2],
      ['expression(...)', 3],
      ['behavior', 4],
      ['-moz-binding', 4],
      ['< (a </style> breakout)', 5],
    ]);
    expect((await api.admin.branding.get('styled')).custom_css).toBe(stored);
    // an empty or all-stripped CSS clears the field
    expect((await api.admin.branding.change('styled', { custom_css: '@import "x.css";' })).value.custom_css).toBe(';');
    expect((await api.admin.branding.change('styled', { custom_css: '' })).value.custom_css).toBeNull();
  });

  it('scopes: a reseller reads its customers\' only and writes none; a tenant admin its own; an instance agent nothing', async () => {
    expect((await partner.branding.get('fibernet')).support_email).toBe('help@fibernet.example');
    expect((await partner.branding.versions('fibernet')).data.length).toBeGreaterThan(0);
    expectProblem(await stranger.raw('GET', '/v1/tenants/fibernet/branding'), 404, 'not_found');
    expectProblem(await partner.raw('GET', '/v1/tenants/skylink/branding'), 404, 'not_found');
    expectProblem(await otherAdmin.raw('GET', '/v1/tenants/fibernet/branding'), 404, 'not_found');
    expectProblem(await otherAdmin.raw('GET', '/v1/tenants/fibernet/branding/versions'), 404, 'not_found');
    expectProblem(await otherAdmin.raw('PATCH', '/v1/tenants/fibernet/branding', { body: { support_email: 'x@y.example' } }), 404, 'not_found');
    expectProblem(await otherAdmin.raw('POST', '/v1/tenants/fibernet/branding/versions/1/rollback'), 404, 'not_found');
    expectProblem(await partner.raw('PATCH', '/v1/tenants/fibernet/branding', { body: { support_email: 'x@y.example' } }), 403, 'forbidden');
    expectProblem(await agent.raw('GET', '/v1/tenants/fibernet/branding'), 403, 'forbidden');
  });

  it('is part of a tenant backup: restore brings the branding and its history back', async () => {
    await api.admin.tenants.create({ slug: 'kept', name: 'Kept', plan: 'enterprise' });
    await api.admin.branding.change('kept', { company_name: 'Kept Ltd', primary_color: '#123456', custom_css: 'h1{color:red}' });
    const backup = await takeBackup(api, 'kept');
    await api.admin.branding.change('kept', { company_name: 'Changed', custom_css: null });
    expect((await api.admin.branding.get('kept')).version).toBe(2);
    await api.admin.backups.restore(backup.id);
    const restored = await api.admin.branding.get('kept');
    expect(restored).toMatchObject({ version: 1, company_name: 'Kept Ltd', primary_color: '#123456', custom_css: 'h1{color:red}' });
    expect((await api.admin.branding.versions('kept')).data.map((v) => v.version)).toEqual([1]);
  });
});
