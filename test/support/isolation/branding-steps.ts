import fc from 'fast-check';
import { expect } from 'vitest';
import type { Branding, BrandingChange, BrandingVersion, Page } from '../../../src/client/types.js';
import { recordEvent, seesTenant, type BrandingState, type BrandingVersionState, type Model, type TenantState } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type Answer, type StepContext, type StepKind, type Target } from './step.js';

/**
 * Steps on branding, predicted from the model with the rules of docs/api.md written out again:
 * every change is one version holding the whole branding; a field set to a new value other than
 * support_email needs white-label (the add-on on the subscription in force, or with none the
 * enterprise tenant plan; subscriptions here are all starter), else 403 plan_required; CSS is
 * stored sanitised (two inputs with known outputs); a bad colour is 400 before the tenant is looked up.
 */

const FIELDS = ['company_name', 'primary_color', 'secondary_color', 'logo_url', 'support_email', 'custom_css'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string | null>;
const EMPTY: Values = { company_name: null, primary_color: null, secondary_color: null, logo_url: null, support_email: null, custom_css: null };

/** What each field may be given, and what it is stored as. */
const GIVEN: Record<Field, [string | null, string | null][]> = {
  company_name: [['Acme Fibre', 'Acme Fibre'], ['東京 ISP', '東京 ISP'], [null, null]],
  primary_color: [['#0A66C2', '#0a66c2'], ['#fff', '#fff'], [null, null]],
  secondary_color: [['#123', '#123'], [null, null]],
  logo_url: [['https://cdn.example.test/logo.svg', 'https://cdn.example.test/logo.svg'], [null, null]],
  support_email: [['help@acme.test', 'help@acme.test'], ['care@acme.test', 'care@acme.test'], [null, null]],
  custom_css: [['h1{color:red}', 'h1{color:red}'], ['@import "x.css";h1{color:red}', ';h1{color:red}'], [null, null]],
};
const BAD = { primary_color: 'red' };

type Write = Partial<Record<Field, number>>;
const writeArb: fc.Arbitrary<Write> = fc.record(Object.fromEntries(FIELDS.map((field) => [field, fc.nat({ max: GIVEN[field].length - 1 })])) as Record<Field, fc.Arbitrary<number>>, { requiredKeys: [] });
type IfMatch = 'none' | 'current' | 'stale';
const ifMatchArb = fc.constantFrom<IfMatch>('none', 'none', 'current', 'stale');

const brandingOf = (m: Model, tenantId: string): BrandingState => m.branding[tenantId] ?? { versions: [] };
const valuesNow = (m: Model, tenantId: string): Values => ({ ...EMPTY, ...(brandingOf(m, tenantId).versions.at(-1)?.snapshot ?? {}) }) as Values;

function ifMatchValue(m: Model, tenant: TenantState | undefined, choice: IfMatch): number | undefined {
  if (choice === 'none') return undefined;
  const now = tenant ? brandingOf(m, tenant.id).versions.length : 0;
  return choice === 'current' ? now : now + 1;
}

/** White-label now: the add-on on the subscription in force (all starter here), or with none the enterprise tenant plan. */
function holdsWhiteLabel(m: Model, tenant: TenantState): boolean {
  const subscription = m.subscriptions.find((s) => s.tenant_id === tenant.id && s.status !== 'cancelled');
  return subscription ? subscription.addons.includes('white-label') : tenant.plan === 'enterprise';
}

const path = (ref: string, rest = '') => `/v1/tenants/${encodeURIComponent(ref)}/branding${rest}`;
const view = (m: Model, tenant: TenantState) => ({ tenant_id: tenant.id, tenant_slug: tenant.slug, version: brandingOf(m, tenant.id).versions.length, white_label: holdsWhiteLabel(m, tenant), ...valuesNow(m, tenant.id) });
const withoutTime = <T extends { updated_at?: unknown }>({ updated_at: _u, ...rest }: T) => rest;

/** The change a write makes, or the refusal it gets, once the tenant was found; applies it to the model. */
function commit(ctx: StepContext<unknown>, answer: Answer, tenant: TenantState, after: Values, action: BrandingVersionState['action'], expected: number | undefined, restoredFrom: number | null = null): void {
  const { m } = ctx;
  const state = brandingOf(m, tenant.id);
  if (expected !== undefined && expected !== state.versions.length) return expectStatus(answer, 409, 'conflict');
  const before = valuesNow(m, tenant.id);
  const changes = FIELDS.filter((field) => after[field] !== before[field]);
  if (changes.some((field) => field !== 'support_email' && after[field] !== null) && !holdsWhiteLabel(m, tenant)) return expectStatus(answer, 403, 'plan_required');
  expectStatus(answer, 200);
  if (changes.length) {
    m.branding[tenant.id] = { versions: [...state.versions, { action, restored_from: restoredFrom, changes, snapshot: { ...after } }] };
    recordEvent(m, `branding.${action}`, tenant.id, tenant.id);
  }
  const body = answer.body as BrandingChange;
  expect({ ...withoutTime(body), stripped: undefined }).toEqual({ ...view(m, tenant), changes, stripped: undefined });
}

const getBranding: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', path(ref));
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(withoutTime(answer.body as Branding)).toEqual(view(m, tenant));
  },
};

const listBrandingVersions: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', path(ref, '/versions'), { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const versions = (answer.body as Page<BrandingVersion>).data.map(({ version, action, restored_from, changes }) => ({ version, action, restored_from, changes }));
    const expected = brandingOf(m, tenant.id).versions.map((v, i) => ({ version: i + 1, action: v.action, restored_from: v.restored_from, changes: v.changes })).reverse();
    expect(versions).toEqual(expected);
  },
};

const changeBranding: StepKind<{ tenant: Target; write: Write; bad: boolean; ifMatch: IfMatch }> = {
  args: fc.record({ tenant: targetArb, write: writeArb, bad: fc.nat({ max: 5 }).map((n) => n === 0), ifMatch: ifMatchArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const body: Record<string, unknown> = Object.fromEntries(Object.entries(args.write).map(([field, at]) => [field, GIVEN[field as Field][at]![0]]));
    if (args.bad) Object.assign(body, BAD);
    const answer = await call(ctx, 'PATCH', path(ref), { body, ifMatch: ifMatchValue(m, tenant, args.ifMatch) });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (args.bad || Object.keys(body).length === 0) return expectStatus(answer, 400, 'invalid');
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    const after = { ...valuesNow(m, tenant.id) };
    for (const [field, at] of Object.entries(args.write)) after[field as Field] = GIVEN[field as Field][at]![1];
    commit(ctx, answer, tenant, after, 'set', ifMatchValue(m, tenant, args.ifMatch));
  },
};

const rollbackBranding: StepKind<{ tenant: Target; version: number; ifMatch: IfMatch }> = {
  args: fc.record({ tenant: targetArb, version: fc.integer({ min: 1, max: 3 }), ifMatch: ifMatchArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', path(ref, `/versions/${args.version}/rollback`), { ifMatch: ifMatchValue(m, tenant, args.ifMatch) });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    const target = brandingOf(m, tenant.id).versions[args.version - 1];
    if (!target) return expectStatus(answer, 404, 'not_found');
    commit(ctx, answer, tenant, { ...EMPTY, ...target.snapshot } as Values, 'rollback', ifMatchValue(m, tenant, args.ifMatch), args.version);
  },
};

export const BRANDING_STEPS: Record<string, AnyStep> = { getBranding, listBrandingVersions, changeBranding, rollbackBranding };
