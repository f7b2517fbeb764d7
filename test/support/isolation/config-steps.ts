import fc from 'fast-check';
import { expect } from 'vitest';
import type { ConfigChange, ConfigEntry, ConfigPlan, Configuration, ConfigVersion } from '../../../src/client/types.js';
import { recordEvent, seesTenant, type ConfigState, type ConfigVersionState, type Model, type TenantState } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type Answer, type StepContext, type StepKind, type Target } from './step.js';

/**
 * Steps on configurations, predicted from the model with the rules of docs/api.md written out
 * again for a small set of keys: one always secret, one platform-owned, one known with a schema,
 * one free, one made secret by the writer. Secrets are masked for everyone unless revealed, a
 * reveal is for master and the tenant's own admin and is audited, every change is one version.
 */

const MASK = '********';
type Values = Record<string, unknown>;

/** The keys the steps use, each with values it accepts and (some) one it refuses. */
const VALUES: Record<string, { ok: unknown[]; bad?: unknown }> = {
  'billing.currency': { ok: ['USD', 'EUR'], bad: 'usd' },
  'network.radius_secret': { ok: ['radius-secret-1', 'radius-secret-2'], bad: 'short' },
  'network.max_subscribers': { ok: [100, 200] },
  'branding.motto': { ok: [{ en: 'fast' }, 'plain', null] },
  'integrations.crm_token': { ok: ['crm-token-aaaa', 'crm-token-bbbb'] },
};
const KEYS = Object.keys(VALUES);
const ALWAYS_SECRET = ['network.radius_secret'];
const PLATFORM = ['network.max_subscribers'];
const MARKED = 'integrations.crm_token';
const isBad = (key: string, value: unknown) => VALUES[key]?.bad !== undefined && value === VALUES[key]!.bad;

const valueArb = (key: string) => {
  const ok = fc.constantFrom(...VALUES[key]!.ok);
  return VALUES[key]!.bad === undefined ? ok : fc.oneof({ weight: 6, arbitrary: ok }, { weight: 1, arbitrary: fc.constant(VALUES[key]!.bad) });
};
const valuesArb: fc.Arbitrary<Values> = fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 3 }).chain((keys) => fc.tuple(...keys.map((key) => valueArb(key).map((value) => [key, value] as const))).map((pairs) => Object.fromEntries(pairs)));
type IfMatch = 'none' | 'current' | 'stale';
const ifMatchArb = fc.constantFrom<IfMatch>('none', 'none', 'current', 'stale');

const configOf = (m: Model, tenantId: string): ConfigState => m.configs[tenantId] ?? { entries: {}, versions: [] };
const versionOf = (m: Model, tenantId: string) => configOf(m, tenantId).versions.length;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function ifMatchValue(m: Model, tenant: TenantState | undefined, choice: IfMatch): number | undefined {
  if (choice === 'none') return undefined;
  const now = tenant ? versionOf(m, tenant.id) : 0;
  return choice === 'current' ? now : now + 1;
}

type Snapshot = ConfigVersionState['snapshot'];
const snapshotOf = (config: ConfigState): Snapshot => Object.fromEntries(Object.entries(config.entries).map(([key, e]) => [key, { value: e.value, secret: e.secret }]));

/** A key stays secret once it is; the always-secret key is; the writer marks others. */
function afterWrite(before: Snapshot, values: Values, marked: boolean, base: Snapshot = before): Snapshot {
  const next: Snapshot = { ...base };
  for (const [key, value] of Object.entries(values)) next[key] = { value, secret: ALWAYS_SECRET.includes(key) || (marked && key === MARKED) || before[key]?.secret === true };
  return next;
}

function changesBetween(before: Snapshot, after: Snapshot) {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .sort()
    .filter((key) => !(before[key] && after[key] && before[key]!.secret === after[key]!.secret && same(before[key]!.value, after[key]!.value)))
    .map((key) => {
      const was = before[key];
      const now = after[key];
      const secret = (was?.secret ?? false) || (now?.secret ?? false);
      return { key, change: !was ? ('added' as const) : !now ? ('removed' as const) : ('changed' as const), secret, ...(!secret && was ? { before: was.value } : {}), ...(!secret && now ? { after: now.value } : {}) };
    });
}

const entryView = (key: string, e: { value: unknown; secret: boolean; version: number }, reveal: boolean) => ({
  key,
  category: key.split('.')[0],
  value: e.secret && !reveal ? MASK : e.value,
  secret: e.secret,
  masked: e.secret && !reveal,
  version: e.version,
});
const withoutTime = ({ updated_at: _u, ...rest }: ConfigEntry) => rest;

