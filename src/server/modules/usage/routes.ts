import { PEOPLE_ROLES } from '../../auth/principal.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { InstanceTenantParam } from '../health/schema.js';
import { RecordedUsageSchema, RecordUsageBody, UsageListSchema, UsageQuery } from './schema.js';
import { recordUsage, showUsage } from './service.js';

export const usageRoutes = [
  defineRoute(
    // an instance agent's own tenant's usage (another tenant is 404), or staff's `usage record`
    ['master_admin', 'instance'],
    {
      method: 'post',
      path: '/v1/instances/{tenant}/usage',
      operationId: 'recordUsage',
      tags: ['usage'],
      summary: 'Record a month\'s usage figures so far; each stored figure only rises (a retry or a lower reading changes nothing)',
      request: { params: InstanceTenantParam, ...jsonBody(RecordUsageBody) },
      responses: { 200: json(RecordedUsageSchema, 'The month\'s figures after the reading'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await recordUsage(ctx, c.req.valid('param').tenant, c.req.valid('json')), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/usage',
      operationId: 'showUsage',
      tags: ['usage'],
      summary: 'A month\'s usage against the plan\'s allowances and hard cap, per tenant in scope',
      request: { query: UsageQuery },
      responses: { 200: json(UsageListSchema, 'Usage per tenant'), ...problems(404) },
    },
    async (c, ctx) => c.json(await showUsage(ctx, c.req.valid('query')), 200),
  ),
];
