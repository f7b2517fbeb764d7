import type { Insertable, Selectable } from 'kysely';

export const BACKUP_KINDS = ['manual', 'scheduled'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/** Made synchronously today; `pending`/`running`/`failed` are for when backups run as jobs. */
export const BACKUP_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

/** One tenant snapshot: a gzip of the canonical JSON document, and the SHA-256 of those bytes. */
export interface BackupsTable {
  id: string;
  tenant_id: string;
  kind: BackupKind;
  status: BackupStatus;
  format_version: number;
  /** the last migration of the database it was taken from */
  schema_migration: string;
  /** rows in the snapshot, over all its tables */
  rows: number;
  /** bytes of the compressed content */
  size: number;
  /** hex SHA-256 of the compressed content */
  checksum: string;
  created_at: string;
  created_by: string;
  content: Uint8Array;
}

export type BackupRow = Selectable<BackupsTable>;
export type NewBackupRow = Insertable<BackupsTable>;
