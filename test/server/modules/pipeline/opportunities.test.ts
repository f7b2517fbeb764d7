import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../../../src/db/transaction.js';
import { markOpportunityWon } from '../../../../src/server/modules/pipeline/service.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;

/** A reseller holding a territory over us-east and us-central, and a client with its token. */
async function seller(regions = ['us-east', 'us-central']) {
  const slug = `pipe-res-${++serial}`;
  const row = await api.admin.resellers.create({ slug, name: slug });
  if (regions.length > 0) {
    await api.admin.territories.create({ name: `T ${slug}`, regions });
    await api.admin.territories.assign(`T ${slug}`, { reseller: slug });
  }
  const token = (await api.admin.tokens.create({ role: 'reseller', reseller: slug })).token;
  return { slug, id: row.id, client: api.as(token) };
}

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('opening an opportunity', () => {
  it('in a region of the reseller\'s territories, with its first history entry', async () => {
    const r = await seller();
    const o = await r.client.opportunities.create({ prospect_name: 'Fibre Town', prospect_email: 'ops@fibre.example', region: 'us-east', value_cents: 100_005, close_date: '2027-03-31' });
    expect(o).toMatchObject({ reseller_id: r.id, reseller_slug: r.slug, stage: 'lead', probability_bps: 1000, weighted_cents: 10_001, value_cents: 100_005, quote_id: null, closed_at: null });
    expect(o.history).toEqual([expect.objectContaining({ from_stage: null, to_stage: 'lead', actor_role: 'reseller' })]);
    expect(o.territory_id).toMatch(/^ter_/);
  });

  it('outside them is 403 outside_territory, and nothing is written', async () => {
    const r = await seller();
    const none = await seller([]);
    const before = await auditCount(api);
    const res = await r.client.raw('POST', '/v1/opportunities', { body: { prospect_name: 'X', region: 'eu-west', value_cents: 1 } });
    expect(expectProblem(res, 403, 'outside_territory').detail).toMatch(/us-central, us-east/);
    const nowhere = JSON.parse((await none.client.raw('POST', '/v1/opportunities', { body: { prospect_name: 'X', region: 'us-east', value_cents: 1 } })).body);
    expect(nowhere).toMatchObject({ code: 'outside_territory' });
    expect(nowhere.detail).toMatch(/holds no territory/);
    expect(await auditCount(api)).toBe(before);
    expect((await api.admin.opportunities.list({ reseller: r.slug })).data).toEqual([]);
  });

  it('by staff names the reseller, whose territories still apply', async () => {
    const r = await seller();
    expectProblem(await api.admin.raw('POST', '/v1/opportunities', { body: { prospect_name: 'X', region: 'us-east', value_cents: 1 } }), 400, 'invalid');
    const o = await api.admin.opportunities.create({ prospect_name: 'Staff deal', region: 'us-central', value_cents: 5, reseller: r.slug, stage: 'qualified' });
    expect(o).toMatchObject({ reseller_id: r.id, stage: 'qualified', weighted_cents: 1 });
    expect(JSON.parse((await api.admin.raw('POST', '/v1/opportunities', { body: { prospect_name: 'X', region: 'eu-west', value_cents: 1, reseller: r.slug } })).body).code).toBe('outside_territory');
  });

  it('refuses bad input with 400', async () => {
    const r = await seller();
    for (const body of [
      { prospect_name: '', region: 'us-east', value_cents: 1 },
      { prospect_name: 'X', region: 'us-east', value_cents: -1 },
      { prospect_name: 'X', region: 'us-east', value_cents: 1.5 },
      { prospect_name: 'X', region: 'us-east', value_cents: 2_000_000_001 },
      { prospect_name: 'X', region: 'us-east', value_cents: 1, close_date: '2027-02-30' },
      { prospect_name: 'X', region: 'us-east', value_cents: 1, stage: 'won' },
      { prospect_name: 'X\u001b[2J', region: 'us-east', value_cents: 1 },
      { prospect_name: 'X', region: 'us-east', value_cents: 1, prospect_email: 'not-an-email' },
    ]) {
      expectProblem(await r.client.raw('POST', '/v1/opportunities', { body }), 400, 'invalid');
    }
  });
});

