import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../../src/client/types.js';
import { ProvisioningFailure, type ProvisioningDriver } from '../../../../src/server/modules/deployments/drivers/driver.js';
import { simulatedDriver } from '../../../../src/server/modules/deployments/drivers/simulated.js';
import { leaseJob } from '../../../../src/server/modules/jobs/lease.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { drainJobs, testWorker } from '../../../support/jobs.js';
import { auditCount, expectProblem } from '../../problem-response.js';

let api: TestApi;
let serial = 0;

/** A fresh tenant with a queued deployment. */
async function queued(): Promise<Deployment> {
  const slug = `jobs-${++serial}`;
  await api.admin.tenants.create({ slug, name: slug });
  return api.admin.deployments.create({ tenant: slug, version: '1.0.0' });
}

/** The simulated driver, counting each step it runs, failing `failAt` while told to. */
function countingDriver(runs: string[], failAt?: { step: string; times: number }): ProvisioningDriver {
  const inner = simulatedDriver({ stepMs: 0 });
  return {
    name: 'simulated',
    provision: (request) =>
      inner.provision({
        ...request,
        async report(step, progress, message) {
          if (progress === 0) runs.push(step);
          if (failAt && failAt.step === step && failAt.times > 0 && progress === 50) {
            failAt.times--;
            throw new ProvisioningFailure(`${step} broke`);
          }
          await request.report(step, progress, message);
        },
      }),
  };
}

const services = () => ({ db: api.apiConnection.db, dialect: api.apiConnection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock });

beforeAll(async () => {
  api = await startTestApi();
  await drainJobs(api);
});
afterAll(() => api.close());

