import { sql, type Kysely } from 'kysely';
import { conflict, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { BackupKind } from '../../../db/tables/backups.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { deploymentInProgress } from '../deployments/service.js';
import { getTenant, type Tenant } from '../tenants/service.js';
import { backupTables, TENANT_FIELDS_KEPT, type TableShape } from './catalog.js';
import { BACKUP_FORMAT, decodeDocument, encodeDocument, FORMAT_VERSION, sortRows, type BackupDocument } from './document.js';
import { foreignRow, keyHeldElsewhere } from './ownership.js';
import { changesAnything, countsOf, planTable, type TablePlan } from './plan.js';
import { deletePlanned, keyOwners, lackingPrivileges, primaryKeyViolated, readTenantRows, writePlanned } from './rows.js';
import type { Backup, RestoreBackupInput, SetBackupScheduleInput } from './schema.js';
import { enqueueJob } from '../jobs/queue.js';
import type { JobDetail } from '../jobs/service.js';

const BACKUP_SCOPE = { tenant: 'backups.tenant_id' };
const SCHEDULE_SCOPE = { tenant: 'backup_schedules.tenant_id' };
const META = ['id', 'tenant_id', 'kind', 'status', 'format_version', 'schema_migration', 'rows', 'size', 'checksum', 'created_at', 'created_by'] as const;

/** Every read of backups starts here: the scoping helper, and never the content unless asked. */
function scopedBackups(ctx: ServiceContext, db: Kysely<Database> = ctx.db) {
  return db.selectFrom('backups').select(META).where(scopeTo(ctx.principal, BACKUP_SCOPE));
}

const toBackup = (row: Backup): Backup => ({ ...row, format_version: Number(row.format_version), rows: Number(row.rows), size: Number(row.size) });

export async function listBackups(ctx: ServiceContext, tenantRef: string, page: { limit: number; cursor?: string }) {
  const tenant = await getTenant(ctx, tenantRef);
  let query = scopedBackups(ctx).where('backups.tenant_id', '=', tenant.id).orderBy('backups.id', 'desc').limit(page.limit + 1);
  if (page.cursor) query = query.where('backups.id', '<', decodeCursor(page.cursor));
  return pageFrom((await query.execute()).map(toBackup), page.limit, (b) => b.id);
}

export async function getBackup(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<Backup> {
  const row = hasPrefix(id, 'backup') ? await scopedBackups(ctx, db).where('backups.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound(`backup "${id}" was not found`);
  return toBackup(row);
}

async function backupWithContent(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db) {
  const backup = await getBackup(ctx, id, db);
  const { content } = await db.selectFrom('backups').select('content').where('id', '=', backup.id).executeTakeFirstOrThrow();
  return { backup, content: Buffer.from(content) };
}

/** A backup asked for through the API (`backups create`): its id, given before the job takes it. */
export const MANUAL_BACKUP_JOB = 'backup';

/**
 * Queues a job that takes the tenant's backup (the worker runs it; local mode's --wait runs it in
 * the command's own process). The backup's id is chosen now and travels in the job's payload, so
 * the caller can wait for that backup; a job taken again after its worker died takes it under the
 * same id. Refused at once when the tenant is out of scope (404) or a deployment is in progress (409).
 */
export async function requestBackup(ctx: ServiceContext, tenantRef: string): Promise<JobDetail> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, tenantRef, trx);
    await refuseDuringDeployment(trx, tenant, 'backed up');
    const backupId = newId('backup', ctx.clock.now().getTime());
    const job = await enqueueJob(trx, ctx, { tenantId: tenant.id, kind: MANUAL_BACKUP_JOB, payload: { backup_id: backupId, requested_by: ctx.principal.userId }, maxAttempts: 3 });
    await recordAudit(trx, ctx, { action: 'backup.request', targetType: 'backup', targetId: backupId, tenantId: tenant.id, details: { job_id: job.id } });
    return { ...job, payload: JSON.parse(job.payload) as Record<string, unknown>, steps: [] };
  });
}

export interface NewBackup {
  /** default: a new id */
  id?: string;
  /** default: the caller */
  createdBy?: string;
}

/**
 * Takes a snapshot of the tenant now and stores it, then applies the tenant's retention, in one
 * transaction: a process that dies before it commits leaves no backup at all. The backup jobs
 * call it (job.ts): one asked for through the API, and the scheduled ones.
 */
