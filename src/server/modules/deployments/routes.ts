import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { TenantRefParam } from '../tenants/schema.js';
import {
  CreateDeploymentBody,
  DeploymentEventsSchema,
  DeploymentIdParam,
  DeploymentListQuery,
  DeploymentPageSchema,
  DeploymentSchema,
  EventsQuery,
  RollbackBody,
  ScaleBody,
  ScalePlanSchema,
} from './schema.js';
import { createDeployment, getDeployment, listDeploymentEvents, listDeployments, rollbackDeployment, scaleTenant } from './service.js';

const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;
const OPERATORS = ['master_admin', 'tenant_admin'] as const;

export const deploymentRoutes = [
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/deployments',
      operationId: 'listDeployments',
      tags: ['deployments'],
      summary: 'List deployments, newest first (a tenant admin its tenant\'s, a reseller its customers\')',
      request: { query: DeploymentListQuery },
      responses: { 200: json(DeploymentPageSchema, 'A page of deployments'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listDeployments(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    OPERATORS,
    {
      method: 'post',
      path: '/v1/deployments',
      operationId: 'createDeployment',
      tags: ['deployments'],
      summary: 'Queue a deployment of a version (endpoint: master_admin only)',
      request: jsonBody(CreateDeploymentBody),
      responses: { 201: json(DeploymentSchema, 'The queued deployment; its job_id is the job a worker runs'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await createDeployment(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    OPERATORS,
    {
      method: 'post',
      path: '/v1/deployments/rollback',
      operationId: 'rollbackDeployment',
      tags: ['deployments'],
      summary: 'Queue a deployment back to an earlier one (default: the succeeded one before the current)',
      request: jsonBody(RollbackBody),
      responses: { 201: json(DeploymentSchema, 'The queued rollback'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await rollbackDeployment(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/deployments/{id}',
      operationId: 'getDeployment',
      tags: ['deployments'],
      request: { params: DeploymentIdParam },
      responses: { 200: json(DeploymentSchema, 'The deployment'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getDeployment(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/deployments/{id}/events',
      operationId: 'listDeploymentEvents',
      tags: ['deployments'],
      summary: 'The deployment now, and its events after a seq, in order (what `deployments watch` polls)',
      request: { params: DeploymentIdParam, query: EventsQuery },
      responses: { 200: json(DeploymentEventsSchema, 'The deployment and its events'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listDeploymentEvents(ctx, c.req.valid('param').id, c.req.valid('query').after), 200),
  ),
  defineRoute(
    OPERATORS,
    {
      method: 'post',
      path: '/v1/tenants/{ref}/scale',
      operationId: 'scaleTenant',
      tags: ['deployments'],
      summary: 'Monthly cost before and after, and (unless dry_run) the scaling deployment',
      request: { params: TenantRefParam, ...jsonBody(ScaleBody) },
      responses: {
        200: json(ScalePlanSchema, 'A dry run: the cost change, nothing written'),
        201: json(ScalePlanSchema, 'The cost change and the queued scaling deployment'),
        ...problems(403, 404, 409, 413, 422),
      },
    },
    async (c, ctx) => {
      const input = c.req.valid('json');
      const plan = await scaleTenant(ctx, c.req.valid('param').ref, input);
      return input.dry_run ? c.json(plan, 200) : c.json(plan, 201);
    },
  ),
];
