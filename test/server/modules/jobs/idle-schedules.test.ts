// Scheduled work with nothing due takes no write lock: on SQLite, a worker paused inside an empty
// schedule's write transaction would stall every other writer (a backup request answered 500
// while a worker sat SIGSTOPped in test/e2e/worker-crash.test.ts). Here another connection holds
// the write lock, and every schedule must still answer at once that it queued nothing.
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/core/clock.js';
import type { Services } from '../../../../src/server/context.js';
import { scheduleBackups } from '../../../../src/server/modules/backups/job.js';
import { scheduleProbes, scheduleRollups } from '../../../../src/server/modules/health/jobs.js';
import { leaseJob } from '../../../../src/server/modules/jobs/lease.js';
import { expireDueQuotes } from '../../../../src/server/modules/quotes/expiry.js';
import { DIALECT, freshDatabase } from '../../../support/harness.js';

describe.runIf(DIALECT === 'sqlite')('an idle worker: schedules with nothing due, and no job to lease', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let holder: SQLite.Database;
  let services: Services;
  beforeAll(async () => {
    fresh = await freshDatabase();
    services = { db: fresh.connection.db, dialect: 'sqlite', clock: fixedClock('2026-06-01T00:00:00Z') } as unknown as Services;
    holder = new SQLite(fresh.path!);
    holder.exec('begin immediate');
  });
  afterAll(async () => {
    holder?.exec('rollback');
    holder?.close();
    await fresh?.drop();
  });

  it('queue nothing, and never ask for the write lock someone else holds', async () => {
    for (const schedule of [scheduleProbes, scheduleRollups, scheduleBackups, expireDueQuotes]) {
      // one that asked for the lock would wait out the connection's 10 s busy timeout, then fail SQLITE_BUSY
      await expect(schedule(services), schedule.name).resolves.toBe(0);
    }
  }, 60_000);

  it('and a worker polling for jobs when none is due never asks for it either', async () => {
    await expect(leaseJob(services, 'wkr_idle', 30_000)).resolves.toBeUndefined();
  }, 30_000);
});
