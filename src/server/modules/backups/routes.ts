import { PEOPLE_ROLES } from '../../auth/principal.js';
import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { JobSchema } from '../jobs/schema.js';
import { TenantRefParam } from '../tenants/schema.js';
import {
  BackupContentSchema,
  BackupIdParam,
  BackupListQuery,
  BackupPageSchema,
  BackupScheduleSchema,
  BackupSchema,
  BackupVerificationSchema,
  RestoreBackupBody,
  RestoreResultSchema,
  SetBackupScheduleBody,
} from './schema.js';
import { backupContent, getBackup, getBackupSchedule, listBackups, requestBackup, restoreBackup, setBackupSchedule, verifyBackup } from './service.js';

// Staff any tenant's backups, a tenant admin its own; a reseller sees its customers' backups
// (list, get) but neither takes, reads, nor restores them: a backup holds all the tenant's data.
const ADMINS = ['master_admin', 'tenant_admin'] as const;
const tenantRef = { params: TenantRefParam };
const backupRef = { params: BackupIdParam };

export const backupRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/tenants/{ref}/backups',
      operationId: 'listBackups',
      tags: ['backups'],
      summary: 'List a tenant\'s backups, newest first',
      request: { ...tenantRef, query: BackupListQuery },
      responses: { 200: json(BackupPageSchema, 'A page of backups'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listBackups(ctx, c.req.valid('param').ref, c.req.valid('query')), 200),
  ),
  defineRoute(
    ADMINS,
    {
      method: 'post',
      path: '/v1/tenants/{ref}/backups',
      operationId: 'createBackup',
      tags: ['backups'],
      summary: 'Queue a job that backs up every row the tenant owns, then applies its retention',
      description:
        'The answer is the queued job; its payload names the backup (`backup_id`) the job will make, under that id, once a worker runs it. ' +
        'Follow it with GET /v1/jobs/{id}; when it has succeeded, GET /v1/backups/{backup_id} is the backup.',
      request: tenantRef,
      responses: { 202: json(JobSchema, 'The queued backup job'), ...problems(403, 404, 409, 422) },
    },
    async (c, ctx) => c.json(await requestBackup(ctx, c.req.valid('param').ref), 202),
  ),
  defineRoute(
    ADMINS,
    {
      method: 'get',
      path: '/v1/tenants/{ref}/backup-schedule',
      operationId: 'getBackupSchedule',
      tags: ['backups'],
      summary: 'How often the tenant is backed up and how many backups are kept (404 when it has no schedule)',
      request: tenantRef,
      responses: { 200: json(BackupScheduleSchema, 'The schedule'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await getBackupSchedule(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    ADMINS,
    {
      method: 'put',
      path: '/v1/tenants/{ref}/backup-schedule',
      operationId: 'setBackupSchedule',
      tags: ['backups'],
      summary: 'Set how often the tenant is backed up and how many backups are kept (run by the jobs worker)',
      request: { ...tenantRef, ...jsonBody(SetBackupScheduleBody) },
      responses: { 200: changed(BackupScheduleSchema, 'The schedule after the change'), ...problems(403, 404, 409, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await setBackupSchedule(ctx, c.req.valid('param').ref, c.req.valid('json'))),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/backups/{backup}',
      operationId: 'getBackup',
      tags: ['backups'],
      request: backupRef,
      responses: { 200: json(BackupSchema, 'The backup (without its content)'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getBackup(ctx, c.req.valid('param').backup), 200),
  ),
  defineRoute(
    ADMINS,
    {
      method: 'get',
      path: '/v1/backups/{backup}/verify',
      operationId: 'verifyBackup',
      tags: ['backups'],
      summary: 'Recompute the checksum and check that the document parses and belongs to the tenant',
      request: backupRef,
      responses: { 200: json(BackupVerificationSchema, 'Whether the backup can be restored, and why not'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await verifyBackup(ctx, c.req.valid('param').backup), 200),
  ),
  defineRoute(
    ADMINS,
    {
      method: 'get',
      path: '/v1/backups/{backup}/content',
      operationId: 'downloadBackup',
      tags: ['backups'],
      summary: 'The compressed document (gzip), base64 in JSON',
      request: backupRef,
      responses: { 200: json(BackupContentSchema, 'The backup\'s bytes'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await backupContent(ctx, c.req.valid('param').backup), 200),
  ),
  defineRoute(
    ADMINS,
    {
      method: 'post',
      path: '/v1/backups/{backup}/restore',
      operationId: 'restoreBackup',
      tags: ['backups'],
      summary: 'Replace the tenant\'s rows with the backup\'s, in one transaction (or, with dry_run, say what would change)',
      request: { ...backupRef, ...jsonBody(RestoreBackupBody) },
      responses: { 200: changed(RestoreResultSchema, 'What was (or would be) changed, per table'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await restoreBackup(ctx, c.req.valid('param').backup, c.req.valid('json'))),
  ),
];
