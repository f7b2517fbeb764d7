import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Backup, BackupSchedule, Job, RestoreResult } from '../../../src/client/types.js';
import { testWorker } from '../jobs.js';
import { byId, recordEvent, seesTenant, tenantById, type BackupState, type DeploymentState, type Model, type Principal } from './model.js';
import { call, expectStatus, gate, pickTenant, targetArb, type AnyStep, type StepKind, type Target } from './step.js';

/**
 * Steps on backups. The model keeps each tenant's backups and schedule; a backup carries what of
 * the model a restore brings back: the tenant fields (name, contact email; status, plan, region and
 * reseller stay, see catalog.ts), its configuration and its deployments. Jobs are not restored, so
 * a restored deployment keeps its job's status as it is now. Neither is possible while one of the
 * tenant's deployments is queued or running.
 */

const clone = <T>(value: T): T => structuredClone(value);
/**
 * Equal as JSON values, whatever the order of their keys: a backup read from its document holds
 * its rows' keys sorted, the model's rows hold them in the order the model wrote them.
 */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
const deploying = (m: Model, tenantId: string) => m.deployments.some((d) => d.tenant_id === tenantId && (d.status === 'queued' || d.status === 'running'));
const deploymentsOf = (m: Model, tenantId: string) => byId(m.deployments.filter((d) => d.tenant_id === tenantId));
/** Deployments as their rows hold them: the job's status lives in the jobs table, which a restore leaves alone. */
const deploymentRows = (deployments: DeploymentState[]) => deployments.map(({ job_status: _job, ...row }) => row);

const seesBackup = (m: Model, p: Principal, backup: BackupState) => {
  const tenant = tenantById(m, backup.tenant_id);
  return !!tenant && seesTenant(p, tenant);
};

/** The pick-th backup (of those the principal sees, when `own`), or none. */
function pickBackup(m: Model, p: Principal, pick: Target): BackupState | undefined {
  if (pick === 'unknown' || m.backups.length === 0) return undefined;
  const all = byId(m.backups);
  const pool = pick.own && all.some((b) => seesBackup(m, p, b)) ? all.filter((b) => seesBackup(m, p, b)) : all;
  return pool[pick.pick % pool.length];
}

const backupPath = (backup: BackupState | undefined, rest = '') => `/v1/backups/${backup?.id ?? 'bak_00000000000000000000000000'}${rest}`;

const listBackups: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { tenant, ref } = pickTenant(m, ctx.args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', `/v1/tenants/${encodeURIComponent(ref)}/backups`, { query: { limit: 500 } });
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    const expected = byId(m.backups.filter((b) => b.tenant_id === tenant.id)).reverse();
    expect((answer.body as { data: Backup[] }).data.map(({ id, tenant_id }) => ({ id, tenant_id }))).toEqual(expected.map(({ id, tenant_id }) => ({ id, tenant_id })));
  },
};

const createBackup: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { tenant, ref } = pickTenant(m, ctx.args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'POST', `/v1/tenants/${encodeURIComponent(ref)}/backups`);
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (deploying(m, tenant.id)) return expectStatus(answer, 409, 'conflict');
    // the answer is the queued job; a worker takes the backup (here at once, as `backups create --wait` would)
    expectStatus(answer, 202);
    const job = answer.body as Job;
    expect(job).toMatchObject({ tenant_id: tenant.id, kind: 'backup', status: 'queued' });
    recordEvent(m, 'backup.request', String(job.payload.backup_id), tenant.id);
    expect(await testWorker(ctx.r.api).runJob(job.id)).toBe(true);
    m.backupJobs.push({ id: job.id, tenant_id: tenant.id, status: 'succeeded' });
    const fetched = await call(ctx, 'GET', `/v1/backups/${String(job.payload.backup_id)}`);
    expectStatus(fetched, 200);
    const made = fetched.body as Backup;
    expect(made).toMatchObject({ id: job.payload.backup_id, tenant_id: tenant.id, status: 'completed', kind: 'manual' });
    m.backups.push({
      id: made.id,
      tenant_id: tenant.id,
      name: tenant.name,
      contact_email: tenant.contact_email,
      configs: clone(m.configs[tenant.id]),
      branding: clone(m.branding[tenant.id]),
      deployments: clone(deploymentsOf(m, tenant.id)),
      users: clone(byId(m.tenantUsers.filter((u) => u.tenant_id === tenant.id))),
    });
    recordEvent(m, 'backup.create', made.id, tenant.id);
    // Retention: the oldest beyond the schedule's keep go, newest first, one event each.
    const keep = m.schedules.find((s) => s.tenant_id === tenant.id)?.keep;
    if (keep === undefined) return;
    for (const expired of byId(m.backups.filter((b) => b.tenant_id === tenant.id)).reverse().slice(keep)) {
      m.backups = m.backups.filter((b) => b.id !== expired.id);
      recordEvent(m, 'backup.expire', expired.id, tenant.id);
    }
  },
};

const getBackupSchedule: StepKind<{ tenant: Target }> = {
  args: fc.record({ tenant: targetArb }),
  async perform(ctx) {
    const { m, p } = ctx;
    const { tenant, ref } = pickTenant(m, ctx.args.tenant, (t) => seesTenant(p, t));
    const answer = await call(ctx, 'GET', `/v1/tenants/${encodeURIComponent(ref)}/backup-schedule`);
    const refused = gate(ctx, false);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    const schedule = tenant && m.schedules.find((s) => s.tenant_id === tenant.id);
    if (!tenant || !seesTenant(p, tenant) || !schedule) return expectStatus(answer, 404, 'not_found');
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject(schedule);
  },
};

