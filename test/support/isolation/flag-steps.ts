import fc from 'fast-check';
import { expect } from 'vitest';
import type { FeatureFlag, FeatureFlagList, FlagEvaluation } from '../../../src/client/types.js';
import { flagOn } from '../../../src/server/modules/flags/bucket.js';
import { byId, recordEvent, seesTenant, type FlagState, type Model } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepKind, type Target } from './step.js';

/**
 * Steps on feature flags: platform-owned, only master_admin reads or changes them (403 for
 * others); an instance agent or a tenant admin evaluates its own tenant only (another is 404),
 * master_admin names the tenant (400 without one), a reseller not at all. Buckets come from the
 * pure function (its own properties are tested in test/server/modules/flags/bucket.test.ts).
 */

const isOn = (flag: FlagState, tenantId: string) => flagOn({ key: flag.key, rolloutBps: flag.rollout_bps, tenants: new Set(flag.tenants), except: new Set(flag.except) }, tenantId);
const enabledTenants = (m: Model, flag: FlagState) => m.tenants.filter((t) => t.status !== 'cancelled' && isOn(flag, t.id)).length;

function pickFlag(m: Model, target: Target): { flag?: FlagState; key: string } {
  if (target === 'unknown' || m.flags.length === 0) return { key: 'no-such-flag' };
  const flags = byId(m.flags);
  const flag = flags[target.pick % flags.length]!;
  return { flag, key: flag.key };
}

/** The flag as the API shows it, as far as the model follows it. */
function expectFlag(m: Model, body: unknown, flag: FlagState): void {
  const shown = body as FeatureFlag;
  expect({ id: shown.id, key: shown.key, rollout: shown.rollout, tenants: shown.tenants.map((t) => t.id), except: shown.except.map((t) => t.id) }).toEqual({
    id: flag.id,
    key: flag.key,
    rollout: flag.rollout_bps / 100,
    tenants: flag.tenants,
    except: flag.except,
  });
  expect(shown.enabled_tenants, `enabled_tenants of ${flag.key}`).toBe(enabledTenants(m, flag));
}

const evaluateFlags: StepKind<{ tenant: Target | null }> = {
  args: fc.record({ tenant: fc.option(targetArb, { freq: 3 }) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const picked = args.tenant === null ? null : pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', '/v1/flags/evaluate', { query: { tenant: picked?.ref } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    let tenantId: string;
    if (picked) {
      if (!picked.tenant || !seesTenant(p, picked.tenant)) return expectStatus(answer, 404, 'not_found');
      tenantId = picked.tenant.id;
    } else {
      if (p.role === 'master_admin') return expectStatus(answer, 400, 'invalid');
      tenantId = p.tenantId!;
    }
    expectStatus(answer, 200);
    const expected = Object.fromEntries(m.flags.map((f) => [f.key, isOn(f, tenantId)]));
    expect(answer.body as FlagEvaluation).toEqual({ tenant_id: tenantId, flags: expected });
  },
};

const listFlags: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m } = ctx;
    const answer = await call(ctx, 'GET', '/v1/flags');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const rows = (answer.body as FeatureFlagList).data;
    expect(rows.map((f) => f.key)).toEqual(m.flags.map((f) => f.key).sort());
    for (const row of rows) expectFlag(m, row, m.flags.find((f) => f.key === row.key)!);
  },
};

