import type { Migration } from 'kysely';
import * as foundation from './2026112501_foundation.js';
import * as idempotencySweep from './2026112601_idempotency_sweep.js';
import * as auditKeyed from './2026112602_audit_keyed.js';
import * as rowLevelSecurity from './2026112603_row_level_security.js';
import * as configurations from './2026120201_configurations.js';
import * as jobsDeployments from './2026120202_jobs_deployments.js';
import * as backups from './2026120203_backups.js';
import * as health from './2026120204_health.js';

/** A static map, not a directory scan, so a bundled build still finds every migration. */
export const migrations: Record<string, Migration> = {
  '2026112501_foundation': foundation,
  '2026112601_idempotency_sweep': idempotencySweep,
  '2026112602_audit_keyed': auditKeyed,
  '2026112603_row_level_security': rowLevelSecurity,
  '2026120201_configurations': configurations,
  '2026120202_jobs_deployments': jobsDeployments,
  '2026120203_backups': backups,
  '2026120204_health': health,
};
