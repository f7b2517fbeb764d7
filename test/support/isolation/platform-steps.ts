import fc from 'fast-check';
import { expect } from 'vitest';
import type { AuditEvent, IssuedToken, Me, Overview, Reseller, Token } from '../../../src/client/types.js';
import { RESELLER_TIERS } from '../../../src/db/tables/resellers.js';
import { TENANT_PLANS, TENANT_STATUSES } from '../../../src/db/tables/tenants.js';
import { ROLES, type Role } from '../../../src/server/auth/principal.js';
import { byId, eventOf, overviewFor, recordEvent, resellerById, seesEvent, seesReseller, seesTenant, tenantById, type EventState, type Model, type Principal, type ResellerState, tenantScoped } from './model.js';
import { call, expectStatus, gate, nameArb, pickReseller, pickTenant, pickToken, slugArb, slugOf, targetArb, type AnyStep, type SlugChoice, type StepKind, type Target } from './step.js';

/** Steps on resellers, tokens, the audit trail and the overview. */

const resellerView = ({ created_at: _c, updated_at: _u, ...rest }: Reseller) => rest;

const listResellers: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/resellers', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect((answer.body as { data: Reseller[] }).data.map(resellerView)).toEqual(byId(m.resellers.filter((r) => seesReseller(p, r))));
  },
};