const getFlag: StepKind<{ flag: Target }> = {
  args: fc.record({ flag: targetArb }),
  async perform(ctx) {
    const { m, args } = ctx;
    const { flag, key } = pickFlag(m, args.flag);
    const answer = await call(ctx, 'GET', `/v1/flags/${key}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!flag) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expectFlag(m, answer.body, flag);
  },
};

const createFlag: StepKind<{ key: 'fresh' | Target }> = {
  args: fc.record({ key: fc.oneof({ weight: 4, arbitrary: fc.constant('fresh' as const) }, { weight: 1, arbitrary: targetArb }) }),
  async perform(ctx) {
    const { m, r, args } = ctx;
    const taken = args.key === 'fresh' ? undefined : pickFlag(m, args.key).flag;
    const key = taken?.key ?? `model-flag-${r.serial.next++}`;
    const answer = await call(ctx, 'POST', '/v1/flags', { body: { key } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (taken) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const created = answer.body as FeatureFlag;
    const flag: FlagState = { id: created.id, key, rollout_bps: 0, tenants: [], except: [] };
    m.flags.push(flag);
    expectFlag(m, created, flag);
    recordEvent(m, 'flag.create', created.id, null, null);
  },
};

type TenantList = Target[] | null;
const tenantListArb: fc.Arbitrary<TenantList> = fc.option(fc.array(targetArb, { maxLength: 3 }), { freq: 2 });

const setFlag: StepKind<{ flag: Target; rollout: number | null; tenants: TenantList; except: TenantList }> = {
  args: fc.record({ flag: targetArb, rollout: fc.option(fc.constantFrom(0, 10, 12.5, 50, 99.99, 100, 101)), tenants: tenantListArb, except: tenantListArb }),
  async perform(ctx) {
    const { m, args } = ctx;
    const { flag, key } = pickFlag(m, args.flag);
    const named = (list: TenantList) => list?.map((target) => pickTenant(m, target, () => true));
    const tenants = named(args.tenants);
    const except = named(args.except);
    const body = { ...(args.rollout === null ? {} : { rollout: args.rollout }), ...(tenants ? { tenants: tenants.map((t) => t.ref) } : {}), ...(except ? { except: except.map((t) => t.ref) } : {}) };
    const answer = await call(ctx, 'PATCH', `/v1/flags/${key}`, { body });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (Object.keys(body).length === 0 || (args.rollout !== null && args.rollout > 100)) return expectStatus(answer, 400, 'invalid');
    if (!flag) return expectStatus(answer, 404, 'not_found');
    if ([...(tenants ?? []), ...(except ?? [])].some((t) => !t.tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const ids = (list: typeof tenants) => [...new Set(list!.map((t) => t.tenant!.id))].sort();
    const next: FlagState = { ...flag, rollout_bps: args.rollout === null ? flag.rollout_bps : Math.round(args.rollout * 100), tenants: tenants ? ids(tenants) : flag.tenants, except: except ? ids(except) : flag.except };
    const changed = JSON.stringify(next) !== JSON.stringify(flag);
    Object.assign(flag, next);
    expectFlag(m, answer.body, flag);
    if (changed) recordEvent(m, 'flag.set', flag.id, null, null);
  },
};

const switchFlag = (verb: 'enable' | 'disable'): StepKind<{ flag: Target }> => ({
  args: fc.record({ flag: targetArb }),
  async perform(ctx) {
    const { m, args } = ctx;
    const { flag, key } = pickFlag(m, args.flag);
    const answer = await call(ctx, 'POST', `/v1/flags/${key}/${verb}`);
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!flag) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const rollout_bps = verb === 'enable' ? 10_000 : 0;
    const changed = flag.rollout_bps !== rollout_bps || flag.tenants.length > 0 || flag.except.length > 0;
    Object.assign(flag, { rollout_bps, tenants: [], except: [] });
    expectFlag(m, answer.body, flag);
    if (changed) recordEvent(m, `flag.${verb}`, flag.id, null, null);
  },
});

const deleteFlag: StepKind<{ flag: Target }> = {
  args: fc.record({ flag: targetArb }),
  async perform(ctx) {
    const { m, args } = ctx;
    const { flag, key } = pickFlag(m, args.flag);
    const answer = await call(ctx, 'DELETE', `/v1/flags/${key}`);
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!flag) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expectFlag(m, answer.body, flag);
    m.flags = m.flags.filter((f) => f.id !== flag.id);
    recordEvent(m, 'flag.delete', flag.id, null, null);
  },
};

export const FLAG_STEPS: Record<string, AnyStep> = {
  evaluateFlags,
  listFlags,
  getFlag,
  createFlag,
  setFlag,
  enableFlag: switchFlag('enable'),
  disableFlag: switchFlag('disable'),
  deleteFlag,
};