export async function createBackup(ctx: ServiceContext, tenantRef: string, kind: BackupKind = 'manual', made: NewBackup = {}): Promise<Backup> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, tenantRef, trx);
    await refuseDuringDeployment(trx, tenant, 'backed up');
    const tables = await backupTables(trx, ctx.dialect);
    const unreadable = await lackingPrivileges(trx, ctx.dialect, tables.map((t) => t.name), ['SELECT']);
    if (unreadable.length) throw conflict(`cannot back up: the API may not read ${unreadable.join(', ')}`);
    const now = ctx.clock.now().toISOString();
    const doc = await snapshotOf(ctx, trx, tenant, tables, now);
    const { content, checksum } = encodeDocument(doc);
    const row = {
      id: made.id ?? newId('backup', ctx.clock.now().getTime()),
      tenant_id: tenant.id,
      kind,
      status: 'completed' as const,
      format_version: FORMAT_VERSION,
      schema_migration: doc.schema_migration,
      rows: Object.values(doc.tables).reduce((n, t) => n + t.rows.length, 0),
      size: content.length,
      checksum,
      created_at: now,
      created_by: made.createdBy ?? ctx.principal.userId,
    };
    await trx.insertInto('backups').values({ ...row, content }).execute();
    await recordAudit(trx, ctx, {
      action: 'backup.create',
      targetType: 'backup',
      targetId: row.id,
      tenantId: tenant.id,
      details: { kind, rows: row.rows, size: row.size, checksum },
    });
    await applyRetention(ctx, trx, tenant.id);
    return row;
  });
}

async function snapshotOf(ctx: ServiceContext, trx: Kysely<Database>, tenant: Tenant, tables: TableShape[], createdAt: string): Promise<BackupDocument> {
  const doc: BackupDocument = {
    format: BACKUP_FORMAT,
    format_version: FORMAT_VERSION,
    tenant_id: tenant.id,
    dialect: ctx.dialect,
    schema_migration: await latestMigration(trx),
    created_at: createdAt,
    table_order: tables.map((t) => t.name),
    tables: {},
  };
  for (const table of tables) {
    const rows = await readTenantRows(trx, ctx.dialect, ctx.principal, table.name, tenant.id);
    doc.tables[table.name] = { columns: table.columns, primary_key: table.primaryKey, rows: sortRows(rows, table.primaryKey) };
  }
  return doc;
}