describe('leases', () => {
  it('two workers asking at once: one of them takes the job', async () => {
    const { job_id } = await queued();
    const [a, b] = await Promise.all([leaseJob(services(), 'a', 30_000, job_id), leaseJob(services(), 'b', 30_000, job_id)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const job = await api.admin.jobs.get(job_id);
    expect(job).toMatchObject({ status: 'running', attempts: 1, lease_owner: (a ?? b)!.lease_owner });
  });

  it('an expired lease is taken by another worker, and the first can no longer write', async () => {
    const deployment = await queued();
    const first = await leaseJob(services(), 'dead-worker', 1_000, deployment.job_id);
    expect(first?.lease_owner).toBe('dead-worker');
    // not yet expired: nobody else gets it
    expect(await testWorker(api, { id: 'second' }).runJob(deployment.job_id)).toBe(false);
    api.clock.advance(1_001);
    expect(await testWorker(api, { id: 'second' }).runJob(deployment.job_id)).toBe(true);
    const job = await api.admin.jobs.get(deployment.job_id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2, lease_owner: null });
    expect(job.steps.map((s) => [s.step, s.worker])).toEqual(['validate', 'provision', 'configure', 'health_check'].map((s) => [s, 'second']));
    expect((await api.admin.deployments.get(deployment.id)).status).toBe('succeeded');
  });

  it('a job whose workers keep dying fails after max_attempts, and its deployment with it', async () => {
    const deployment = await queued();
    for (let i = 0; i < 5; i++) {
      expect(await leaseJob(services(), `dying-${i}`, 1_000, deployment.job_id)).toBeDefined();
      api.clock.advance(1_001);
    }
    expect(await leaseJob(services(), 'sixth', 1_000, deployment.job_id)).toBeUndefined();
    expect(await api.admin.jobs.get(deployment.job_id)).toMatchObject({ status: 'failed', last_error: 'its worker stopped before finishing it 5 times' });
    expect(await api.admin.deployments.get(deployment.id)).toMatchObject({ status: 'failed', failure_reason: 'its worker stopped before finishing it 5 times' });
  });

  it('a stopping worker hands its running job back at once, for another to finish', async () => {
    const deployment = await queued();
    let stopping: Promise<void> | undefined;
    const inner = simulatedDriver({ stepMs: 0 });
    // stops its own worker once provision has finished, then waits to be interrupted
    const driver: ProvisioningDriver = {
      name: 'simulated',
      provision: (request) =>
        inner.provision({
          ...request,
          async report(step, progress) {
            await request.report(step, progress);
            if (step !== 'provision' || progress !== 100) return;
            stopping = worker.stop();
            if (!request.signal.aborted) await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
            throw request.signal.reason as Error;
          },
        }),
    };
    const worker = testWorker(api, { id: 'stopping', driver });
    await worker.runJob(deployment.job_id);
    await stopping;
    expect(await api.admin.jobs.get(deployment.job_id)).toMatchObject({ status: 'queued', lease_owner: null });
    expect(await testWorker(api, { id: 'next' }).runJob(deployment.job_id)).toBe(true);
    const job = await api.admin.jobs.get(deployment.job_id);
    expect(job.steps.map((s) => [s.step, s.worker])).toEqual([
      ['validate', 'stopping'],
      ['provision', 'stopping'],
      ['configure', 'next'],
      ['health_check', 'next'],
    ]);
  });

  it('a job scheduled for later waits for its time', async () => {
    // a job with a future run_at, as scheduled work makes them
    const deployment = await queued();
    const later = new Date(api.clock.now().getTime() + 60_000).toISOString();
    await api.connection.db.updateTable('jobs').set({ run_at: later }).where('id', '=', deployment.job_id).execute();
    expect(await testWorker(api).runJob(deployment.job_id)).toBe(false);
    api.clock.advance(60_000);
    expect(await testWorker(api).runJob(deployment.job_id)).toBe(true);
  });
});

describe('steps', () => {
  it('a retried job never repeats a finished step, and the events say each step finished once, in order', async () => {
    const deployment = await queued();
    const runs: string[] = [];
    const driver = countingDriver(runs, { step: 'configure', times: 1 });
    await testWorker(api, { driver }).runJob(deployment.job_id);
    expect(await api.admin.deployments.get(deployment.id)).toMatchObject({ status: 'failed', failure_reason: 'configure broke' });
    expect((await api.admin.jobs.get(deployment.job_id)).steps.map((s) => s.step)).toEqual(['validate', 'provision']);

    const retried = await api.admin.jobs.retry(deployment.job_id, 'fixed the cause');
    expect(retried).toMatchObject({ changed: true, value: { status: 'queued', attempts: 0 } });
    expect((await api.admin.deployments.get(deployment.id)).status).toBe('queued');
    await testWorker(api, { driver }).runJob(deployment.job_id);
    expect(runs).toEqual(['validate', 'provision', 'configure', 'configure', 'health_check']);

    const { deployment: done, events } = await api.admin.deployments.events(deployment.id);
    expect(done.status).toBe('succeeded');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const finished = events.filter((e) => e.type === 'step' && e.progress === 100).map((e) => e.step);
    expect(finished).toEqual(['validate', 'provision', 'configure', 'health_check']);
    expect(events.filter((e) => e.type === 'status').map((e) => e.status)).toEqual(['queued', 'running', 'failed', 'queued', 'running', 'succeeded']);
    const rows = await api.connection.db.selectFrom('job_steps').select('step').where('job_id', '=', deployment.job_id).execute();
    expect(rows).toHaveLength(4);
  });

  it('the audit trail names the worker for what it did', async () => {
    const deployment = await queued();
    await testWorker(api, { id: 'w-audit' }).runJob(deployment.job_id);
    const [event] = (await api.admin.audit.list({ action: 'deployment.succeed', target: deployment.id })).data;
    expect(event).toMatchObject({ actor: 'worker:w-audit', role: 'worker', target_id: deployment.id, tenant_id: deployment.tenant_id });
  });
});

describe('cancel and retry', () => {
  it('cancelling a queued job fails its deployment; again changes nothing; a worker then finds nothing', async () => {
    const deployment = await queued();
    const before = await auditCount(api);
    const cancelled = await api.admin.jobs.cancel(deployment.job_id, 'wrong version');
    expect(cancelled).toMatchObject({ changed: true, value: { status: 'cancelled', last_error: 'cancelled: wrong version' } });
    expect(await api.admin.deployments.get(deployment.id)).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^cancelled by usr_.*: wrong version$/) });
    expect(await auditCount(api)).toBe(before + 2);
    expect(await api.admin.jobs.cancel(deployment.job_id)).toMatchObject({ changed: false });
    expect(await auditCount(api)).toBe(before + 2);
    expect(await testWorker(api).runJob(deployment.job_id)).toBe(false);
  });

  it('a running job cancelled meanwhile: its worker stops at its next write', async () => {
    const deployment = await queued();
    let cancel: Promise<unknown> | undefined;
    const driver: ProvisioningDriver = {
      name: 'simulated',
      async provision(request) {
        await request.report('validate', 100);
        cancel = api.admin.jobs.cancel(deployment.job_id);
        await cancel;
        await request.report('provision', 100);
        return { endpoint_url: null };
      },
    };
    await testWorker(api, { driver }).runJob(deployment.job_id);
    expect((await api.admin.jobs.get(deployment.job_id)).status).toBe('cancelled');
    const { deployment: after, events } = await api.admin.deployments.events(deployment.id);
    expect(after.status).toBe('failed');
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(['validate']);
  });

  it('a succeeded job can be neither cancelled nor retried; an unknown job is 404', async () => {
    const deployment = await queued();
    await drainJobs(api);
    expectProblem(await api.admin.raw('POST', `/v1/jobs/${deployment.job_id}/cancel`), 409, 'conflict');
    expectProblem(await api.admin.raw('POST', `/v1/jobs/${deployment.job_id}/retry`), 409, 'conflict');
    expectProblem(await api.admin.raw('GET', '/v1/jobs/job_00000000000000000000000000'), 404, 'not_found');
    expectProblem(await api.admin.raw('POST', '/v1/jobs/nonsense/retry'), 404, 'not_found');
  });
});

