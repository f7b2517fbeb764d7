import type { ApiClient } from '../../src/client/api-client.js';
import { simulatedDriver } from '../../src/server/modules/deployments/drivers/simulated.js';
import type { ProvisioningDriver } from '../../src/server/modules/deployments/drivers/driver.js';
import { Worker } from '../../src/server/modules/jobs/worker.js';
import type { TestApi } from './harness.js';

/** A worker over the test API's database, as `server start` runs one (on PostgreSQL as dotmac_app). */
export function testWorker(api: TestApi, options: { driver?: ProvisioningDriver; leaseMs?: number; id?: string } = {}): Worker {
  const services = { db: api.apiConnection.db, dialect: api.apiConnection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock };
  return new Worker(services, { id: options.id ?? 'test-worker', leaseMs: options.leaseMs, env: { provisioning: options.driver ?? simulatedDriver({ stepMs: 0 }) } });
}

/** Runs every due job to its end; how many ran. */
export async function drainJobs(api: TestApi, options: Parameters<typeof testWorker>[1] = {}): Promise<number> {
  const worker = testWorker(api, options);
  let ran = 0;
  while (await worker.runNext()) ran++;
  return ran;
}

/** A tenant's deployment of `version`, run to success. */
export async function deployed(api: TestApi, tenant: string, version = '1.0.0', extra: { size?: 'micro' | 'small' | 'medium' | 'large' | 'xlarge'; replicas?: number } = {}) {
  const deployment = await api.admin.deployments.create({ tenant, version, ...extra });
  await drainJobs(api);
  return api.admin.deployments.get(deployment.id);
}

/** A backup of the tenant as `backups create --wait` takes it: the job queued by `client`, run by a worker. */
export async function takeBackup(api: TestApi, tenant: string, client: ApiClient = api.admin) {
  const job = await client.backups.create(tenant);
  if (!(await testWorker(api).runJob(job.id))) throw new Error(`backup job ${job.id} was not due`);
  const ran = await api.admin.jobs.get(job.id);
  if (ran.status !== 'succeeded') throw new Error(`backup job ${job.id} ${ran.status}: ${ran.last_error}`);
  return client.backups.get(String(job.payload.backup_id));
}