const setBackupSchedule: StepKind<{ tenant: Target; keep: number; daily: boolean }> = {
  args: fc.record({ tenant: targetArb, keep: fc.integer({ min: 1, max: 3 }), daily: fc.boolean() }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const { tenant, ref } = pickTenant(m, args.tenant, (t) => seesTenant(p, t));
    const body = { every_seconds: args.daily ? 86400 : 3600, keep: args.keep };
    const answer = await call(ctx, 'PUT', `/v1/tenants/${encodeURIComponent(ref)}/backup-schedule`, { body });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!tenant || !seesTenant(p, tenant)) return expectStatus(answer, 404, 'not_found');
    if (tenant.status === 'cancelled') return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    const wanted = { tenant_id: tenant.id, ...body };
    expect(answer.body as BackupSchedule).toMatchObject(wanted);
    const current = m.schedules.find((s) => s.tenant_id === tenant.id);
    if (current?.every_seconds === wanted.every_seconds && current.keep === wanted.keep) return;
    m.schedules = [...m.schedules.filter((s) => s.tenant_id !== tenant.id), wanted];
    recordEvent(m, 'backup.schedule', tenant.id, tenant.id);
  },
};

/** get, verify and download: reads of one backup, which answer with its id and tenant. */
function backupRead(rest: string, idField: 'id' | 'backup_id', extra: Record<string, unknown> = {}): StepKind<{ backup: Target }> {
  return {
    args: fc.record({ backup: targetArb }),
    async perform(ctx) {
      const { m, p } = ctx;
      const backup = pickBackup(m, p, ctx.args.backup);
      const answer = await call(ctx, 'GET', backupPath(backup, rest));
      const refused = gate(ctx, false);
      if (refused) return expectStatus(answer, refused.status, refused.code);
      if (!backup || !seesBackup(m, p, backup)) return expectStatus(answer, 404, 'not_found');
      expectStatus(answer, 200);
      expect(answer.body).toMatchObject({ [idField]: backup.id, tenant_id: backup.tenant_id, ...extra });
    },
  };
}

const restoreBackup: StepKind<{ backup: Target; dryRun: boolean }> = {
  args: fc.record({ backup: targetArb, dryRun: fc.boolean() }),
  async perform(ctx) {
    const { m, p, args } = ctx;
    const backup = pickBackup(m, p, args.backup);
    const answer = await call(ctx, 'POST', backupPath(backup, '/restore'), { body: { dry_run: args.dryRun } });
    const refused = gate(ctx, true);
    if (refused) return expectStatus(answer, refused.status, refused.code);
    if (!backup || !seesBackup(m, p, backup)) return expectStatus(answer, 404, 'not_found');
    const tenant = tenantById(m, backup.tenant_id)!;
    if (tenant.status === 'cancelled' || deploying(m, tenant.id)) return expectStatus(answer, 409, 'conflict');
    expectStatus(answer, 200);
    const fieldsDiffer = tenant.name !== backup.name || tenant.contact_email !== backup.contact_email;
    const configsDiffer = !same(m.configs[tenant.id], backup.configs);
    const brandingDiffers = !same(m.branding[tenant.id], backup.branding);
    const deploymentsDiffer = !same(deploymentRows(deploymentsOf(m, tenant.id)), deploymentRows(backup.deployments));
    const usersDiffer = !same(byId(m.tenantUsers.filter((u) => u.tenant_id === tenant.id)), backup.users);
    const result = answer.body as RestoreResult;
    expect(result).toMatchObject({ backup_id: backup.id, tenant_id: tenant.id, dry_run: args.dryRun });
    expect(result.tables.find((t) => t.table === 'tenants')).toMatchObject({ updated: fieldsDiffer ? 1 : 0, unchanged: fieldsDiffer ? 0 : 1 });
    if (args.dryRun || !(fieldsDiffer || configsDiffer || brandingDiffers || deploymentsDiffer || usersDiffer)) return;
    m.tenantUsers = byId([...m.tenantUsers.filter((u) => u.tenant_id !== tenant.id), ...clone(backup.users)]);
    if (fieldsDiffer) Object.assign(tenant, { name: backup.name, contact_email: backup.contact_email, version: tenant.version + 1 });
    if (backup.configs) m.configs[tenant.id] = clone(backup.configs);
    else delete m.configs[tenant.id];
    if (backup.branding) m.branding[tenant.id] = clone(backup.branding);
    else delete m.branding[tenant.id];
    const jobStatus = new Map(m.deployments.map((d) => [d.job_id, d.job_status]));
    const restored = clone(backup.deployments).map((d) => ({ ...d, job_status: jobStatus.get(d.job_id) ?? d.job_status }));
    m.deployments = [...m.deployments.filter((d) => d.tenant_id !== tenant.id), ...restored];
    recordEvent(m, 'backup.restore', backup.id, tenant.id);
  },
};

export const BACKUP_STEPS: Record<string, AnyStep> = {
  listBackups,
  createBackup,
  getBackupSchedule,
  setBackupSchedule,
  getBackup: backupRead('', 'id'),
  verifyBackup: backupRead('/verify', 'backup_id', { valid: true }),
  downloadBackup: backupRead('/content', 'backup_id'),
  restoreBackup,
};
