import type { z } from '@hono/zod-openapi';
import type { AuditEventSchema, ChainCheckSchema } from '../server/modules/audit/schema.js';
import type { CreateResellerBody, ResellerSchema } from '../server/modules/resellers/schema.js';
import type { CreateTenantBody, TenantSchema, UpdateTenantBody } from '../server/modules/tenants/schema.js';
import type { CreateTokenBody, IssuedTokenSchema, MeSchema, TokenSchema } from '../server/modules/tokens/schema.js';
import type { ApplyConfigsBody, ChangeConfigsBody, ConfigChangeSchema, ConfigDeltaSchema, ConfigEntrySchema, ConfigPlanSchema, ConfigurationSchema, ConfigVersionSchema } from '../server/modules/configs/schema.js';
import type { BackupContentSchema, BackupScheduleSchema, BackupSchema, BackupVerificationSchema, RestoreResultSchema, SetBackupScheduleBody } from '../server/modules/backups/schema.js';
import type { OverviewSchema } from '../server/modules/analytics/schema.js';
import type { CreateDeploymentBody, DeploymentEventSchema, DeploymentEventsSchema, DeploymentSchema, ScaleBody, ScalePlanSchema } from '../server/modules/deployments/schema.js';
import type { JobPageSchema, JobSchema } from '../server/modules/jobs/schema.js';
import type { HealthListSchema, HealthSummarySchema, ProbeResultsSchema, PushedMetricsSchema, PushMetricsBody, TenantHealthSchema } from '../server/modules/health/schema.js';

// Types only: the contract is written once, in the server's schemas, and erased at run time.
export type Tenant = z.infer<typeof TenantSchema>;
export type CreateTenant = z.input<typeof CreateTenantBody>;
export type UpdateTenant = z.input<typeof UpdateTenantBody>;
export type Reseller = z.infer<typeof ResellerSchema>;
export type CreateReseller = z.input<typeof CreateResellerBody>;
export type Token = z.infer<typeof TokenSchema>;
export type IssuedToken = z.infer<typeof IssuedTokenSchema>;
export type CreateToken = z.input<typeof CreateTokenBody>;
export type Me = z.infer<typeof MeSchema>;
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type ChainCheck = z.infer<typeof ChainCheckSchema>;
export type Overview = z.infer<typeof OverviewSchema>;
export type Configuration = z.infer<typeof ConfigurationSchema>;
export type ConfigEntry = z.infer<typeof ConfigEntrySchema>;
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;
export type ConfigPlan = z.infer<typeof ConfigPlanSchema>;
export type ConfigDelta = z.infer<typeof ConfigDeltaSchema>;
export type ConfigVersion = z.infer<typeof ConfigVersionSchema>;
export type ChangeConfigs = z.input<typeof ChangeConfigsBody>;
export type ApplyConfigs = z.input<typeof ApplyConfigsBody>;
export type Backup = z.infer<typeof BackupSchema>;
export type BackupVerification = z.infer<typeof BackupVerificationSchema>;
export type BackupContent = z.infer<typeof BackupContentSchema>;
export type RestoreResult = z.infer<typeof RestoreResultSchema>;
export type BackupSchedule = z.infer<typeof BackupScheduleSchema>;
export type SetBackupSchedule = z.input<typeof SetBackupScheduleBody>;
export type Deployment = z.infer<typeof DeploymentSchema>;
export type DeploymentEvent = z.infer<typeof DeploymentEventSchema>;
export type DeploymentEvents = z.infer<typeof DeploymentEventsSchema>;
export type CreateDeployment = z.input<typeof CreateDeploymentBody>;
export type ScaleTenant = z.input<typeof ScaleBody>;
export type ScalePlan = z.infer<typeof ScalePlanSchema>;
export type Job = z.infer<typeof JobSchema>;
export type JobSummary = z.infer<typeof JobPageSchema>['data'][number];
export type HealthSummary = z.infer<typeof HealthSummarySchema>;
export type HealthList = z.infer<typeof HealthListSchema>;
export type TenantHealth = z.infer<typeof TenantHealthSchema>;
export type ProbeResults = z.infer<typeof ProbeResultsSchema>;
export type PushMetrics = z.input<typeof PushMetricsBody>;
export type PushedMetrics = z.infer<typeof PushedMetricsSchema>;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface PageParams {
  limit?: number;
  cursor?: string;
}

export interface TenantFilter extends PageParams {
  status?: string;
  plan?: string;
  reseller?: string;
  q?: string;
}
