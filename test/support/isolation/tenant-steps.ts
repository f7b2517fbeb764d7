import fc from 'fast-check';
import { expect } from 'vitest';
import type { Tenant } from '../../../src/client/types.js';
import { TENANT_PLANS, TENANT_STATUSES, type TenantStatus } from '../../../src/db/tables/tenants.js';
import type { Role } from '../../../src/server/auth/principal.js';
import { byId, recordEvent, seesReseller, seesTenant, tenantById, tenantView, type Model, type Principal, type ResellerState, type TenantState, tenantScoped } from './model.js';
import { call, emailArb, expectStatus, gate, nameArb, pickReseller, pickTenant, slugArb, slugOf, targetArb, type AnyStep, type Answer, type SlugChoice, type StepKind, type Target } from './step.js';

/** Steps on tenants: each predicts the answer from the model, checks it, and applies the change to the model. */

const expectTenant = (m: Model, answer: Answer, tenant: TenantState) => expect(withoutTimes(answer.body as Tenant), answer.text).toEqual(tenantView(m, tenant));
const withoutTimes = ({ created_at: _c, updated_at: _u, ...rest }: Tenant) => rest;

/** Who may change what through an update (DESIGN §4): status only through its verbs. */
const WRITABLE: Record<Role, readonly string[]> = {
  master_admin: ['name', 'plan', 'region', 'reseller', 'contact_email'],
  reseller: ['name', 'contact_email'],
  tenant_admin: ['name', 'contact_email'],
  // the update route is closed to instance agents; nothing would be writable if it were not
  instance: [],
};

/**
 * A reseller filter names a reseller the caller can see: staff any, a reseller itself, a tenant
 * admin its tenant's; any other is 404 rather than an empty page.
 */
function seesResellerFilter(m: Model, p: Principal, reseller: ResellerState | undefined): boolean {
  if (!reseller) return false;
  if (tenantScoped(p)) return tenantById(m, p.tenantId)?.reseller_id === reseller.id;
  return seesReseller(p, reseller);
}

const listTenants: StepKind<{ status?: TenantStatus; reseller?: Target; limit: number }> = {
  args: fc.record(
    { status: fc.constantFrom(...TENANT_STATUSES), reseller: targetArb, limit: fc.constantFrom(2, 500) },
    { requiredKeys: ['limit'] },
  ),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const filter = args.reseller === undefined ? undefined : pickReseller(m, args.reseller, (r) => seesResellerFilter(m, p, r));
    const seen: Tenant[] = [];
    let cursor: string | undefined;
    do {
      const answer = await call(ctx, 'GET', '/v1/tenants', { query: { status: args.status, reseller: filter?.ref, limit: args.limit, cursor } });
      const refused = gate(ctx, false);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (filter && !seesResellerFilter(m, p, filter.reseller)) return expectStatus(answer, 404, 'not_found');
      expectStatus(answer, 200);
      const page = answer.body as { data: Tenant[]; next_cursor: string | null };
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const expected = byId(m.tenants.filter((t) => seesTenant(p, t) && (!args.status || t.status === args.status) && (!filter || t.reseller_id === filter.reseller?.id)));
    expect(seen.map(withoutTimes)).toEqual(expected.map((t) => tenantView(m, t)));
  },
};

const getTenant: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { tenant, ref } = pickTenant(m, ctx.args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', `/v1/tenants/${encodeURIComponent(ref)}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expectTenant(m, answer, tenant);
  },
};

type ResellerChoice = 'none' | 'unknown' | { pick: number };
const resellerChoiceArb: fc.Arbitrary<ResellerChoice> = fc.oneof(fc.constant('none' as const), fc.constant('unknown' as const), fc.record({ pick: fc.nat({ max: 20 }) }));

function resellerRef(m: Model, choice: ResellerChoice): { ref: string | null; id?: string | null } {
  if (choice === 'none') return { ref: null, id: null };
  if (choice === 'unknown') return { ref: 'no-such-reseller' };
  const reseller = byId(m.resellers)[choice.pick % m.resellers.length]!;
  return { ref: reseller.slug, id: reseller.id };
}

