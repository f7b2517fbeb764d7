import { z } from '@hono/zod-openapi';
import { BACKUP_KINDS, BACKUP_STATUSES } from '../../../db/tables/backups.js';
import { pageOf, PageQuery } from '../../routing.js';

export const BackupSchema = z
  .object({
    id: z.string().openapi({ example: 'bak_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    kind: z.enum(BACKUP_KINDS),
    status: z.enum(BACKUP_STATUSES),
    format_version: z.number().int(),
    schema_migration: z.string().openapi({ description: 'the last migration of the database the backup was taken from' }),
    rows: z.number().int().openapi({ description: 'rows in the snapshot, over all its tables' }),
    size: z.number().int().openapi({ description: 'bytes of the gzip-compressed document' }),
    checksum: z.string().openapi({ description: 'hex SHA-256 of the compressed document' }),
    created_at: z.string(),
    created_by: z.string(),
  })
  .openapi('Backup');

export const BackupPageSchema = pageOf(BackupSchema, 'BackupPage');
export const BackupListQuery = z.object({ ...PageQuery });

export const BackupIdParam = z.object({
  backup: z.string().min(1).max(100).openapi({ param: { name: 'backup', in: 'path' }, description: 'backup id (bak_…)' }),
});

export const BackupVerificationSchema = z
  .object({
    backup_id: z.string(),
    tenant_id: z.string(),
    valid: z.boolean(),
    problem: z.string().nullable().openapi({ description: 'why the backup cannot be restored, when it is not valid' }),
    checksum: z.string(),
    tables: z.array(z.object({ table: z.string(), rows: z.number().int() })).openapi({ description: 'what the document holds (empty when it cannot be read)' }),
  })
  .openapi('BackupVerification');

export const BackupContentSchema = z
  .object({
    backup_id: z.string(),
    tenant_id: z.string(),
    media_type: z.literal('application/gzip'),
    encoding: z.literal('base64'),
    size: z.number().int(),
    checksum: z.string().openapi({ description: 'hex SHA-256 of the decoded bytes' }),
    content: z.string().openapi({ description: 'the compressed document, base64' }),
  })
  .openapi('BackupContent');

export const RestoreBackupBody = z
  .strictObject({
    dry_run: z.boolean().default(false).openapi({ description: 'work out what would change, and change nothing' }),
  })
  .openapi('RestoreBackup');

const TableCountsSchema = z.object({
  table: z.string(),
  deleted: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

export const RestoreResultSchema = z
  .object({
    backup_id: z.string(),
    tenant_id: z.string(),
    dry_run: z.boolean(),
    tables: z.array(TableCountsSchema).openapi({ description: 'per table, parents first: rows deleted, inserted, updated and left unchanged (or that would be)' }),
  })
  .openapi('RestoreResult');

export const BackupScheduleSchema = z
  .object({
    tenant_id: z.string(),
    every_seconds: z.number().int(),
    keep: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string(),
  })
  .openapi('BackupSchedule');

export const SetBackupScheduleBody = z
  .strictObject({
    every_seconds: z.number().int().min(3600).max(366 * 86400).openapi({ description: 'how often a backup is taken (1 hour to 366 days)' }),
    keep: z.number().int().min(1).max(1000).openapi({ description: 'how many backups to keep; the oldest beyond it are deleted each time one is made' }),
  })
  .openapi('SetBackupSchedule');

export type RestoreBackupInput = z.infer<typeof RestoreBackupBody>;
export type SetBackupScheduleInput = z.infer<typeof SetBackupScheduleBody>;
export type Backup = z.infer<typeof BackupSchema>;
