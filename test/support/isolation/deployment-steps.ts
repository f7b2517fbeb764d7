import fc from 'fast-check';
import { expect } from 'vitest';
import type { Deployment, JobSummary } from '../../../src/client/types.js';
import { REPLICA_LIMITS } from '../../../src/server/modules/deployments/pricing.js';
import { drainJobs } from '../jobs.js';
import { byId, recordEvent, seesTenant, tenantById, type DeploymentState, type Model, type Principal } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type Answer, type StepContext, type StepKind, type Target } from './step.js';

/**
 * Steps on deployments and their jobs. No worker runs on its own: a step given `run` drains the
 * queue afterwards (as a server's worker would), and the model moves every queued deployment to
 * succeeded, in job order; a rollback that succeeds marks the deployment it replaced rolled_back.
 */

const seesDeployment = (m: Model, p: Principal, d: DeploymentState) => {
  const tenant = tenantById(m, d.tenant_id);
  return !!tenant && seesTenant(p, tenant);
};
const active = (m: Model, tenantId: string) => m.deployments.find((d) => d.tenant_id === tenantId && (d.status === 'queued' || d.status === 'running'));
const current = (m: Model, tenantId: string) => byId(m.deployments.filter((d) => d.tenant_id === tenantId && d.status === 'succeeded')).at(-1);
const newestFirst = (rows: DeploymentState[]) => byId(rows).reverse();

function pickDeployment(m: Model, pick: Target, visible: (d: DeploymentState) => boolean): { deployment?: DeploymentState; id: string } {
  if (pick === 'unknown' || m.deployments.length === 0) return { id: 'dep_00000000000000000000000000' };
  const all = byId(m.deployments);
  const pool = pick.own && all.some(visible) ? all.filter(visible) : all;
  const deployment = pool[pick.pick % pool.length]!;
  return { deployment, id: deployment.id };
}

async function drain(ctx: StepContext<{ run: boolean }>): Promise<void> {
  if (!ctx.args.run) return;
  const { m } = ctx;
  await drainJobs(ctx.r.api);
  for (const d of [...m.deployments].sort((a, b) => (a.job_id < b.job_id ? -1 : 1))) {
    if (d.job_status !== 'queued') continue;
    Object.assign(d, { status: 'succeeded', job_status: 'succeeded' });
    recordEvent(m, 'deployment.succeed', d.id, d.tenant_id);
    const replaced = d.kind === 'rollback' ? m.deployments.find((x) => x.id === d.replaces) : undefined;
    if (replaced?.status === 'succeeded') replaced.status = 'rolled_back';
  }
}

/** The tenant checks every queueing verb makes first: visible, neither cancelled nor suspended, nothing in progress. */
function tenantRefusal(m: Model, p: Principal, tenant: ReturnType<typeof pickTenant>['tenant']) {
  if (!tenant || !seesTenant(p, tenant)) return { status: 404, code: 'not_found' };
  if (tenant.status === 'cancelled' || tenant.status === 'suspended' || active(m, tenant.id)) return { status: 409, code: 'conflict' };
  return null;
}

function queue(m: Model, body: Deployment, state: Omit<DeploymentState, 'id' | 'job_id' | 'status' | 'job_status'>, action: string): void {
  m.deployments.push({ ...state, id: body.id, job_id: body.job_id, status: 'queued', job_status: 'queued' });
  recordEvent(m, action, body.id, state.tenant_id);
}

const expectShown = (answer: { body: unknown; text: string }, d: DeploymentState) =>
  expect({ id: (answer.body as Deployment).id, status: (answer.body as Deployment).status }, answer.text).toEqual({ id: d.id, status: d.status });

const SIZE = fc.constantFrom(undefined, 'micro', 'small', 'medium');

const createDeployment: StepKind<{ tenant: Target; version: string; size?: string; replicas?: number; endpoint?: string; run: boolean }> = {
  args: fc.record(
    { tenant: targetArb, version: fc.constantFrom('1.0.0', '2.0.0'), size: SIZE, replicas: fc.constantFrom(1, 3), endpoint: fc.constant('https://isp.example.test'), run: fc.boolean() },
    { requiredKeys: ['tenant', 'version', 'run'] },
  ),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', '/v1/deployments', { body: { tenant: ref, version: args.version, size: args.size, replicas: args.replicas, endpoint: args.endpoint } });
    await (async () => {
      const refused = gate(ctx, true);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (args.endpoint && p.role !== 'master_admin') return expectStatus(answer, 403, 'forbidden');
      const size = (args.size ?? 'small') as keyof typeof REPLICA_LIMITS;
      const replicas = args.replicas ?? 1;
      if (replicas > REPLICA_LIMITS[size]) return expectStatus(answer, 400, 'invalid');
      const no = tenantRefusal(m, p, tenant);
      if (no) return expectStatus(answer, no.status, no.code);
      expectStatus(answer, 201);
      queue(m, answer.body as Deployment, { tenant_id: tenant!.id, kind: 'deploy', version: args.version, size, replicas, replaces: current(m, tenant!.id)?.id ?? null, rollback_to: null }, 'deployment.create');
    })();
    await drain(ctx);
  },
};