async function latestMigration(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select max(name) as name from kysely_migration`.execute(db);
  return rows[0]?.name ?? 'unknown';
}

/**
 * Deletes the tenant's oldest backups beyond its schedule's `keep` (none without a schedule), in
 * the caller's transaction, one audit event each. Runs whenever a backup is made.
 */
export async function applyRetention(ctx: ServiceContext, trx: Kysely<Database>, tenantId: string): Promise<string[]> {
  const schedule = await trx.selectFrom('backup_schedules').select('keep').where(scopeTo(ctx.principal, SCHEDULE_SCOPE)).where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!schedule) return [];
  const expired = await trx
    .selectFrom('backups')
    .select('id')
    .where(scopeTo(ctx.principal, BACKUP_SCOPE))
    .where('tenant_id', '=', tenantId)
    .orderBy('id', 'desc')
    .offset(Number(schedule.keep))
    .limit(1_000_000)
    .execute();
  for (const { id } of expired) {
    await trx.deleteFrom('backups').where(scopeTo(ctx.principal, BACKUP_SCOPE)).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'backup.expire', targetType: 'backup', targetId: id, tenantId, details: { keep: Number(schedule.keep) } });
  }
  return expired.map((e) => e.id);
}

export async function verifyBackup(ctx: ServiceContext, id: string) {
  const { backup, content } = await backupWithContent(ctx, id);
  const checked = await readable(ctx, ctx.db, backup, content);
  const base = { backup_id: backup.id, tenant_id: backup.tenant_id, checksum: backup.checksum };
  if (!checked.ok) return { ...base, valid: false, problem: checked.problem, tables: [] };
  const { doc } = checked;
  return { ...base, valid: true, problem: null, tables: doc.table_order.map((table) => ({ table, rows: doc.tables[table]!.rows.length })) };
}

/**
 * Whether this database can restore the backup: its bytes are intact and its document is the
 * tenant's (decodeDocument), taken from this kind of database, with no table or column this
 * database lacks, and every row in it is the tenant's (ownership.ts). What verify reports and
 * what restore refuses on.
 */
async function readable(ctx: ServiceContext, db: Kysely<Database>, backup: Backup, content: Buffer) {
  const decoded = decodeDocument(content, backup.checksum, backup.tenant_id);
  if (!decoded.ok) return decoded;
  const doc = decoded.doc;
  if (doc.dialect !== ctx.dialect) return { ok: false as const, problem: `it was taken from a ${doc.dialect} database and this one is ${ctx.dialect}` };
  const shapes = new Map((await backupTables(db, ctx.dialect)).map((t) => [t.name, t]));
  const missing = schemaGaps(doc, shapes);
  if (missing.length) return { ok: false as const, problem: `it was taken from a schema with ${missing.join(', ')}, which this database does not have` };
  const foreign = await foreignRow(doc, shapes, (table, columns, keys) => keyOwners(db, table, columns, keys));
  if (foreign) return { ok: false as const, problem: foreign };
  return { ok: true as const, doc, shapes };
}

export async function backupContent(ctx: ServiceContext, id: string) {
  const { backup, content } = await backupWithContent(ctx, id);
  return {
    backup_id: backup.id,
    tenant_id: backup.tenant_id,
    media_type: 'application/gzip' as const,
    encoding: 'base64' as const,
    size: content.length,
    checksum: backup.checksum,
    content: content.toString('base64'),
  };
}

export interface RestoreResult {
  backup_id: string;
  tenant_id: string;
  dry_run: boolean;
  tables: ReturnType<typeof countsOf>[];
}

/**
 * Replaces the tenant's rows with the snapshot's, in one transaction, touching no other tenant.
 * Everything that could refuse the backup (damaged, foreign, another schema, a cancelled tenant)
 * is checked before the first write; a dry run stops after working out the plan.
 */
export async function restoreBackup(ctx: ServiceContext, id: string, input: RestoreBackupInput): Promise<Outcome<RestoreResult>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const { backup, content } = await backupWithContent(ctx, id, trx);
    // Two restores of one tenant, or a restore and a change to its row, queue here on PostgreSQL
    // (SQLite's write transaction already holds the whole database).
    if (ctx.dialect === 'postgres') await sql`select id from tenants where id = ${backup.tenant_id} for update`.execute(trx);
    const tenant = await getTenant(ctx, backup.tenant_id, trx);
    if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled; a backup cannot be restored into it`);
    await refuseDuringDeployment(trx, tenant, 'restored');
    const refused = (problem: string) => conflict(`backup ${backup.id} cannot be restored: ${problem}; nothing was changed`);
    const checked = await readable(ctx, trx, backup, content);
    if (!checked.ok) throw refused(checked.problem);
    const { doc, shapes } = checked;
    const order = [...shapes.keys()].filter((name) => name in doc.tables);
    const lacking = await lackingPrivileges(trx, ctx.dialect, order.filter((t) => t !== 'tenants'), ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    if (lacking.length) throw conflict(`cannot restore: the API may not change ${lacking.join(', ')}; nothing was changed`);

    const plans: TablePlan[] = [];
    for (const table of order) {
      const shape = shapes.get(table)!;
      const snapshot = doc.tables[table]!;
      const columns = table === 'tenants' ? snapshot.columns.filter((c) => !(TENANT_FIELDS_KEPT as readonly string[]).includes(c)) : snapshot.columns;
      const key = table === 'tenants' ? ['id'] : shape.primaryKey;
      const current = await readTenantRows(trx, ctx.dialect, ctx.principal, table, tenant.id);
      plans.push(planTable(table, key, table === 'tenants' ? ['id', ...columns] : columns, current, snapshot.rows));
    }
    const result = { backup_id: backup.id, tenant_id: tenant.id, dry_run: input.dry_run, tables: plans.map(countsOf) };
    if (input.dry_run || !plans.some(changesAnything)) return { value: result, changed: false };

    for (const plan of [...plans].reverse()) await deletePlanned(trx, ctx.principal, plan, tenant.id);
    for (const plan of plans) {
      // A key held by another tenant's row that row-level security hid from readable() (a tenant admin on PostgreSQL).
      const shape = shapes.get(plan.table)!;
      await writePlanned(trx, ctx.dialect, ctx.principal, plan, tenant.id, (error, row) =>
        primaryKeyViolated(error, shape) ? refused(keyHeldElsewhere(plan.table, plan.primaryKey.map((c) => row[c]))) : error,
      );
    }
    if (changesAnything(plans.find((plan) => plan.table === 'tenants')!)) {
      await trx
        .updateTable('tenants')
        .set({ updated_at: ctx.clock.now().toISOString(), version: tenant.version + 1 })
        .where('id', '=', tenant.id)
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: 'backup.restore',
      targetType: 'backup',
      targetId: backup.id,
      tenantId: tenant.id,
      details: { checksum: backup.checksum, backup_created_at: backup.created_at, tables: result.tables.filter((t) => t.deleted + t.inserted + t.updated > 0) },
    });
    return { value: result, changed: true };
  });
}