/** The change a write makes, or the refusal it gets, after the tenant was found; applies it to the model. */
function commit(ctx: StepContext<unknown>, answer: Answer, tenant: TenantState, after: Snapshot, action: ConfigVersionState['action'], expected: number | undefined, restoredFrom: number | null = null): void {
  const { m, p } = ctx;
  const config = configOf(m, tenant.id);
  const version = config.versions.length;
  if (expected !== undefined && expected !== version) return expectStatus(answer, 409, 'conflict');
  const changes = changesBetween(snapshotOf(config), after);
  if (p.role !== 'master_admin' && changes.some((c) => PLATFORM.includes(c.key))) return expectStatus(answer, 403, 'forbidden');
  expectStatus(answer, 200);
  const body = answer.body as ConfigChange;
  if (changes.length > 0) {
    const next = version + 1;
    const entries: ConfigState['entries'] = {};
    for (const [key, e] of Object.entries(after)) entries[key] = { ...e, version: changes.some((c) => c.key === key) ? next : config.entries[key]!.version };
    m.configs[tenant.id] = { entries, versions: [...config.versions, { action, restored_from: restoredFrom, changes: changes.map(({ key, change, secret }) => ({ key, change, secret })), snapshot: sortedSnapshot(after) }] };
    recordEvent(m, `config.${action}`, tenant.id, tenant.id);
  }
  const now = configOf(m, tenant.id);
  expect(body.version).toBe(now.versions.length);
  expect(body.changes).toEqual(changes);
  expect(body.entries.map(withoutTime)).toEqual(Object.keys(now.entries).sort().map((key) => entryView(key, now.entries[key]!, false)));
}

const sortedSnapshot = (s: Snapshot): Snapshot => Object.fromEntries(Object.keys(s).sort().map((key) => [key, s[key]!]));

const path = (ref: string, rest = '') => `/v1/tenants/${encodeURIComponent(ref)}/configs${rest}`;
const mayReveal = (ctx: StepContext<unknown>) => ctx.p.role !== 'reseller';

const listConfigs: StepKind<{ tenant: Target; category?: 'billing' | 'network' | 'branding'; reveal: boolean }> = {
  args: fc.record({ tenant: targetArb, category: fc.constantFrom('billing' as const, 'network' as const, 'branding' as const), reveal: fc.boolean() }, { requiredKeys: ['tenant', 'reveal'] }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', path(ref), { query: { category: args.category, reveal: args.reveal ? 'true' : undefined } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (args.reveal && !mayReveal(ctx)) return expectStatus(answer, 403, 'forbidden');
    expectStatus(answer, 200);
    const config = configOf(m, tenant.id);
    const keys = Object.keys(config.entries).filter((key) => !args.category || key.startsWith(`${args.category}.`)).sort();
    const body = answer.body as Configuration;
    expect({ ...body, entries: body.entries.map(withoutTime) }).toEqual({ tenant_id: tenant.id, tenant_slug: tenant.slug, version: config.versions.length, entries: keys.map((key) => entryView(key, config.entries[key]!, args.reveal)) });
    if (args.reveal && keys.some((key) => config.entries[key]!.secret)) recordEvent(m, 'config.reveal', tenant.id, tenant.id);
  },
};

const getConfig: StepKind<{ tenant: Target; key: string; reveal: boolean }> = {
  args: fc.record({ tenant: targetArb, key: fc.constantFrom(...KEYS, 'billing.never_set'), reveal: fc.boolean() }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', path(ref, `/keys/${args.key}`), { query: { reveal: args.reveal ? 'true' : undefined } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (args.reveal && !mayReveal(ctx)) return expectStatus(answer, 403, 'forbidden');
    const entry = configOf(m, tenant.id).entries[args.key];
    if (!entry) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(withoutTime(answer.body as ConfigEntry)).toEqual(entryView(args.key, entry, args.reveal));
    if (args.reveal && entry.secret) recordEvent(m, 'config.reveal', tenant.id, tenant.id);
  },
};

const listConfigVersions: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { tenant, ref } = pickTenant(m, ctx.args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', path(ref, '/versions'), { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const versions = configOf(m, tenant.id).versions.map((v, i) => ({ version: i + 1, action: v.action, restored_from: v.restored_from, changes: v.changes })).reverse();
    expect((answer.body as { data: ConfigVersion[] }).data.map(({ actor: _a, created_at: _c, ...rest }) => rest)).toEqual(versions);
  },
};