const rollbackDeployment: StepKind<{ tenant: Target; to: Target | 'none'; run: boolean }> = {
  args: fc.record({ tenant: targetArb, to: fc.oneof(fc.constant('none' as const), targetArb), run: fc.boolean() }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const to = args.to === 'none' ? undefined : pickDeployment(m, args.to, (d) => d.tenant_id === tenant?.id);
    const answer = await call(ctx, 'POST', '/v1/deployments/rollback', { body: { tenant: ref, ...(to ? { to: to.id } : {}) } });
    await (async () => {
      const refused = gate(ctx, true);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      const no = tenantRefusal(m, p, tenant);
      if (no) return expectStatus(answer, no.status, no.code);
      const now = current(m, tenant!.id);
      if (!now) return expectStatus(answer, 409, 'conflict');
      let target: DeploymentState | undefined;
      if (to) {
        target = to.deployment?.tenant_id === tenant!.id ? to.deployment : undefined;
        if (!target) return expectStatus(answer, 404, 'not_found');
        if (target.id === now.id || (target.status !== 'succeeded' && target.status !== 'rolled_back')) return expectStatus(answer, 409, 'conflict');
      } else {
        target = byId(m.deployments.filter((d) => d.tenant_id === tenant!.id && d.id < now.id && (d.status === 'succeeded' || d.status === 'rolled_back'))).at(-1);
        if (!target) return expectStatus(answer, 409, 'conflict');
      }
      expectStatus(answer, 201);
      queue(m, answer.body as Deployment, { tenant_id: tenant!.id, kind: 'rollback', version: target.version, size: target.size, replicas: target.replicas, replaces: now.id, rollback_to: target.id }, 'deployment.rollback');
    })();
    await drain(ctx);
  },
};

const scaleTenant: StepKind<{ tenant: Target; replicas: number; size?: string; dry_run: boolean; run: boolean }> = {
  args: fc.record({ tenant: targetArb, replicas: fc.integer({ min: 1, max: 4 }), size: SIZE, dry_run: fc.boolean(), run: fc.boolean() }, { requiredKeys: ['tenant', 'replicas', 'dry_run', 'run'] }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', `/v1/tenants/${encodeURIComponent(ref)}/scale`, { body: { replicas: args.replicas, size: args.size, dry_run: args.dry_run } });
    await (async () => {
      const refused = gate(ctx, true);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      const no = tenantRefusal(m, p, tenant);
      if (no) return expectStatus(answer, no.status, no.code);
      const now = current(m, tenant!.id);
      if (!now) return expectStatus(answer, 409, 'conflict');
      const size = (args.size ?? now.size) as keyof typeof REPLICA_LIMITS;
      if (args.replicas > REPLICA_LIMITS[size]) return expectStatus(answer, 400, 'invalid');
      if (args.dry_run) return expectStatus(answer, 200);
      if (size === now.size && args.replicas === now.replicas) return expectStatus(answer, 409, 'conflict');
      expectStatus(answer, 201);
      const body = answer.body as { deployment: Deployment };
      queue(m, body.deployment, { tenant_id: tenant!.id, kind: 'scale', version: now.version, size, replicas: args.replicas, replaces: now.id, rollback_to: null }, 'deployment.create');
    })();
    await drain(ctx);
  },
};

