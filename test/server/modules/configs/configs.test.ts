import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../src/client/api-client.js';
import { expectProblem } from '../../problem-response.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

const SECRET = 'radius-S3cret-value-xyzzy';

let api: TestApi;
let ispAdmin: ApiClient;
let otherAdmin: ApiClient;
let partner: ApiClient;
let stranger: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  const admin = api.admin;
  await admin.resellers.create({ slug: 'acme', name: 'Acme Channel' });
  await admin.resellers.create({ slug: 'zenith', name: 'Zenith' });
  await admin.tenants.create({ slug: 'fibernet', name: 'FiberNet', reseller: 'acme' });
  await admin.tenants.create({ slug: 'skylink', name: 'SkyLink' });
  const token = async (body: Parameters<ApiClient['tokens']['create']>[0]) => api.as((await admin.tokens.create(body)).token);
  ispAdmin = await token({ role: 'tenant_admin', tenant: 'fibernet' });
  otherAdmin = await token({ role: 'tenant_admin', tenant: 'skylink' });
  partner = await token({ role: 'reseller', reseller: 'acme' });
  stranger = await token({ role: 'reseller', reseller: 'zenith' });
});
afterAll(() => api.close());

describe('configurations', () => {
  it('versions every change, masks secrets everywhere, and writes nothing for a change that already holds', async () => {
    const first = await ispAdmin.configs.change('fibernet', { values: { 'billing.currency': 'KES', 'network.radius_secret': SECRET, 'branding.tagline': { en: 'Fast' } } });
    expect(first.changed).toBe(true);
    expect(first.value.version).toBe(1);
    const again = await ispAdmin.configs.change('fibernet', { values: { 'billing.currency': 'KES' } });
    expect([again.changed, again.value.version]).toEqual([false, 1]);
    await ispAdmin.configs.change('fibernet', { values: { 'notifications.smtp_password': 'hunter22' }, secret: [] });
    await ispAdmin.configs.change('fibernet', { values: { 'integrations.crm_token': 'tok-123456' }, secret: ['integrations.crm_token'] });

    const listed = await partner.configs.list('fibernet');
    expect(listed.version).toBe(3);
    const byKey = Object.fromEntries(listed.entries.map((e) => [e.key, e]));
    expect(byKey['network.radius_secret']).toMatchObject({ value: '********', secret: true, masked: true, category: 'network' });
    expect(byKey['integrations.crm_token']).toMatchObject({ value: '********', secret: true });
    expect(byKey['branding.tagline']!.value).toEqual({ en: 'Fast' });

    const everything = JSON.stringify([
      listed,
      await api.admin.configs.get('fibernet', 'network.radius_secret'),
      await api.admin.configs.versions('fibernet'),
      await api.admin.audit.list({ limit: 100 }),
      first.value,
    ]);
    for (const secret of [SECRET, 'hunter22', 'tok-123456']) expect(everything).not.toContain(secret);
  });

  it('reveals to master_admin and the tenant\'s own admin only, and audits each reveal by key', async () => {
    expect((await ispAdmin.configs.get('fibernet', 'network.radius_secret', true)).value).toBe(SECRET);
    const [event] = (await api.admin.audit.list({ limit: 1 })).data;
    expect(event).toMatchObject({ action: 'config.reveal', details: { keys: ['network.radius_secret'] } });
    expect(JSON.stringify(event)).not.toContain(SECRET);
    expect((await api.admin.configs.list('fibernet', { reveal: true })).entries.find((e) => e.key === 'network.radius_secret')?.value).toBe(SECRET);
    expectProblem(await partner.raw('GET', '/v1/tenants/fibernet/configs', { query: { reveal: 'true' } }), 403, 'forbidden');
    expectProblem(await otherAdmin.raw('GET', '/v1/tenants/fibernet/configs', { query: { reveal: 'true' } }), 404, 'not_found');
    // a reveal with no secret in it is no event
    const before = (await api.admin.audit.list({ limit: 1 })).data[0]!.seq;
    await ispAdmin.configs.list('fibernet', { category: 'billing', reveal: true });
    expect((await api.admin.audit.list({ limit: 1 })).data[0]!.seq).toBe(before);
  });

  it('keeps resellers to reading their own customers, and everyone else out with 404', async () => {
    expectProblem(await partner.raw('PATCH', '/v1/tenants/fibernet/configs', { body: { values: { 'billing.currency': 'USD' } } }), 403, 'forbidden');
    expectProblem(await stranger.raw('GET', '/v1/tenants/fibernet/configs'), 404, 'not_found');
    expectProblem(await otherAdmin.raw('GET', '/v1/tenants/fibernet/configs/keys/billing.currency'), 404, 'not_found');
    expectProblem(await otherAdmin.raw('PATCH', '/v1/tenants/fibernet/configs', { body: { values: { 'billing.currency': 'USD' } } }), 404, 'not_found');
    expect((await partner.configs.diff('fibernet', { values: { 'billing.currency': 'USD' } })).in_sync).toBe(false);
  });

  it('validates known keys by schema, naming the key, and refuses near-misses and unknown categories', async () => {
    const bad = async (values: Record<string, unknown>, pattern: RegExp) => {
      const res = await ispAdmin.raw('PATCH', '/v1/tenants/fibernet/configs', { body: { values } });
      expectProblem(res, 400, 'invalid');
      expect(JSON.parse(res.body).detail).toMatch(pattern);
    };
    await bad({ 'security.session_timeout_minutes': '30' }, /security\.session_timeout_minutes must be an integer, 5–1440/);
    await bad({ 'security.session_timeout_minutes': 2 }, /security\.session_timeout_minutes/);
    await bad({ 'billing.currency': 'usd' }, /billing\.currency must be an ISO-4217/);
    await bad({ 'network.radius_secet': 'x' }, /did you mean network\.radius_secret/);
    await bad({ 'netwrk.foo': 1 }, /unknown category "netwrk".*did you mean "network"/);
    await bad({ 'Network.Foo': 1 }, /not a configuration key/);
    await bad({ 'branding.x': 'a\u0000b' }, /NUL/);
    expect((await api.admin.configs.versions('fibernet')).data[0]!.version).toBe(3);
  });

  it('lets only master_admin write a platform-owned key, naming it', async () => {
    const res = await ispAdmin.raw('PATCH', '/v1/tenants/fibernet/configs', { body: { values: { 'network.max_subscribers': 5000 } } });
    expectProblem(res, 403, 'forbidden');
    expect(JSON.parse(res.body).detail).toContain('network.max_subscribers');
    expect((await api.admin.configs.change('fibernet', { values: { 'network.max_subscribers': 5000 } })).value.version).toBe(4);
    // the same value again is no change, so the tenant admin may include it in a file
    expect((await ispAdmin.configs.apply('fibernet', { values: { 'network.max_subscribers': 5000 } })).changed).toBe(false);
    expectProblem(await ispAdmin.raw('PATCH', '/v1/tenants/fibernet/configs', { body: { unset: ['network.max_subscribers'] } }), 403, 'forbidden');
  });

  it('refuses a value nested too deep as bad input naming the key, on every route that takes values', async () => {
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepBody = (depth: number, extra = '') => `{"values":{"notifications.deep":${deep(depth)}}${extra}}`;
    for (const [method, path] of [
      ['PATCH', '/v1/tenants/fibernet/configs'],
      ['POST', '/v1/tenants/fibernet/configs/apply'],
      ['POST', '/v1/tenants/fibernet/configs/diff'],
    ] as const) {
      for (const depth of [33, 5000]) {
        const problem = expectProblem(await ispAdmin.raw(method, path, { body: deepBody(depth) }), 400, 'invalid');
        expect(problem.detail, `${method} ${path} at ${depth}`).toBe('value of notifications.deep is nested deeper than 32 levels');
        expect(problem.errors).toEqual([{ path: 'notifications.deep', message: problem.detail }]);
      }
    }
    const atLimit = await ispAdmin.configs.diff('fibernet', { values: { 'notifications.deep': JSON.parse(deep(32)) as unknown } });
    expect(atLimit.changes.map((c) => c.key)).toEqual(['notifications.deep']);
  });

  it('refuses a tenant admin\'s diff that would change a platform-owned key, as its apply is refused', async () => {
    await api.admin.tenants.create({ slug: 'owned', name: 'Owned', reseller: 'acme' });
    const ownAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'owned' })).token);
    await api.admin.configs.change('owned', { values: { 'network.max_subscribers': 5000, 'billing.currency': 'KES' } });
    const file = { values: { 'billing.currency': 'USD' }, prune: true };
    const applied = expectProblem(await ownAdmin.raw('POST', '/v1/tenants/owned/configs/apply', { body: file }), 403, 'forbidden');
    const planned = expectProblem(await ownAdmin.raw('POST', '/v1/tenants/owned/configs/diff', { body: file }), 403, 'forbidden');
    expect(planned.detail).toBe(applied.detail);
    expect(planned.detail).toContain('network.max_subscribers is platform-owned');
    // without prune the key stays, so the plan is allowed; master_admin and a reseller (who applies nothing) see the plan
    expect((await ownAdmin.configs.diff('owned', { ...file, prune: false })).changes.map((c) => c.key)).toEqual(['billing.currency']);
    for (const reader of [api.admin, partner]) {
      expect((await reader.configs.diff('owned', file)).changes.map((c) => [c.key, c.change])).toEqual([['billing.currency', 'changed'], ['network.max_subscribers', 'removed']]);
    }
    expect((await api.admin.configs.versions('owned')).data.length).toBe(1);
  });

  it('refuses a stale If-Match with 409 and changes nothing', async () => {
    const now = (await ispAdmin.configs.list('fibernet')).version;
    const res = await ispAdmin.raw('PATCH', '/v1/tenants/fibernet/configs', { body: { values: { 'billing.currency': 'USD' } }, ifMatch: now - 1 });
    expectProblem(res, 409, 'conflict');
    expect((await ispAdmin.configs.get('fibernet', 'billing.currency')).value).toBe('KES');
    expect((await ispAdmin.configs.list('fibernet')).version).toBe(now);
    expectProblem(await ispAdmin.raw('POST', `/v1/tenants/fibernet/configs/versions/1/rollback`, { ifMatch: now + 5 }), 409, 'conflict');
    const ok = await ispAdmin.configs.change('fibernet', { values: { 'billing.currency': 'USD' } }, { ifVersion: now });
    expect(ok.value.version).toBe(now + 1);
  });

  it('applies a file as one version, a second time as none, and prunes only when asked', async () => {
    await api.admin.tenants.create({ slug: 'applied', name: 'Applied' });
    const file = { values: { 'billing.currency': 'EUR', 'security.mfa_required': true, 'network.radius_secret': SECRET } };
    expect((await api.admin.configs.diff('applied', file)).changes.map((c) => [c.key, c.change])).toEqual([
      ['billing.currency', 'added'],
      ['network.radius_secret', 'added'],
      ['security.mfa_required', 'added'],
    ]);
    const applied = await api.admin.configs.apply('applied', file);
    expect([applied.changed, applied.value.version]).toEqual([true, 1]);
    const twice = await api.admin.configs.apply('applied', file);
    expect([twice.changed, twice.value.version]).toEqual([false, 1]);
    expect((await api.admin.configs.diff('applied', file)).in_sync).toBe(true);
    // a secret that differs is a change, shown without either value
    const plan = await api.admin.configs.diff('applied', { values: { ...file.values, 'network.radius_secret': 'another-secret' } });
    expect(plan.changes).toEqual([{ key: 'network.radius_secret', change: 'changed', secret: true }]);
    await api.admin.configs.change('applied', { values: { 'branding.company_name': 'Applied Ltd' } });
    const pruned = await api.admin.configs.apply('applied', { ...file, prune: true });
    expect(pruned.value.changes).toEqual([{ key: 'branding.company_name', change: 'removed', secret: false, before: 'Applied Ltd' }]);
    // a bad value anywhere in the file changes nothing
    expectProblem(await api.admin.raw('POST', '/v1/tenants/applied/configs/apply', { body: { values: { 'billing.currency': 'GBP', 'security.mfa_required': 'yes' } } }), 400, 'invalid');
    expect((await api.admin.configs.get('applied', 'billing.currency')).value).toBe('EUR');
  });

  it('rolls back to an earlier version exactly, as a new version', async () => {
    await api.admin.tenants.create({ slug: 'rolled', name: 'Rolled' });
    await api.admin.configs.change('rolled', { values: { 'billing.currency': 'USD', 'network.radius_secret': SECRET, 'branding.theme': { dark: true, accents: [1, 2] } } });
    const v1 = await api.admin.configs.list('rolled', { reveal: true });
    await api.admin.configs.change('rolled', { values: { 'billing.currency': 'EUR', 'network.radius_secret': 'rotated-secret-1' }, unset: ['branding.theme'] });
    await api.admin.configs.change('rolled', { values: { 'security.mfa_required': false } });
    const back = await api.admin.configs.rollback('rolled', 1);
    expect([back.changed, back.value.version]).toEqual([true, 4]);
    const v4 = await api.admin.configs.list('rolled', { reveal: true });
    const strip = (c: typeof v1) => c.entries.map(({ key, value, secret }) => ({ key, value, secret }));
    expect(strip(v4)).toEqual(strip(v1));
    expect((await api.admin.configs.versions('rolled')).data[0]).toMatchObject({ version: 4, action: 'rollback', restored_from: 1 });
    expect((await api.admin.configs.rollback('rolled', 1)).changed).toBe(false);
    expectProblem(await api.admin.raw('POST', '/v1/tenants/rolled/configs/versions/99/rollback'), 404, 'not_found');
  });
});

