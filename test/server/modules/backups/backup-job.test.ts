// `backups create` as a job (issue 7, DESIGN §3): the API queues a backup job naming the backup it
// will make, a worker takes the backup in one transaction with the job's step, and a run that dies
// before it commits leaves no backup; the next run makes it whole under the same id. On SQLite and
// PostgreSQL (the worker runs as dotmac_app there).
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simulatedDriver } from '../../../../src/server/modules/deployments/drivers/simulated.js';
import { Worker } from '../../../../src/server/modules/jobs/worker.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { testWorker } from '../../../support/jobs.js';
import { expectProblem } from '../../problem-response.js';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'alpha', name: 'Alpha Net' });
  await api.admin.tenants.create({ slug: 'bravo', name: 'Bravo Net' });
});
afterEach(() => api.close());

/** Fails the query that follows an insert into `table`, inside the same transaction (a process dying mid-backup, as far as the database can tell). */
class FailAfterInsert implements KyselyPlugin {
  private readonly inserts = new WeakSet<object>();
  constructor(private readonly table: string) {}
  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === this.table) this.inserts.add(queryId);
    return node;
  }
  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.inserts.has(queryId)) throw new Error('the worker died here');
    return result;
  }
}

const backupRows = async (id: string) => api.connection.db.selectFrom('backups').select(['id', 'checksum']).where('id', '=', id).execute();
const stepsOf = async (jobId: string) => (await api.admin.jobs.get(jobId)).steps.map((s) => s.step);

describe('backups create queues a job', () => {
  it('answers 202 with the job naming its backup, which exists once a worker ran it', async () => {
    const alphaAdmin = (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'alpha' }));
    const job = await api.as(alphaAdmin.token).backups.create('alpha', 'before the upgrade');
    expect(job).toMatchObject({ kind: 'backup', status: 'queued', steps: [] });
    const backupId = String(job.payload.backup_id);
    expect(backupId).toMatch(/^bak_/);
    expectProblem(await api.admin.raw('GET', `/v1/backups/${backupId}`), 404, 'not_found');
    const [requested] = (await api.admin.audit.list({ action: 'backup.request' })).data;
    expect(requested).toMatchObject({ target_id: backupId, reason: 'before the upgrade', actor: alphaAdmin.user_id });

    expect(await testWorker(api).runJob(job.id)).toBe(true);
    expect(await api.admin.jobs.get(job.id)).toMatchObject({ status: 'succeeded', steps: [{ step: 'backup' }] });
    const backup = await api.admin.backups.get(backupId);
    expect(backup).toMatchObject({ id: backupId, kind: 'manual', status: 'completed', created_by: alphaAdmin.user_id, rows: 1 });
    expect((await api.admin.backups.verify(backupId)).valid).toBe(true);
    const [created] = (await api.admin.audit.list({ action: 'backup.create' })).data;
    expect(created).toMatchObject({ target_id: backupId, actor: 'worker:test-worker' });
  });

  it('a run that dies inside the backup\'s transaction leaves no backup and no finished step; the retry makes it under the same id', async () => {
    const job = await api.admin.backups.create('alpha');
    const backupId = String(job.payload.backup_id);
    const services = { db: api.apiConnection.db.withPlugin(new FailAfterInsert('backups')), dialect: api.apiConnection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock };
    const dying = new Worker(services, { id: 'dying', env: { provisioning: simulatedDriver({ stepMs: 0 }) } });
    expect(await dying.runJob(job.id)).toBe(true);
    expect(await api.admin.jobs.get(job.id)).toMatchObject({ status: 'failed', steps: [] });
    expect(await backupRows(backupId)).toEqual([]);
    expect((await api.admin.audit.list({ action: 'backup.create' })).data).toEqual([]);

    await api.admin.jobs.retry(job.id);
    expect(await testWorker(api).runJob(job.id)).toBe(true);
    expect(await stepsOf(job.id)).toEqual(['backup']);
    expect(await backupRows(backupId)).toHaveLength(1);
    expect((await api.admin.backups.verify(backupId)).valid).toBe(true);
    // a job taken again after its step finished does not take a second backup
    expect((await api.admin.backups.list('alpha')).data.map((b) => b.id)).toEqual([backupId]);
  });

  it('fails the job with the reason when a deployment started after it was queued; refuses at once when one is in progress', async () => {
    const job = await api.admin.backups.create('alpha');
    const deployment = await api.admin.deployments.create({ tenant: 'alpha', version: '1.0.0' });
    expect(await testWorker(api).runJob(job.id)).toBe(true);
    const failed = await api.admin.jobs.get(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toContain(deployment.id);
    expect(await backupRows(String(job.payload.backup_id))).toEqual([]);
    const refused = expectProblem(await api.admin.raw('POST', '/v1/tenants/alpha/backups'), 409, 'conflict');
    expect(refused.detail).toContain(deployment.id);
  });

  it('keeps other tenants\' admins out (404) and resellers from taking backups (403)', async () => {
    const bravoAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'bravo' })).token);
    expectProblem(await bravoAdmin.raw('POST', '/v1/tenants/alpha/backups'), 404, 'not_found');
    await api.admin.resellers.create({ slug: 'channel', name: 'Channel' });
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'channel' })).token);
    expectProblem(await reseller.raw('POST', '/v1/tenants/alpha/backups'), 403, 'forbidden');
    expect((await api.admin.jobs.list({ tenant: 'alpha' })).data).toEqual([]);
  });
});
