import type { Kysely } from 'kysely';
import type { BackupSchedulesTable } from './tables/backup-schedules.js';
import type { BackupsTable } from './tables/backups.js';
import type { AuditChainTable, AuditEventsTable } from './tables/audit-events.js';
import type { ConfigurationsTable, ConfigurationVersionsTable } from './tables/configurations.js';
import type { DeploymentEventsTable, DeploymentsTable } from './tables/deployments.js';
import type { HealthChecksTable, MetricPointsTable, MetricRollupsTable } from './tables/health.js';
import type { IdempotencyKeysTable } from './tables/idempotency-keys.js';
import type { RateLimitsTable } from './tables/rate-limits.js';
import type { JobStepsTable, JobsTable } from './tables/jobs.js';
import type { ResellersTable } from './tables/resellers.js';
import type { TenantsTable } from './tables/tenants.js';
import type { TokensTable } from './tables/tokens.js';
import type { UsersTable } from './tables/users.js';

export interface Database {
  tenants: TenantsTable;
  resellers: ResellersTable;
  users: UsersTable;
  tokens: TokensTable;
  audit_events: AuditEventsTable;
  audit_chain: AuditChainTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_limits: RateLimitsTable;
  configurations: ConfigurationsTable;
  configuration_versions: ConfigurationVersionsTable;
  backups: BackupsTable;
  backup_schedules: BackupSchedulesTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  deployments: DeploymentsTable;
  deployment_events: DeploymentEventsTable;
  health_checks: HealthChecksTable;
  metric_points: MetricPointsTable;
  metric_rollups: MetricRollupsTable;
}

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