describe('an exported file applied back', () => {
  it('keeps each secret whose value is the mask, and refuses the mask anywhere else', async () => {
    await api.admin.tenants.create({ slug: 'exported', name: 'Exported' });
    await api.admin.configs.change('exported', { values: { 'network.radius_secret': SECRET, 'billing.currency': 'USD' } });
    const exported = Object.fromEntries((await api.admin.configs.list('exported')).entries.map((e) => [e.key, e.value]));
    expect(exported['network.radius_secret']).toBe('********');
    expect((await api.admin.configs.diff('exported', { values: exported, prune: true })).in_sync).toBe(true);
    expect((await api.admin.configs.apply('exported', { values: exported, prune: true })).changed).toBe(false);
    expect((await api.admin.configs.get('exported', 'network.radius_secret', true)).value).toBe(SECRET);
    expectProblem(await api.admin.raw('PATCH', '/v1/tenants/exported/configs', { body: { values: { 'network.radius_secret': '********' } } }), 400, 'invalid');
    expectProblem(await api.admin.raw('POST', '/v1/tenants/exported/configs/apply', { body: { values: { 'billing.currency': '********' } } }), 400, 'invalid');
  });
});

describe('writers at the same time', () => {
  it('each get a version of their own or a 409, never a half-written one', async () => {
    await api.admin.tenants.create({ slug: 'raced', name: 'Raced' });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api.admin.raw('PATCH', '/v1/tenants/raced/configs', { body: { values: { 'billing.invoice_due_days': i + 1, [`branding.writer_${i}`]: i } } })),
    );
    for (const res of answers) expect([200, 409], res.body).toContain(res.status);
    const written = answers.filter((res) => res.status === 200).length;
    expect(written).toBeGreaterThan(0);
    const versions = (await api.admin.configs.versions('raced')).data.map((v) => v.version);
    expect(versions).toEqual(Array.from({ length: written }, (_, i) => written - i));
    const config = await api.admin.configs.list('raced');
    expect(config.version).toBe(written);
    expect(config.entries.filter((e) => e.key.startsWith('branding.writer_')).length).toBe(written);
  });
});
