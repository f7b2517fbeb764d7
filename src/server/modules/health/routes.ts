import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { HealthListQuery, HealthListSchema, InstanceTenantParam, ProbeBody, ProbeResultsSchema, PushedMetricsSchema, PushMetricsBody, TenantHealthSchema } from './schema.js';
import { TenantRefParam } from '../tenants/schema.js';
import { listHealth, probeNow, pushMetrics, tenantHealth } from './service.js';

const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;

export const healthRoutes = [
  defineRoute(
    // the one route an instance agent may call: its own tenant's metrics (another tenant is 404)
    ['master_admin', 'instance'],
    {
      method: 'post',
      path: '/v1/instances/{tenant}/metrics',
      operationId: 'pushMetrics',
      tags: ['health'],
      summary: 'Store a batch of metric points pushed by the tenant\'s instance agent (all or nothing)',
      request: { params: InstanceTenantParam, ...jsonBody(PushMetricsBody) },
      responses: { 200: json(PushedMetricsSchema, 'How many points were stored'), ...problems(400, 403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await pushMetrics(ctx, c.req.valid('param').tenant, c.req.valid('json')), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/health',
      operationId: 'listHealth',
      tags: ['health'],
      summary: 'Health of every tenant the caller may see (cancelled ones aside), worst first',
      request: { query: HealthListQuery },
      responses: { 200: json(HealthListSchema, 'One summary per tenant, worst first'), ...problems() },
    },
    async (c, ctx) => c.json(await listHealth(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/tenants/{ref}/health',
      operationId: 'getTenantHealth',
      tags: ['health'],
      summary: 'One tenant\'s health, with its last 60 probes',
      request: { params: TenantRefParam },
      responses: { 200: json(TenantHealthSchema, 'The tenant\'s health'), ...problems(404) },
    },
    async (c, ctx) => c.json(await tenantHealth(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    ['master_admin', 'tenant_admin'],
    {
      method: 'post',
      path: '/v1/health/probe',
      operationId: 'probeHealth',
      tags: ['health'],
      summary: 'Probe now: GET {endpoint_url}/health of the tenant\'s current deployment (or every tenant\'s in scope), and record it',
      request: jsonBody(ProbeBody),
      responses: { 200: json(ProbeResultsSchema, 'What each probe found'), ...problems(400, 403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await probeNow(ctx, c.req.valid('json')), 200),
  ),
];