const createTenant: StepKind<{ slug: SlugChoice; reseller: ResellerChoice; name: string; plan: (typeof TENANT_PLANS)[number]; email: string | null }> = {
  args: fc.record({ slug: slugArb, reseller: resellerChoiceArb, name: nameArb, plan: fc.constantFrom(...TENANT_PLANS), email: emailArb }),
  async perform(ctx) {
    const { m, p, r, args } = ctx;
    const slug = slugOf(m, r, args.slug);
    const owner = resellerRef(m, args.reseller);
    const body = { slug, name: args.name, plan: args.plan, contact_email: args.email, ...(owner.ref !== null ? { reseller: owner.ref } : {}) };
    const answer = await call(ctx, 'POST', '/v1/tenants', { body });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    let resellerId: string | null;
    if (p.role === 'reseller') {
      // A reseller creates for itself; naming another reseller is refused.
      if (owner.ref !== null && owner.id !== p.resellerId) return expectStatus(answer, 403, 'forbidden');
      resellerId = p.resellerId;
    } else {
      if (owner.id === undefined) return expectStatus(answer, 400, 'invalid');
      resellerId = owner.id;
    }
    if (m.tenants.some((t) => t.slug === slug)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const created = answer.body as Tenant;
    const tenant: TenantState = { id: created.id, slug, name: args.name, status: 'active', plan: args.plan, region: 'eu-west', reseller_id: resellerId, contact_email: args.email, version: 1 };
    m.tenants.push(tenant);
    expectTenant(m, answer, tenant);
    recordEvent(m, 'tenant.create', tenant.id, tenant.id);
  },
};

interface UpdateArgs {
  tenant: Target;
  name?: string;
  plan?: (typeof TENANT_PLANS)[number];
  region?: string;
  reseller?: ResellerChoice;
  contact_email?: string | null;
}

const updateTenant: StepKind<UpdateArgs> = {
  // Half the time only the fields every role may change, or a tenant admin would almost never get through.
  args: fc.oneof(
    fc.record({ tenant: targetArb, name: nameArb, contact_email: emailArb }, { requiredKeys: ['tenant'] }),
    fc.record(
      { tenant: targetArb, name: nameArb, plan: fc.constantFrom(...TENANT_PLANS), region: fc.constantFrom('eu-west', 'af-east'), reseller: resellerChoiceArb, contact_email: emailArb },
      { requiredKeys: ['tenant'] },
    ),
  ),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const { tenant: _pick, reseller: choice, ...fields } = args;
    const owner = choice === undefined ? undefined : resellerRef(m, choice);
    const body: Record<string, unknown> = { ...fields, ...(owner ? { reseller: owner.ref } : {}) };
    const answer = await call(ctx, 'PATCH', `/v1/tenants/${encodeURIComponent(ref)}`, { body });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (Object.keys(body).some((key) => !WRITABLE[p.role].includes(key))) return expectStatus(answer, 403, 'forbidden');
    if (owner && owner.id === undefined) return expectStatus(answer, 400, 'invalid');
    const wanted: Partial<TenantState> = { ...fields, ...(owner ? { reseller_id: owner.id } : {}) };
    const changes = Object.entries(wanted).filter(([key, value]) => tenant[key as keyof TenantState] !== value);
    expectStatus(answer, 200);
    if (changes.length > 0) {
      Object.assign(tenant, Object.fromEntries(changes), { version: tenant.version + 1 });
      recordEvent(m, 'tenant.update', tenant.id, tenant.id);
    }
    expectTenant(m, answer, tenant);
  },
};

/** suspend, resume and delete (cancel): pending → provisioning → active ⇄ suspended → cancelled. */
function statusStep(method: string, verb: string, transition: string, from: readonly TenantStatus[], to: TenantStatus): StepKind<{ tenant: Target }> {
  return {
    args: fc.record({ tenant: targetArb }),
    async perform(ctx) {
      const { m, p } = ctx;
      const { tenant, ref } = pickTenant(m, ctx.args.tenant, (t) => seesTenant(p, t));
      const answer = await call(ctx, method, `/v1/tenants/${encodeURIComponent(ref)}${verb}`);
      const refused = gate(ctx, true);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
      if (tenant.status !== to && !from.includes(tenant.status)) return expectStatus(answer, 409, 'conflict');
      expectStatus(answer, 200);
      if (tenant.status !== to) {
        Object.assign(tenant, { status: to, version: tenant.version + 1 });
        recordEvent(m, `tenant.${transition}`, tenant.id, tenant.id);
      }
      expectTenant(m, answer, tenant);
    },
  };
}

export const TENANT_STEPS: Record<string, AnyStep> = {
  listTenants,
  getTenant,
  createTenant,
  updateTenant,
  suspendTenant: statusStep('POST', '/suspend', 'suspend', ['active'], 'suspended'),
  resumeTenant: statusStep('POST', '/resume', 'resume', ['suspended'], 'active'),
  deleteTenant: statusStep('DELETE', '', 'cancel', ['pending', 'provisioning', 'active', 'suspended'], 'cancelled'),
};