describe('moving an opportunity', () => {
  it('forward, back one, then won; won is final (409); each move is in the history', async () => {
    const r = await seller();
    const o = await r.client.opportunities.create({ prospect_name: 'Mover', region: 'us-east', value_cents: 333 });
    expect((await r.client.opportunities.move(o.id, { stage: 'negotiation', reason: 'budget approved' })).value).toMatchObject({ stage: 'negotiation', weighted_cents: 250 });
    expect((await r.client.opportunities.move(o.id, { stage: 'proposal' })).value.stage).toBe('proposal');
    expectProblem(await r.client.raw('POST', `/v1/opportunities/${o.id}/move`, { body: { stage: 'lead' } }), 409, 'conflict');
    const same = await r.client.opportunities.move(o.id, { stage: 'proposal' });
    expect(same.changed).toBe(false);
    const won = (await r.client.opportunities.move(o.id, { stage: 'won' })).value;
    expect(won).toMatchObject({ stage: 'won', weighted_cents: 333 });
    expect(won.closed_at).not.toBeNull();
    expectProblem(await r.client.raw('POST', `/v1/opportunities/${o.id}/move`, { body: { stage: 'lost' } }), 409, 'conflict');
    const history = (await r.client.opportunities.get(o.id)).history.map((h) => [h.from_stage, h.to_stage, h.reason]);
    expect(history).toEqual([
      [null, 'lead', null],
      ['lead', 'negotiation', 'budget approved'],
      ['negotiation', 'proposal', null],
      ['proposal', 'won', null],
    ]);
  });

  it('to lost from any open stage, and lost is final', async () => {
    const r = await seller();
    const o = await r.client.opportunities.create({ prospect_name: 'Loser', region: 'us-east', value_cents: 1000, stage: 'proposal' });
    expect((await r.client.opportunities.move(o.id, { stage: 'lost', reason: 'went with a competitor' })).value).toMatchObject({ stage: 'lost', weighted_cents: 0 });
    expectProblem(await r.client.raw('POST', `/v1/opportunities/${o.id}/move`, { body: { stage: 'negotiation' } }), 409, 'conflict');
  });

  it('markOpportunityWon (quote acceptance) wins it once, in the caller\'s transaction', async () => {
    const r = await seller();
    const o = await r.client.opportunities.create({ prospect_name: 'Quoted', region: 'us-east', value_cents: 1000, stage: 'proposal' });
    const ctx = { db: api.connection.db, dialect: api.connection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock, principal: { role: 'master_admin' as const, userId: 'usr_test', tenantId: null, resellerId: null, jti: 'x' }, requestId: 'req_test', clientRequestId: null, reason: null };
    const at = new Date('2027-01-15T12:00:00Z');
    expect(await writeTransaction(api.connection.db, api.connection.dialect, (trx) => markOpportunityWon(trx, ctx as never, o.id, at, 'quo_123'))).toBe(true);
    expect(await writeTransaction(api.connection.db, api.connection.dialect, (trx) => markOpportunityWon(trx, ctx as never, o.id, at, 'quo_123'))).toBe(false);
    const got = await r.client.opportunities.get(o.id);
    expect(got).toMatchObject({ stage: 'won', quote_id: 'quo_123' });
    expect(got.history.at(-1)).toMatchObject({ from_stage: 'proposal', to_stage: 'won', reason: 'quote accepted', at: at.toISOString() });
  });
});

describe('listing the pipeline', () => {
  it('gives weighted values and totals by stage over everything that matches, page or not', async () => {
    const r = await seller();
    const values: [number, 'lead' | 'qualified' | 'proposal' | 'negotiation'][] = [[5, 'lead'], [5, 'lead'], [2, 'qualified'], [100_005, 'proposal'], [333, 'negotiation']];
    for (const [value_cents, stage] of values) await r.client.opportunities.create({ prospect_name: 'P', region: 'us-east', value_cents, stage });
    const page = await r.client.opportunities.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.next_cursor).not.toBeNull();
    const byStage = Object.fromEntries(page.totals.map((t) => [t.stage, [t.count, t.value_cents, t.weighted_cents]]));
    // sums of each line's rounded weighted value: 0.5 + 0.5 → 1 + 1
    expect(byStage).toEqual({ lead: [2, 10, 2], qualified: [1, 2, 1], proposal: [1, 100_005, 50_003], negotiation: [1, 333, 250], won: [0, 0, 0], lost: [0, 0, 0] });
    expect(page.total).toEqual({ count: 5, value_cents: 100_350, weighted_cents: 50_256 });
    const proposals = await r.client.opportunities.list({ stage: 'proposal' });
    expect(proposals.data.map((o) => o.stage)).toEqual(['proposal']);
    expect(proposals.total.count).toBe(1);
  });
});

describe('isolation', () => {
  it('a reseller sees and moves only its own (404 otherwise); a tenant admin is refused', async () => {
    const a = await seller();
    const b = await seller();
    const mine = await a.client.opportunities.create({ prospect_name: 'Mine', region: 'us-east', value_cents: 1 });
    expectProblem(await b.client.raw('GET', `/v1/opportunities/${mine.id}`), 404, 'not_found');
    expectProblem(await b.client.raw('POST', `/v1/opportunities/${mine.id}/move`, { body: { stage: 'lost' } }), 404, 'not_found');
    expect((await b.client.opportunities.list()).data.map((o) => o.id)).not.toContain(mine.id);
    expectProblem(await b.client.raw('GET', '/v1/opportunities', { query: { reseller: a.slug } }), 404, 'not_found');
    expectProblem(await b.client.raw('POST', '/v1/opportunities', { body: { prospect_name: 'X', region: 'us-east', value_cents: 1, reseller: a.slug } }), 404, 'not_found');
    expect((await api.admin.opportunities.get(mine.id)).id).toBe(mine.id);
    await api.admin.tenants.create({ slug: `pipe-ten-${++serial}`, name: 'T' });
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: `pipe-ten-${serial}` })).token);
    expectProblem(await admin.raw('GET', '/v1/opportunities'), 403, 'forbidden');
  });
});