/** Whether a file of values is refused before anything is compared: a value the key's schema refuses. */
const refusedValues = (values: Values) => Object.entries(values).some(([key, value]) => isBad(key, value));

const changeConfigs: StepKind<{ tenant: Target; values: Values; unset: string[]; mark: boolean; ifMatch: IfMatch }> = {
  // unset mostly names keys the values do not, so that most changes get through
  args: fc
    .record({ tenant: targetArb, values: valuesArb, unset: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 2 }), mark: fc.boolean(), ifMatch: ifMatchArb, overlap: fc.nat({ max: 5 }) })
    .map(({ overlap, ...args }) => ({ ...args, unset: overlap === 0 ? args.unset : args.unset.filter((key) => !(key in args.values)) })),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const marked = args.mark && MARKED in args.values;
    const body = { values: args.values, unset: args.unset, ...(marked ? { secret: [MARKED] } : {}) };
    const answer = await call(ctx, 'PATCH', path(ref), { body, ifMatch: ifMatchValue(m, tenant, args.ifMatch) });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (Object.keys(args.values).length === 0 && args.unset.length === 0) return expectStatus(answer, 400, 'invalid');
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (refusedValues(args.values) || args.unset.some((key) => key in args.values)) return expectStatus(answer, 400, 'invalid');
    const before = snapshotOf(configOf(m, tenant.id));
    const after = afterWrite(before, args.values, marked);
    for (const key of args.unset) delete after[key];
    commit(ctx, answer, tenant, after, 'set', ifMatchValue(m, tenant, args.ifMatch));
  },
};

/** The file apply (and diff) takes: its values over the current ones, or with prune instead of them. */
function afterApply(before: Snapshot, values: Values, prune: boolean): Snapshot {
  const next = afterWrite(before, values, false, prune ? {} : before);
  return next;
}

const applyConfigs: StepKind<{ tenant: Target; values: Values; prune: boolean; ifMatch: IfMatch }> = {
  args: fc.record({ tenant: targetArb, values: valuesArb, prune: fc.boolean(), ifMatch: ifMatchArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', path(ref, '/apply'), { body: { values: args.values, prune: args.prune }, ifMatch: ifMatchValue(m, tenant, args.ifMatch) });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (refusedValues(args.values)) return expectStatus(answer, 400, 'invalid');
    commit(ctx, answer, tenant, afterApply(snapshotOf(configOf(m, tenant.id)), args.values, args.prune), 'apply', ifMatchValue(m, tenant, args.ifMatch));
  },
};

const diffConfigs: StepKind<{ tenant: Target; values: Values; prune: boolean }> = {
  args: fc.record({ tenant: targetArb, values: valuesArb, prune: fc.boolean() }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', path(ref, '/diff'), { body: { values: args.values, prune: args.prune } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (refusedValues(args.values)) return expectStatus(answer, 400, 'invalid');
    const config = configOf(m, tenant.id);
    const changes = changesBetween(snapshotOf(config), afterApply(snapshotOf(config), args.values, args.prune));
    // a writer's plan is refused what its apply would be; a reseller's is a read
    if (p.role === 'tenant_admin' && changes.some((c) => PLATFORM.includes(c.key))) return expectStatus(answer, 403, 'forbidden');
    expectStatus(answer, 200);
    expect(answer.body as ConfigPlan).toEqual({ tenant_id: tenant.id, tenant_slug: tenant.slug, version: config.versions.length, in_sync: changes.length === 0, changes });
  },
};

const rollbackConfigs: StepKind<{ tenant: Target; version: number; ifMatch: IfMatch }> = {
  args: fc.record({ tenant: targetArb, version: fc.integer({ min: 1, max: 3 }), ifMatch: ifMatchArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', path(ref, `/versions/${args.version}/rollback`), { ifMatch: ifMatchValue(m, tenant, args.ifMatch) });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    const target = configOf(m, tenant.id).versions[args.version - 1];
    if (!target) return expectStatus(answer, 404, 'not_found');
    commit(ctx, answer, tenant, target.snapshot, 'rollback', ifMatchValue(m, tenant, args.ifMatch), args.version);
  },
};

export const CONFIG_STEPS: Record<string, AnyStep> = {
  listConfigs,
  getConfig,
  listConfigVersions,
  changeConfigs,
  applyConfigs,
  diffConfigs,
  rollbackConfigs,
};
