import fc from 'fast-check';
import { expect } from 'vitest';
import type { CustomerHealthList, NpsResponse, OpportunityDetail, OpportunityPage, Territory, TerritoryList } from '../../../src/client/types.js';
import { byId, recordEvent, seesTenant, type Model, type OpportunityState } from './model.js';
import { call, expectStatus, gate, pickReseller, pickTenant, targetArb, type AnyStep, type StepKind, type Target } from './step.js';

/**
 * Steps on territories, the pipeline and customer health, with the rules restated: a territory has
 * at most one holder; a reseller opens opportunities only in its territories' regions (403
 * outside_territory), sees and moves only its own (404); stages move forward, back one, or to
 * lost, and won and lost are final (409). A tenant admin has no pipeline (403).
 */

const REGIONS = ['iso-a', 'iso-b', 'iso-c'] as const;
const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
type Stage = (typeof STAGES)[number];

const seesOwn = (p: { role: string; resellerId: string | null }, row: { reseller_id: string | null }) =>
  p.role === 'master_admin' || (p.role === 'reseller' && row.reseller_id !== null && row.reseller_id === p.resellerId);

function pick<T extends { id: string }>(rows: T[], target: Target, visible: (row: T) => boolean): T | undefined {
  if (target === 'unknown') return undefined;
  const all = byId(rows);
  const pool = target.own && all.some(visible) ? all.filter(visible) : all;
  return pool[target.pick % Math.max(pool.length, 1)];
}

const regionsOf = (m: Model, resellerId: string) => new Set(m.territories.filter((t) => t.reseller_id === resellerId).flatMap((t) => t.regions));

/** The move rule, restated: null when allowed ('same' when nothing changes), else why not. */
function moveRule(from: Stage, to: Stage): 'same' | 'ok' | 'refused' {
  if (from === to) return 'same';
  if (from === 'won' || from === 'lost') return 'refused';
  if (to === 'lost') return 'ok';
  const order = ['lead', 'qualified', 'proposal', 'negotiation', 'won'];
  const [a, b] = [order.indexOf(from), order.indexOf(to)];
  return b > a || b === a - 1 ? 'ok' : 'refused';
}

const listTerritories: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/territories');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const rows = (answer.body as TerritoryList).data;
    expect(rows.map((t) => t.id).sort()).toEqual(m.territories.filter((t) => seesOwn(p, t)).map((t) => t.id).sort());
    for (const row of rows) expect(row.overlaps === undefined).toBe(p.role !== 'master_admin');
  },
};

