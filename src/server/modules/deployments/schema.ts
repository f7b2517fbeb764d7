import { z } from '@hono/zod-openapi';
import { DEPLOYMENT_KINDS, DEPLOYMENT_STATUSES, INSTANCE_SIZES } from '../../../db/tables/deployments.js';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';
import { hasCredentials, isHttpUrl } from './drivers/exec.js';
import { REPLICA_LIMITS } from './pricing.js';

const MAX_REPLICAS = Math.max(...Object.values(REPLICA_LIMITS));

export const DeploymentSchema = z
  .object({
    id: z.string().openapi({ example: 'dep_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    job_id: z.string(),
    kind: z.enum(DEPLOYMENT_KINDS),
    version: z.string(),
    region: z.string(),
    size: z.enum(INSTANCE_SIZES),
    replicas: z.number().int(),
    status: z.enum(DEPLOYMENT_STATUSES),
    endpoint_url: z.string().nullable(),
    rollback_to: z.string().nullable(),
    replaces: z.string().nullable(),
    failure_reason: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi('Deployment');

export const DeploymentListItemSchema = DeploymentSchema.extend({
  tenant_slug: z.string().openapi({ description: 'the tenant\'s slug (lists name it for people)' }),
}).openapi('DeploymentListItem');

export const DeploymentPageSchema = pageOf(DeploymentListItemSchema, 'DeploymentPage');

export const DeploymentEventSchema = z
  .object({
    deployment_id: z.string(),
    seq: z.number().int(),
    at: z.string(),
    type: z.enum(['status', 'step']),
    status: z.enum(DEPLOYMENT_STATUSES).nullable(),
    step: z.string().nullable(),
    progress: z.number().int().nullable(),
    message: z.string().nullable(),
  })
  .openapi('DeploymentEvent');

export const DeploymentEventsSchema = z
  .object({ deployment: DeploymentSchema, events: z.array(DeploymentEventSchema) })
  .openapi('DeploymentEvents');

export const DeploymentListQuery = z.object({
  ...PageQuery,
  tenant: z.string().max(100).optional().openapi({ description: 'tenant id or slug' }),
  status: z.enum(DEPLOYMENT_STATUSES).optional(),
  q: humanText(100).optional().openapi({ description: 'text in the id, version, region, or the tenant\'s slug or name (case-insensitive)' }),
});

export const DeploymentIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'deployment id' }),
});

export const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).max(1_000_000_000).default(0).openapi({ description: 'only events after this seq' }),
});

const endpoint = z
  .string()
  .max(2000)
  .refine(isHttpUrl, 'must be an http:// or https:// URL')
  .refine((value) => !hasCredentials(value), 'must not hold a user name or password (an endpoint is stored and shown)')
  .openapi({ description: 'the instance\'s URL, instead of the driver\'s (master_admin only)' });

export const VERSION = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'letters, digits and . _ + - (e.g. 2.4.1)');

export const CreateDeploymentBody = z
  .strictObject({
    tenant: z.string().min(1).max(100).openapi({ description: 'tenant id or slug' }),
    version: VERSION,
    region: humanText(50).min(1).optional().openapi({ description: 'default: the tenant\'s region' }),
    size: z.enum(INSTANCE_SIZES).default('small'),
    replicas: z.number().int().min(1).max(MAX_REPLICAS).default(1),
    endpoint: endpoint.optional(),
  })
  .openapi('CreateDeployment');

export const RollbackBody = z
  .strictObject({
    tenant: z.string().min(1).max(100),
    to: z.string().min(1).max(100).optional().openapi({ description: 'the succeeded deployment to return to (default: the one before the current)' }),
  })
  .openapi('RollbackDeployment');

export const ScaleBody = z
  .strictObject({
    replicas: z.number().int().min(1).max(MAX_REPLICAS),
    size: z.enum(INSTANCE_SIZES).optional().openapi({ description: 'default: the current deployment\'s size' }),
    dry_run: z.boolean().default(false),
  })
  .openapi('ScaleTenant');

const ShapeSchema = z.object({ size: z.enum(INSTANCE_SIZES), replicas: z.number().int(), monthly_cents: z.number().int() });

export const ScalePlanSchema = z
  .object({
    tenant_id: z.string(),
    currency: z.literal('USD'),
    current: ShapeSchema,
    proposed: ShapeSchema,
    difference_cents: z.number().int(),
    more_than_doubles: z.boolean(),
    deployment: DeploymentSchema.nullable().openapi({ description: 'the scaling deployment; null for a dry run' }),
  })
  .openapi('ScalePlan');

export type CreateDeploymentInput = z.infer<typeof CreateDeploymentBody>;
export type RollbackInput = z.infer<typeof RollbackBody>;
export type ScaleInput = z.infer<typeof ScaleBody>;
export type DeploymentListFilter = z.infer<typeof DeploymentListQuery>;
