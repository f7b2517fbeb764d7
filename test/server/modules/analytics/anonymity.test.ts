import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymise, K_ANONYMITY, showable } from '../../../../src/server/modules/analytics/anonymity.js';
import type { Role } from '../../../../src/server/auth/principal.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';

const NON_MASTER: Role[] = ['tenant_admin', 'reseller'];

describe('k-anonymity rule', () => {
  it('shows a non-master caller only groups with no other tenants or at least 5 of them, and counts the rest (property)', () => {
    const group = fc.record({ key: fc.string(), own: fc.nat(12), others: fc.nat(12) }).map((g) => ({ key: g.key, own: g.own, tenants: g.own + g.others })).filter((g) => g.tenants > 0);
    fc.assert(
      fc.property(fc.constantFrom(...NON_MASTER), fc.array(group, { maxLength: 20 }), (role, groups) => {
        const answer = anonymise(role, groups);
        const leftOut = groups.filter((g) => g.tenants - g.own > 0 && g.tenants - g.own < K_ANONYMITY);
        expect(answer.suppressed_groups).toBe(leftOut.length);
        expect(answer.groups).toHaveLength(groups.length - leftOut.length);
        for (const g of answer.groups) expect(g).not.toHaveProperty('own');
      }),
    );
  });

  it('counts only the others: a reseller with 3 of a group of 6 does not see it (1 + its own could be subtracted)', () => {
    expect(showable('reseller', { tenants: 6, own: 3 })).toBe(false);
    expect(showable('reseller', { tenants: 8, own: 3 })).toBe(true);
    expect(showable('tenant_admin', { tenants: 5, own: 1 })).toBe(false);
    expect(showable('tenant_admin', { tenants: 1, own: 1 })).toBe(true);
    expect(showable('master_admin', { tenants: 1, own: 1 })).toBe(true);
  });
});

/** Random tenants (some of a reseller, each in a region made for the run or a shared one) with random tickets, written straight into the database. */
describe('tickets-by-region through the API, over random data (property)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it('never shows a non-master caller a group of 1–4 tenants outside its scope, and suppressed_groups counts exactly those', { timeout: 120_000 }, async () => {
    const db = api.connection.db;
    const now = api.clock.now().toISOString();
    let run = 0;
    const reseller = { id: 'res_01kanonymity0000000000000', slug: 'k-anon', name: 'K Anon' };
    await db.insertInto('resellers').values({ ...reseller, territory: 'Anywhere', tier: 'bronze', tier_source: 'manual', created_at: now, updated_at: now } as never).execute();
    const resellerToken = (await api.admin.tokens.create({ role: 'reseller', reseller: reseller.slug })).token;
    const tenantArb = fc.record({ region: fc.nat(5), mine: fc.boolean(), cancelled: fc.boolean(), tickets: fc.array(fc.record({ open: fc.boolean(), breached: fc.boolean() }), { maxLength: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(tenantArb, { minLength: 1, maxLength: 14 }), fc.nat(13), async (tenants, callerPick) => {
        run++;
        const ids: string[] = [];
        for (const [i, t] of tenants.entries()) {
          const id = `ten_01kanon${String(run).padStart(4, '0')}${String(i).padStart(4, '0')}xxxxxxxxxx`.slice(0, 30);
          ids.push(id);
          await db
            .insertInto('tenants')
            .values({ id, slug: `kanon-${run}-${i}`, name: `K ${run} ${i}`, status: t.cancelled ? 'cancelled' : 'active', plan: 'starter', region: t.region === 0 ? 'shared' : `r${run}-${t.region}`, reseller_id: t.mine ? reseller.id : null, contact_email: null, created_at: now, updated_at: now })
            .execute();
          for (const [j, k] of t.tickets.entries()) {
            await db
              .insertInto('tickets')
              .values({ id: `tkt_${id}_${j}`, tenant_id: id, subject: 's', body: null, priority: 'p3', status: k.open ? 'open' : 'closed', assignee: null, created_by: 'test', created_role: 'tenant_admin', created_at: now, updated_at: now, sla_started_at: now, response_due_at: null, responded_at: null, breaches: k.breached ? 1 : 0, last_breach_at: null, resolved_at: null, closed_at: null, csat: null })
              .execute();
          }
        }
        // a cancelled tenant's tokens stop working: the tenant admin is one of the live tenants, if any
        const live = ids.filter((_, i) => !tenants[i]!.cancelled);
        const home = live[callerPick % Math.max(1, live.length)] ?? null;
        const tenantToken = home ? (await api.admin.tokens.create({ role: 'tenant_admin', tenant: home })).token : null;
        const all = await db.selectFrom('tenants').select(['id', 'region', 'reseller_id']).where('status', '<>', 'cancelled').execute();
        for (const [role, token, own] of [
          ['tenant_admin', tenantToken, (t: (typeof all)[number]) => t.id === home],
          ['reseller', resellerToken, (t: (typeof all)[number]) => t.reseller_id === reseller.id],
        ] as const) {
          if (token === null) continue;
          const answer = await api.as(token).analytics.distribution('tickets-by-region');
          const regions = [...new Set(all.map((t) => t.region))];
          const othersIn = (region: string) => all.filter((t) => t.region === region && !own(t)).length;
          const leftOut = regions.filter((r) => othersIn(r) > 0 && othersIn(r) < K_ANONYMITY);
          expect(answer.suppressed_groups, role).toBe(leftOut.length);
          expect(answer.groups.map((g) => g.key).sort(), role).toEqual(regions.filter((r) => !leftOut.includes(r)).sort());
          for (const g of answer.groups) {
            const others = othersIn(g.key);
            expect(others === 0 || others >= K_ANONYMITY, `${role} sees ${g.key} with ${others} others`).toBe(true);
            expect(g.tenants).toBe(all.filter((t) => t.region === g.key).length);
          }
          expect(JSON.stringify(answer)).not.toMatch(/ten_|kanon-/);
        }
      }),
      { numRuns: 12 },
    );
  });
});