const createTerritory: StepKind<{ name: 'fresh' | number; regions: string[] }> = {
  args: fc.record({ name: fc.oneof({ weight: 4, arbitrary: fc.constant('fresh' as const) }, { weight: 1, arbitrary: fc.nat({ max: 20 }) }), regions: fc.subarray([...REGIONS], { minLength: 1 }) }),
  async perform(ctx) {
    const { m, r, args } = ctx;
    const taken = args.name !== 'fresh' && m.territories.length > 0 ? byId(m.territories)[args.name % m.territories.length]!.name : undefined;
    const name = taken ?? `Territory ${r.serial.next++}`;
    const answer = await call(ctx, 'POST', '/v1/territories', { body: { name, regions: args.regions } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (taken) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 201);
    const created = answer.body as Territory;
    expect(created).toMatchObject({ name, regions: [...args.regions].sort(), reseller_id: null });
    m.territories.push({ id: created.id, name, regions: [...args.regions].sort(), reseller_id: null });
    recordEvent(m, 'territory.create', created.id, null, null);
  },
};

const assignTerritory: StepKind<{ territory: Target; reseller: Target | null }> = {
  args: fc.record({ territory: targetArb, reseller: fc.option(targetArb, { freq: 4 }) }),
  async perform(ctx) {
    const { m, args } = ctx;
    const territory = pick(m.territories, args.territory, () => true);
    const ref = territory && args.territory !== 'unknown' ? (args.territory.form === 'slug' ? territory.name : territory.id) : 'no-such-territory';
    const { reseller, ref: resellerRef } = args.reseller === null ? { reseller: null, ref: null } : pickReseller(m, args.reseller, () => true);
    const answer = await call(ctx, 'POST', `/v1/territories/${encodeURIComponent(ref)}/assign`, { body: { reseller: resellerRef } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!territory || reseller === undefined) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const to = reseller?.id ?? null;
    expect((answer.body as Territory).reseller_id).toBe(to);
    if (territory.reseller_id === to) return;
    recordEvent(m, to ? 'territory.assign' : 'territory.unassign', territory.id, null, to ?? territory.reseller_id);
    territory.reseller_id = to;
  },
};

const listOpportunities: StepKind<{ stage: Stage | null }> = {
  args: fc.record({ stage: fc.option(fc.constantFrom(...STAGES)) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const answer = await call(ctx, 'GET', '/v1/opportunities', { query: { limit: 500, stage: args.stage ?? undefined } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const page = answer.body as OpportunityPage;
    const expected = m.opportunities.filter((o) => seesOwn(p, o) && (!args.stage || o.stage === args.stage));
    expect(page.data.map((o) => o.id).sort()).toEqual(expected.map((o) => o.id).sort());
    expect(page.total.count).toBe(expected.length);
    expect(page.total.value_cents).toBe(expected.reduce((sum, o) => sum + o.value_cents, 0));
  },
};

const createOpportunity: StepKind<{ region: string; reseller: Target; named: boolean; value: number }> = {
  args: fc.record({ region: fc.constantFrom(...REGIONS, 'iso-z'), reseller: targetArb, named: fc.boolean(), value: fc.nat({ max: 1_000_000 }) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    // staff always name the seller; a reseller sometimes names one (itself, or another: 404)
    const named = p.role === 'master_admin' || args.named;
    const { reseller, ref } = named ? pickReseller(m, args.reseller, (r) => seesOwn(p, { reseller_id: r.id })) : { reseller: m.resellers.find((r) => r.id === p.resellerId), ref: undefined };
    const answer = await call(ctx, 'POST', '/v1/opportunities', { body: { prospect_name: 'Model prospect', region: args.region, value_cents: args.value, ...(named ? { reseller: ref } : {}) } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!reseller || !seesOwn(p, { reseller_id: reseller.id })) return expectStatus(answer, 404, 'not_found');
    if (!regionsOf(m, reseller.id).has(args.region)) return expectStatus(answer, 403, 'outside_territory');
    expectStatus(answer, 201);
    const created = answer.body as OpportunityDetail;
    expect(created).toMatchObject({ reseller_id: reseller.id, region: args.region, stage: 'lead', value_cents: args.value });
    m.opportunities.push({ id: created.id, reseller_id: reseller.id, stage: 'lead', value_cents: args.value, region: args.region });
    recordEvent(m, 'opportunity.create', created.id, null, reseller.id);
  },
};

function pickOpportunity(m: Model, target: Target, visible: (o: OpportunityState) => boolean): { opportunity?: OpportunityState; ref: string } {
  const opportunity = pick(m.opportunities, target, visible);
  return opportunity ? { opportunity, ref: opportunity.id } : { ref: 'opp_00000000000000000000000000' };
}

const getOpportunity: StepKind<{ opportunity: Target }> = {
  args: fc.record({ opportunity: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { opportunity, ref } = pickOpportunity(m, args.opportunity, (o) => seesOwn(p, o));
    const answer = await call(ctx, 'GET', `/v1/opportunities/${ref}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!opportunity || !seesOwn(p, opportunity)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ id: opportunity.id, reseller_id: opportunity.reseller_id, stage: opportunity.stage });
  },
};

const moveOpportunity: StepKind<{ opportunity: Target; stage: Stage }> = {
  args: fc.record({ opportunity: targetArb, stage: fc.constantFrom(...STAGES) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { opportunity, ref } = pickOpportunity(m, args.opportunity, (o) => seesOwn(p, o));
    const answer = await call(ctx, 'POST', `/v1/opportunities/${ref}/move`, { body: { stage: args.stage } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!opportunity || !seesOwn(p, opportunity)) return expectStatus(answer, 404, 'not_found');
    const rule = moveRule(opportunity.stage, args.stage);
    if (rule === 'refused') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    expect((answer.body as OpportunityDetail).stage).toBe(args.stage);
    if (rule === 'same') return;
    recordEvent(m, 'opportunity.move', opportunity.id, null, opportunity.reseller_id);
    opportunity.stage = args.stage;
  },
};

const listCustomerHealth: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/customers/health');
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const rows = (answer.body as CustomerHealthList).data;
    expect(rows.map((h) => h.tenant_id).sort()).toEqual(m.tenants.filter((t) => seesTenant(p, t) && t.status !== 'cancelled').map((t) => t.id).sort());
    for (const row of rows) expect(row.components).toHaveLength(6);
  },
};

const recordNps: StepKind<{ tenant: Target; score: number }> = {
  args: fc.record({ tenant: targetArb, score: fc.constantFrom(0, 7, 10, 11) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', `/v1/tenants/${encodeURIComponent(ref)}/nps`, { body: { score: args.score } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (args.score > 10) return expectStatus(answer, 400, 'invalid');
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 201);
    expect(answer.body as NpsResponse).toMatchObject({ tenant_id: tenant.id, score: args.score });
    recordEvent(m, 'nps.record', tenant.id, tenant.id);
  },
};

export const PIPELINE_STEPS: Record<string, AnyStep> = {
  listTerritories,
  createTerritory,
  assignTerritory,
  listOpportunities,
  createOpportunity,
  getOpportunity,
  moveOpportunity,
  listCustomerHealth,
  recordNps,
};