const listDeployments: StepKind<{ status?: string }> = {
  args: fc.record({ status: fc.constantFrom('queued', 'succeeded', 'failed', 'rolled_back') }, { requiredKeys: [] }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const answer = await call(ctx, 'GET', '/v1/deployments', { query: { status: args.status, limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const expected = newestFirst(m.deployments.filter((d) => seesDeployment(m, p, d) && (!args.status || d.status === args.status)));
    expect((answer.body as { data: Deployment[] }).data.map((d) => ({ id: d.id, status: d.status }))).toEqual(expected.map((d) => ({ id: d.id, status: d.status })));
  },
};

function readDeployment(suffix: string): StepKind<{ deployment: Target }> {
  return {
    args: fc.record({ deployment: targetArb }),
    async perform(ctx) {
      const { m, p } = ctx;
      const { deployment, id } = pickDeployment(m, ctx.args.deployment, (d) => seesDeployment(m, p, d));
      const answer = await call(ctx, 'GET', `/v1/deployments/${id}${suffix}`);
      const refused = gate(ctx, false);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (!deployment || !seesDeployment(m, p, deployment)) return expectStatus(answer, 404, 'not_found');
      expectStatus(answer, 200);
      expectShown(suffix ? { body: (answer.body as { deployment: Deployment }).deployment, text: answer.text } : answer, deployment);
    },
  };
}

const listJobs: StepKind<{ status?: string }> = {
  args: fc.record({ status: fc.constantFrom('queued', 'succeeded', 'cancelled') }, { requiredKeys: [] }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const answer = await call(ctx, 'GET', '/v1/jobs', { query: { status: args.status, limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    expectStatus(answer, 200);
    const expected = [
      ...m.deployments.filter((d) => seesDeployment(m, p, d)).map((d) => ({ id: d.job_id, status: d.job_status })),
      ...m.backupJobs.filter((j) => { const tenant = tenantById(m, j.tenant_id); return !!tenant && seesTenant(p, tenant); }).map(({ id, status }) => ({ id, status })),
    ]
      .filter((j) => !args.status || j.status === args.status)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    expect((answer.body as { data: JobSummary[] }).data.map((j) => ({ id: j.id, status: j.status }))).toEqual(expected);
  },
};

const getJob: StepKind<{ deployment: Target }> = {
  args: fc.record({ deployment: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { deployment } = pickDeployment(m, ctx.args.deployment, (d) => seesDeployment(m, p, d));
    const answer = await call(ctx, 'GET', `/v1/jobs/${deployment?.job_id ?? 'job_00000000000000000000000000'}`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!deployment || !seesDeployment(m, p, deployment)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect((answer.body as JobSummary).status, answer.text).toBe(deployment.job_status);
  },
};

/**
 * cancel and retry: the job of a picked deployment, refused like any write, 404 outside the
 * caller's scope, 409 once it succeeded; `then` predicts the rest from the job's state.
 */
function jobVerb(verb: 'cancel' | 'retry', then: (ctx: StepContext<{ deployment: Target }>, deployment: DeploymentState, answer: Answer) => void): StepKind<{ deployment: Target }> {
  return {
    args: fc.record({ deployment: targetArb }),
    async perform(ctx) {
      const { m, p } = ctx;
      const { deployment } = pickDeployment(m, ctx.args.deployment, (d) => seesDeployment(m, p, d));
      const answer = await call(ctx, 'POST', `/v1/jobs/${deployment?.job_id ?? 'job_00000000000000000000000000'}/${verb}`);
      const refused = gate(ctx, true);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (!deployment || !seesDeployment(m, p, deployment)) return expectStatus(answer, 404, 'not_found');
      if (deployment.job_status === 'succeeded') return expectStatus(answer, 409, 'conflict');
      then(ctx, deployment, answer);
    },
  };
}

/** A queued job is cancelled and its queued deployment fails; a cancelled one stays so. */
const cancelJob = jobVerb('cancel', ({ m }, deployment, answer) => {
  expectStatus(answer, 200);
  if (deployment.job_status === 'cancelled') return;
  deployment.job_status = 'cancelled';
  if (deployment.status === 'queued') {
    deployment.status = 'failed';
    recordEvent(m, 'deployment.fail', deployment.id, deployment.tenant_id);
  }
  recordEvent(m, 'job.cancel', deployment.job_id, deployment.tenant_id);
});

/** A cancelled job is queued again, and its failed deployment with it, unless another deployment of the tenant is in progress. */
const retryJob = jobVerb('retry', ({ m }, deployment, answer) => {
  if (deployment.job_status === 'queued') return expectStatus(answer, 200);
  if (deployment.status === 'failed' && active(m, deployment.tenant_id)) return expectStatus(answer, 409, 'conflict');
  expectStatus(answer, 200);
  deployment.job_status = 'queued';
  if (deployment.status === 'failed') deployment.status = 'queued';
  recordEvent(m, 'job.retry', deployment.job_id, deployment.tenant_id);
});

export const DEPLOYMENT_STEPS: Record<string, AnyStep> = {
  createDeployment,
  rollbackDeployment,
  scaleTenant,
  listDeployments,
  getDeployment: readDeployment(''),
  listDeploymentEvents: readDeployment('/events'),
  listJobs,
  getJob,
  cancelJob,
  retryJob,
};