const getReseller: StepKind<{ reseller: Target }> = {
  args: fc.record({ reseller: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { reseller, ref } = pickReseller(m, ctx.args.reseller, (r) => seesReseller(p, r));
    const answer = await call(ctx, 'GET', `/v1/resellers/${encodeURIComponent(ref)}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller || !seesReseller(p, reseller)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(resellerView(answer.body as Reseller)).toEqual(reseller);
  },
};

const createReseller: StepKind<{ slug: SlugChoice; name: string; tier: (typeof RESELLER_TIERS)[number]; territory: string | null }> = {
  args: fc.record({ slug: slugArb, name: nameArb, tier: fc.constantFrom(...RESELLER_TIERS), territory: fc.constantFrom(null, 'East Africa') }),
  async perform(ctx) {
    const { m, r, args } = ctx;
    const slug = slugOf(m, r, args.slug);
    const answer = await call(ctx, 'POST', '/v1/resellers', { body: { slug, name: args.name, tier: args.tier, territory: args.territory } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (m.resellers.some((x) => x.slug === slug)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const reseller: ResellerState = {
      id: (answer.body as Reseller).id,
      slug,
      name: args.name,
      territory: args.territory,
      tier: args.tier,
      tier_source: 'manual',
      kind: 'reseller',
      quota_cents: null,
      default_commission_bps: null,
      lifetime_revenue_cents: 0,
    };
    expect(resellerView(answer.body as Reseller)).toEqual(reseller);
    m.resellers.push(reseller);
    recordEvent(m, 'reseller.create', reseller.id, null, reseller.id);
  },
};

const getMe: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/me');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect(answer.body as Me).toMatchObject({
      role: p.role,
      jti: p.jti,
      tenant_id: p.tenantId,
      tenant_slug: tenantById(m, p.tenantId)?.slug ?? null,
      reseller_id: p.resellerId,
      reseller_slug: resellerById(m, p.resellerId)?.slug ?? null,
    });
  },
};

const tokenView = (t: Token) => ({ jti: t.jti, role: t.role, tenant_id: t.tenant_id, reseller_id: t.reseller_id, revoked: t.revoked_at !== null });

const createToken: StepKind<{ role: Role; scope: Target }> = {
  args: fc.record({ role: fc.constantFrom(...ROLES), scope: targetArb }),
  async perform(ctx) {
    const { m, args } = ctx;
    const tenant = args.role === 'tenant_admin' || args.role === 'instance' ? pickTenant(m, args.scope, () => true) : undefined;
    const reseller = args.role === 'reseller' ? pickReseller(m, args.scope, () => true) : undefined;
    const body = { role: args.role, ...(tenant ? { tenant: tenant.ref } : {}), ...(reseller ? { reseller: reseller.ref } : {}) };
    const answer = await call(ctx, 'POST', '/v1/tokens', { body });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    // A token for a tenant that is cancelled is still issued; it just never works.
    if ((tenant && !tenant.tenant) || (reseller && !reseller.reseller)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 201);
    const issued = answer.body as IssuedToken;
    const token = { jti: issued.jti, role: args.role, tenant_id: tenant?.tenant?.id ?? null, reseller_id: reseller?.reseller?.id ?? null, revoked: false };
    expect(tokenView(issued)).toEqual(token);
    m.tokens.push(token);
    recordEvent(m, 'token.create', token.jti, token.tenant_id, token.reseller_id ?? undefined);
  },
};

const listTokens: StepKind<{ includeRevoked: boolean }> = {
  args: fc.record({ includeRevoked: fc.boolean() }),
  async perform(ctx) {
    const { m, args } = ctx;
    const answer = await call(ctx, 'GET', '/v1/tokens', { query: { limit: 500, include_revoked: String(args.includeRevoked) } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const expected = m.tokens.filter((t) => args.includeRevoked || !t.revoked).sort((a, b) => (a.jti < b.jti ? -1 : 1));
    expect((answer.body as { data: Token[] }).data.map(tokenView)).toEqual(expected);
  },
};

const revokeToken: StepKind<{ token: Target }> = {
  args: fc.record({ token: targetArb }),
  async perform(ctx) {
    const { m, args } = ctx;
    const token = pickToken(m, args.token);
    const answer = await call(ctx, 'DELETE', `/v1/tokens/${encodeURIComponent(token?.jti ?? 'tok_unknown')}`);
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!token) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    if (!token.revoked) {
      token.revoked = true;
      recordEvent(m, 'token.revoke', token.jti, token.tenant_id, token.reseller_id ?? undefined);
    }
    expect(tokenView(answer.body as Token)).toEqual(token);
  },
};

type AuditFilter = { tenant: Target } | { target: 'tenant' | 'reseller' | 'token'; pick: Target } | Record<string, never>;
const auditFilterArb: fc.Arbitrary<AuditFilter> = fc.oneof(
  fc.constant({}),
  fc.record({ tenant: targetArb }),
  fc.record({ target: fc.constantFrom('tenant' as const, 'reseller' as const, 'token' as const), pick: targetArb }),
);

/** What an audit filter names, as the request writes it, and the ids it stands for that the caller may see. */
function auditFilter(m: Model, p: Principal, filter: AuditFilter): { query: Record<string, string>; ids: string[] } | undefined {
  if ('tenant' in filter) {
    const { tenant, ref } = pickTenant(m, filter.tenant, (t) => seesTenant(p, t));
    return { query: { tenant: ref }, ids: tenant && seesTenant(p, tenant) ? [tenant.id] : [] };
  }
  if (!('target' in filter)) return undefined;
  if (filter.target === 'token') {
    const token = pickToken(m, filter.pick);
    // A token belongs to its tenant or its reseller (or the platform): staff see all, others their own.
    const sees = !!token && (p.role === 'master_admin' || (tenantScoped(p) ? token.tenant_id === p.tenantId : token.reseller_id === p.resellerId));
    return { query: { target: token?.jti ?? 'tok_unknown' }, ids: sees ? [token.jti] : [] };
  }
  const { ref } = filter.target === 'tenant' ? pickTenant(m, filter.pick, (t) => seesTenant(p, t)) : pickReseller(m, filter.pick, (r) => seesReseller(p, r));
  const tenants = m.tenants.filter((t) => seesTenant(p, t));
  const resellers = m.resellers.filter((r) => seesReseller(p, r));
  if (ref.startsWith('ten_')) return { query: { target: ref }, ids: tenants.filter((t) => t.id === ref).map((t) => t.id) };
  if (ref.startsWith('res_')) return { query: { target: ref }, ids: resellers.filter((r) => r.id === ref).map((r) => r.id) };
  // A slug may name a tenant and a reseller at once; both count.
  return { query: { target: ref }, ids: [...tenants, ...resellers].filter((row) => row.slug === ref).map((row) => row.id) };
}

/** The newest events the caller may see (of a tenant, or about an object), down to where the sequence began: exactly the model's, newest first. */
const listAuditEvents: StepKind<{ filter: AuditFilter }> = {
  args: fc.record({ filter: auditFilterArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const filter = auditFilter(m, p, ctx.args.filter);
    const answer = await call(ctx, 'GET', '/v1/audit', { query: { limit: 500, ...filter?.query } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (filter && filter.ids.length === 0) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const recent = (answer.body as { data: AuditEvent[] }).data.filter((e) => e.seq > m.baseSeq);
    const wanted = (e: EventState) => !filter || ('tenant' in ctx.args.filter ? filter.ids.includes(e.tenant_id ?? '') : filter.ids.includes(e.target_id ?? ''));
    expect(recent.map(eventOf)).toEqual(m.events.filter((e) => seesEvent(p, e) && wanted(e)).reverse());
  },
};

const verifyAuditChain: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const answer = await call(ctx, 'GET', '/v1/audit/verify');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ ok: true, checked: ctx.m.baseSeq + ctx.m.events.length, broken_at: null });
  },
};

const getOverview: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const answer = await call(ctx, 'GET', '/v1/overview');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const overview = answer.body as Overview;
    const expected = overviewFor(ctx.m, ctx.p, TENANT_STATUSES, TENANT_PLANS);
    expect(overview.role).toBe(ctx.p.role);
    if (overview.role === 'master_admin') {
      expect({ tenants: overview.tenants, by_status: overview.by_status, by_plan: overview.by_plan }).toEqual({ tenants: expected.tenants, by_status: expected.by_status, by_plan: expected.by_plan });
    } else if (overview.role === 'tenant_admin') {
      expect(overview.tenant.id).toBe(ctx.p.tenantId);
      expect(overview.branding.tenant_id).toBe(ctx.p.tenantId);
      // a tenant admin never reads another tenant's name or slug anywhere in its overview
      const text = JSON.stringify(overview);
      for (const other of ctx.m.tenants.filter((t) => t.id !== ctx.p.tenantId)) expect(text.includes(other.id), `mentions ${other.id}`).toBe(false);
    } else {
      expect(overview.reseller.id).toBe(ctx.p.resellerId);
      const customers = ctx.m.tenants.filter((t) => seesTenant(ctx.p, t) && t.status !== 'cancelled').length;
      expect(overview.customers.tenants).toBe(customers);
      expect(overview.customers.by_band.reduce((sum, b) => sum + b.tenants, 0)).toBe(customers);
    }
  },
};

type DistributionName = 'subscribers-by-plan' | 'uptime-by-region' | 'tickets-by-region';

/** A distribution to a non-master caller holds no group of 1 to 4 tenants outside its scope; the model knows regions, not the figures. */
const distributionStep = (name: DistributionName): StepKind<Record<string, never>> => ({
  args: fc.constant({}),
  async perform(ctx) {
    const answer = await call(ctx, 'GET', `/v1/analytics/${name}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const body = answer.body as { groups: { key: string; tenants: number }[]; suppressed_groups: number };
    if (name === 'tickets-by-region') {
      // every tenant not cancelled counts in its region's group, ticket or none
      const live = ctx.m.tenants.filter((t) => t.status !== 'cancelled');
      const regions = [...new Set(live.map((t) => t.region))].sort();
      const shown = regions.filter((region) => {
        const inRegion = live.filter((t) => t.region === region);
        const others = inRegion.filter((t) => !seesTenant(ctx.p, t)).length;
        return ctx.p.role === 'master_admin' || others === 0 || others >= 5;
      });
      expect(body.groups.map((g) => g.key)).toEqual(shown);
      expect(body.suppressed_groups).toBe(regions.length - shown.length);
      for (const g of body.groups) expect(g.tenants).toBe(live.filter((t) => t.region === g.key).length);
    }
    if (ctx.p.role !== 'master_admin') expect(JSON.stringify(body)).not.toMatch(/ten_|res_/);
  },
});

export const PLATFORM_STEPS: Record<string, AnyStep> = {
  listResellers,
  getReseller,
  createReseller,
  getMe,
  createToken,
  listTokens,
  revokeToken,
  listAuditEvents,
  verifyAuditChain,
  getOverview,
  getSubscribersByPlan: distributionStep('subscribers-by-plan'),
  getUptimeByRegion: distributionStep('uptime-by-region'),
  getTicketsByRegion: distributionStep('tickets-by-region'),
};
