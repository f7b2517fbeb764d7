import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobRow } from '../../../db/tables/jobs.js';
import type { Services } from '../../context.js';
import { JobFailure, LeaseLost, type JobEnvironment, type JobRun } from './kind.js';
import { JOB_KINDS } from './kinds.js';
import { endJob, holdLease, leaseJob, releaseLease, renewLease } from './lease.js';
import { scopedRead, scopedWrite, tenantScope } from './worker-db.js';
import { workerContext } from './worker-context.js';

export interface WorkerOptions {
  /** names the worker in leases and the audit trail; default host:pid:random */
  id?: string;
  /** how long a lease lasts; it is renewed every third of that while a job runs */
  leaseMs?: number;
  /** how often an idle worker looks for due jobs */
  pollMs?: number;
  env: JobEnvironment;
  /** told about jobs that ended badly and errors the worker survived (default: nothing) */
  log?: (line: string) => void;
  /** scheduled work: each queues its jobs every `everyMs` while the worker runs */
  schedules?: readonly Schedule[];
}

/** Work a running worker queues on a timer (probes, roll-ups); `queue` answers how many jobs it queued. */
export interface Schedule {
  name: string;
  everyMs: number;
  queue(services: Services): Promise<number>;
}

export const DEFAULT_LEASE_MS = 30_000;

/**
 * Leases due jobs one at a time and runs them. `start()` loops until `stop()`; `runJob(id)` runs
 * one given job (local mode's --wait). A stopping worker hands its job back for another to finish.
 */
export class Worker {
  readonly id: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private stopping = false;
  private loop?: Promise<void>;
  /** the job running now, and how to interrupt it */
  private current?: { jobId: string; controller: AbortController };
  private wake?: () => void;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly services: Services,
    private readonly options: WorkerOptions,
  ) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? 500;
  }

  start(): void {
    if (!this.loop) for (const schedule of this.options.schedules ?? []) this.every(schedule);
    this.loop ??= (async () => {
      while (!this.stopping) {
        const ran = await this.runNext().catch((error: Error) => {
          this.options.log?.(`worker ${this.id}: ${error.message}`);
          return false;
        });
        if (!ran && !this.stopping) await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** The job this worker is running now, if any. */
  get runningJob(): string | undefined {
    return this.current?.jobId;
  }

  /** Stops taking jobs; a job running now is interrupted and handed back. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.current?.controller.abort(new Error('the worker is stopping'));
    this.wake?.();
    await this.loop;
  }

  /** Queues the schedule's jobs every everyMs (the first time one interval after start); the loop is woken when it queued some. */
  private every(schedule: Schedule): void {
    const tick = () => {
      if (this.stopping) return;
      schedule.queue(this.services).then(
        (queued) => queued > 0 && this.wake?.(),
        (error: Error) => this.options.log?.(`worker ${this.id}: scheduling ${schedule.name} failed: ${error.message}`),
      );
    };
    this.timers.push(setInterval(tick, schedule.everyMs));
  }

  /** Leases and runs the next due job; false when none was due. */
  async runNext(): Promise<boolean> {
    const job = await leaseJob(this.services, this.id, this.leaseMs);
    if (!job) return false;
    await this.run(job);
    return true;
  }

  /** Runs the given job if it is due (queued, or its lease ran out); false when it was not. */
  async runJob(jobId: string): Promise<boolean> {
    const job = await leaseJob(this.services, this.id, this.leaseMs, jobId);
    if (!job) return false;
    await this.run(job);
    return true;
  }

  private async run(job: JobRow): Promise<void> {
    const { services } = this;
    const controller = new AbortController();
    this.current = { jobId: job.id, controller };
    const renewal = setInterval(() => {
      renewLease(services, job, this.id, this.leaseMs).then(
        (held) => held || controller.abort(new LeaseLost(`job ${job.id} is no longer held by this worker`)),
        () => undefined,
      );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    const scope = tenantScope(job.tenant_id);
    const kind = JOB_KINDS[job.kind];
    try {
      const completed = new Set(
        (await scopedRead(services.db, scope, (db) => db.selectFrom('job_steps').select('step').where('job_id', '=', job.id).execute())).map((r) => r.step),
      );
      const write: JobRun['write'] = (work) =>
        scopedWrite(services.db, services.dialect, scope, async (trx) => {
          await holdLease(trx, services, job.id, this.id);
          return work(trx, workerContext({ ...services, db: trx }, job, this.id));
        });
      const run: JobRun = {
        job,
        payload: JSON.parse(job.payload) as Record<string, unknown>,
        completed,
        signal: controller.signal,
        env: this.options.env,
        read: (work) => scopedRead(services.db, scope, work),
        write,
        finishStep: async (step, work) => {
          if (completed.has(step)) return;
          await write(async (trx, ctx) => {
            await trx.insertInto('job_steps').values({ job_id: job.id, tenant_id: job.tenant_id, step, position: completed.size + 1, finished_at: services.clock.now().toISOString(), worker: this.id }).execute();
            await work?.(trx, ctx);
          });
          completed.add(step);
        },
      };
      if (!kind) throw new JobFailure(`no worker knows the job kind "${job.kind}"`);
      await kind.run(run);
      await write(async (trx) => {
        const at = services.clock.now().toISOString();
        await trx.updateTable('jobs').set({ status: 'succeeded', lease_owner: null, lease_expires_at: null, last_error: null, updated_at: at, finished_at: at }).where('id', '=', job.id).execute();
      });
    } catch (error) {
      await this.ended(job, controller, error);
    } finally {
      clearInterval(renewal);
      this.current = undefined;
    }
  }

  /** Why the run ended decides what the job becomes. */
  private async ended(job: JobRow, controller: AbortController, error: unknown): Promise<void> {
    const reason = controller.signal.reason as Error | undefined;
    if (error instanceof LeaseLost || reason instanceof LeaseLost) return; // cancelled, or another worker has it now
    if (this.stopping) {
      await releaseLease(this.services, job, this.id);
      return;
    }
    const message = error instanceof JobFailure ? error.message : `the worker failed: ${(error as Error)?.message ?? String(error)}`;
    if (!(error instanceof JobFailure)) this.options.log?.(`job ${job.id}: ${(error as Error)?.stack ?? String(error)}`);
    await scopedWrite(this.services.db, this.services.dialect, tenantScope(job.tenant_id), async (trx) => {
      await holdLease(trx, this.services, job.id, this.id);
      await endJob(trx, this.services, job, this.id, { status: 'failed', reason: message.slice(0, 2000) });
    }).catch((e: unknown) => {
      if (!(e instanceof LeaseLost)) throw e;
    });
  }
}