/** The snapshot's tables and columns this database does not have, as "table t" / "column t.c". */
function schemaGaps(doc: BackupDocument, shapes: Map<string, TableShape>): string[] {
  const gaps: string[] = [];
  for (const table of doc.table_order) {
    const shape = shapes.get(table);
    if (!shape) gaps.push(`table ${table}`);
    else for (const column of doc.tables[table]!.columns) if (!shape.columns.includes(column)) gaps.push(`column ${table}.${column}`);
  }
  return gaps;
}

export async function getBackupSchedule(ctx: ServiceContext, tenantRef: string) {
  const tenant = await getTenant(ctx, tenantRef);
  const row = await ctx.db.selectFrom('backup_schedules').selectAll().where(scopeTo(ctx.principal, SCHEDULE_SCOPE)).where('tenant_id', '=', tenant.id).executeTakeFirst();
  if (!row) throw notFound(`tenant "${tenantRef}" has no backup schedule`);
  return { ...row, every_seconds: Number(row.every_seconds), keep: Number(row.keep) };
}

/**
 * Stores how often the tenant is backed up and how many backups are kept. Taking them on time is
 * the jobs worker's (a scheduled job calls createBackup); until it lands a schedule is stored, and
 * its `keep` already applies whenever a backup is made.
 */
export async function setBackupSchedule(ctx: ServiceContext, tenantRef: string, input: SetBackupScheduleInput) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, tenantRef, trx);
    if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled; it is not backed up on a schedule`);
    const now = ctx.clock.now().toISOString();
    const current = await trx.selectFrom('backup_schedules').selectAll().where(scopeTo(ctx.principal, SCHEDULE_SCOPE)).where('tenant_id', '=', tenant.id).executeTakeFirst();
    const schedule = current && { ...current, every_seconds: Number(current.every_seconds), keep: Number(current.keep) };
    if (schedule && schedule.every_seconds === input.every_seconds && schedule.keep === input.keep) return { value: schedule, changed: false };
    const next = {
      tenant_id: tenant.id,
      every_seconds: input.every_seconds,
      keep: input.keep,
      created_at: schedule?.created_at ?? now,
      updated_at: now,
      updated_by: ctx.principal.userId,
    };
    if (schedule) await trx.updateTable('backup_schedules').set({ every_seconds: next.every_seconds, keep: next.keep, updated_at: now, updated_by: next.updated_by }).where('tenant_id', '=', tenant.id).execute();
    else await trx.insertInto('backup_schedules').values(next).execute();
    await recordAudit(trx, ctx, {
      action: 'backup.schedule',
      targetType: 'tenant',
      targetId: tenant.id,
      tenantId: tenant.id,
      details: { before: schedule ? { every_seconds: schedule.every_seconds, keep: schedule.keep } : null, after: { every_seconds: next.every_seconds, keep: next.keep } },
    });
    return { value: next, changed: true };
  });
}

/**
 * A deployment in progress is work the worker is doing on rows a backup holds: a snapshot taken
 * then would hold a deployment that never finishes once restored, and a restore would pull its
 * rows from under the worker. Both wait for it to end.
 */
async function refuseDuringDeployment(trx: Kysely<Database>, tenant: Tenant, what: 'backed up' | 'restored'): Promise<void> {
  const active = await deploymentInProgress(trx, tenant.id);
  if (active) throw conflict(`tenant "${tenant.slug}" has deployment ${active.id} ${active.status}; it can be ${what} when that ends (dotmac deployments watch ${active.id})`);
}
