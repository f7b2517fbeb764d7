import fc from 'fast-check';
import { expect } from 'vitest';
import type { HealthList, ProbeResults, TenantHealth } from '../../../src/client/types.js';
import { seesTenant, type Model, type TenantState } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepKind, type Target } from './step.js';

/**
 * Steps on instance health. Pushed metrics and probe results are telemetry: no audit event. The
 * model follows the last cpu pushed to each tenant in the run; probes reach only the simulated
 * (unresolvable) endpoints, so only who may probe what is predicted, not what a probe finds.
 */

const hasCurrentDeployment = (m: Model, tenant: TenantState) => m.deployments.some((d) => d.tenant_id === tenant.id && d.status === 'succeeded');

const pushMetrics: StepKind<{ tenant: Target; cpu: number }> = {
  args: fc.record({ tenant: targetArb, cpu: fc.constantFrom(0, 42.5, 100, 101, -1) }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', `/v1/instances/${encodeURIComponent(ref)}/metrics`, { body: { points: [{ metric: 'cpu', value: args.cpu }] } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (args.cpu < 0 || args.cpu > 100) return expectStatus(answer, 400, 'invalid');
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    expect(answer.body).toEqual({ tenant_id: tenant.id, accepted: 1 });
    m.cpu[tenant.id] = args.cpu;
  },
};

const listHealth: StepKind<Record<string, never>> = {
  args: fc.constant({}),
  async perform(ctx) {
    const { m, p } = ctx;
    const answer = await call(ctx, 'GET', '/v1/health', { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const rows = (answer.body as HealthList).data;
    const expected = m.tenants.filter((t) => seesTenant(p, t) && t.status !== 'cancelled').map((t) => t.id);
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([...expected].sort());
    for (const row of rows) if (row.tenant_id in m.cpu) expect(row.cpu, row.tenant_slug).toBe(m.cpu[row.tenant_id]);
  },
};

const getTenantHealth: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', `/v1/tenants/${encodeURIComponent(ref)}/health`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const health = answer.body as TenantHealth;
    expect(health.tenant_id).toBe(tenant.id);
    if (tenant.id in m.cpu) expect(health.cpu).toBe(m.cpu[tenant.id]);
  },
};

const probeHealth: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', '/v1/health/probe', { body: { tenant: ref } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled' || !hasCurrentDeployment(m, tenant)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    expect((answer.body as ProbeResults).data.map((c) => c.tenant_id)).toEqual([tenant.id]);
  },
};

export const HEALTH_STEPS: Record<string, AnyStep> = { pushMetrics, listHealth, getTenantHealth, probeHealth };
