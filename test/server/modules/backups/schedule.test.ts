// Backups on a schedule: the worker's sweep queues a job for each tenant whose schedule is due, the
// job takes a "scheduled" backup and applies the schedule's --keep, and nothing is queued again
// until the next one is due. On SQLite and PostgreSQL (the sweep and the job run as dotmac_app).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduleBackups } from '../../../../src/server/modules/backups/job.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { drainJobs, testWorker } from '../../../support/jobs.js';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(() => api.close());

const services = () => ({ db: api.apiConnection.db, dialect: api.apiConnection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock });
const HOUR = 3600_000;

describe('scheduled backups', () => {
  it('takes one when due, keeps the newest --keep, and queues nothing in between', async () => {
    await api.admin.tenants.create({ slug: 'alpha', name: 'Alpha' });
    await api.admin.tenants.create({ slug: 'beta', name: 'Beta' });
    await api.admin.backups.schedule('alpha', { every_seconds: 3600, keep: 2 });

    const taken: string[] = [];
    for (let round = 0; round < 4; round++) {
      expect(await scheduleBackups(services()), `round ${round}`).toBe(1);
      expect(await scheduleBackups(services()), 'already queued').toBe(0);
      expect(await drainJobs(api)).toBe(1);
      const newest = (await api.admin.backups.list('alpha')).data[0]!;
      expect(newest).toMatchObject({ kind: 'scheduled' });
      taken.push(newest.id);
      api.clock.advance(HOUR / 2);
      expect(await scheduleBackups(services()), 'not due yet').toBe(0);
      api.clock.advance(HOUR / 2 + 1);
    }
    // --keep 2: the two newest remain; beta, with no schedule, has none
    expect((await api.admin.backups.list('alpha')).data.map((b) => b.id)).toEqual(taken.slice(-2).reverse());
    expect((await api.admin.backups.list('beta')).data).toEqual([]);
    // the audit trail names the worker, not a person
    const created = (await api.admin.audit.list({ action: 'backup.create' })).data;
    expect(created).toHaveLength(4);
    expect(created.every((event) => event.actor.startsWith('worker:'))).toBe(true);
  });

  it('skips a cancelled tenant, and a tenant whose deployment is in progress until it ends', async () => {
    await api.admin.tenants.create({ slug: 'gone', name: 'Gone' });
    await api.admin.backups.schedule('gone', { every_seconds: 3600, keep: 7 });
    await api.admin.tenants.delete('gone');
    expect(await scheduleBackups(services())).toBe(0);

    await api.admin.tenants.create({ slug: 'busy', name: 'Busy' });
    await api.admin.backups.schedule('busy', { every_seconds: 3600, keep: 7 });
    expect(await scheduleBackups(services())).toBe(1);
    await api.admin.deployments.create({ tenant: 'busy', version: '1.0.0' });
    // the backup job and the deployment job are both due; the backup finds the deployment in progress
    const jobs = (await api.admin.jobs.list({ tenant: 'busy' })).data;
    const backupJob = jobs.find((job) => job.kind === 'scheduled_backup')!;
    const worker = testWorker(api);
    expect(await worker.runJob(backupJob.id)).toBe(true);
    expect((await api.admin.backups.list('busy')).data).toEqual([]);
    // once the deployment ended, the next sweep queues it again
    await drainJobs(api);
    expect(await scheduleBackups(services())).toBe(1);
    await drainJobs(api);
    expect((await api.admin.backups.list('busy')).data.map((b) => b.kind)).toEqual(['scheduled']);
  });
});
