import type { Selectable } from 'kysely';

export const DEPLOYMENT_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'rolled_back'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DEPLOYMENT_KINDS = ['deploy', 'rollback', 'scale'] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

export const INSTANCE_SIZES = ['micro', 'small', 'medium', 'large', 'xlarge'] as const;
export type InstanceSize = (typeof INSTANCE_SIZES)[number];

export interface DeploymentsTable {
  id: string;
  tenant_id: string;
  job_id: string;
  kind: DeploymentKind;
  version: string;
  region: string;
  size: InstanceSize;
  replicas: number;
  status: DeploymentStatus;
  /** the driver's, or the one master_admin gave */
  endpoint_url: string | null;
  /** the deployment a rollback returns to */
  rollback_to: string | null;
  /** the tenant's current deployment when this one was made: a rollback marks it rolled_back */
  replaces: string | null;
  failure_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const DEPLOYMENT_STEPS = ['validate', 'provision', 'configure', 'health_check'] as const;
export type DeploymentStep = (typeof DEPLOYMENT_STEPS)[number];

/** What happened to a deployment, numbered from 1 in the order it happened. */
export interface DeploymentEventsTable {
  deployment_id: string;
  seq: number;
  tenant_id: string;
  at: string;
  /** `status`: the deployment moved to `status`; `step`: a step's progress (100 = finished) */
  type: 'status' | 'step';
  status: DeploymentStatus | null;
  step: string | null;
  progress: number | null;
  message: string | null;
}

export type DeploymentRow = Selectable<DeploymentsTable>;
export type DeploymentEventRow = Selectable<DeploymentEventsTable>;
