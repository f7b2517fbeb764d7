import type { Selectable } from 'kysely';

/** How often a tenant is backed up and how many backups are kept; run by the jobs worker. */
export interface BackupSchedulesTable {
  tenant_id: string;
  every_seconds: number;
  keep: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export type BackupScheduleRow = Selectable<BackupSchedulesTable>;