describe('scope', () => {
  it('a tenant admin sees its tenant\'s jobs only; a reseller reads its customers\' but may not cancel them', async () => {
    await api.admin.resellers.create({ slug: 'jobs-partner', name: 'Partner' });
    await api.admin.tenants.create({ slug: 'jobs-mine', name: 'Mine', reseller: 'jobs-partner' });
    await api.admin.tenants.create({ slug: 'jobs-theirs', name: 'Theirs' });
    const mine = await api.admin.deployments.create({ tenant: 'jobs-mine', version: '1.0.0' });
    const theirs = await api.admin.deployments.create({ tenant: 'jobs-theirs', version: '1.0.0' });
    const admin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'jobs-mine' })).token);
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'jobs-partner' })).token);
    expect((await admin.jobs.list()).data.map((j) => j.id)).toEqual([mine.job_id]);
    expectProblem(await admin.raw('GET', `/v1/jobs/${theirs.job_id}`), 404, 'not_found');
    expectProblem(await admin.raw('POST', `/v1/jobs/${theirs.job_id}/cancel`), 404, 'not_found');
    expectProblem(await admin.raw('GET', '/v1/jobs', { query: { tenant: 'jobs-theirs' } }), 404, 'not_found');
    expect((await reseller.jobs.list()).data.map((j) => j.id)).toEqual([mine.job_id]);
    expectProblem(await reseller.raw('POST', `/v1/jobs/${mine.job_id}/cancel`), 403, 'forbidden');
    expect((await admin.jobs.cancel(mine.job_id)).value.status).toBe('cancelled');
    expect((await api.admin.jobs.list({ status: 'queued', tenant: 'jobs-theirs' })).data.map((j) => j.id)).toEqual([theirs.job_id]);
  });
});
