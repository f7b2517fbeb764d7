import { PEOPLE_ROLES } from '../../auth/principal.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { TenantRefParam } from '../tenants/schema.js';
import { CustomerHealthListSchema, CustomerHealthQuery, NpsResponseSchema, RecordNpsBody } from './schema.js';
import { listCustomerHealth, recordNps } from './service.js';

export const customerRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/customers/health',
      operationId: 'listCustomerHealth',
      tags: ['customers'],
      summary: 'Customer health 0–100 with its band, flags and each component\'s input and score, worst first',
      request: { query: CustomerHealthQuery },
      responses: { 200: json(CustomerHealthListSchema, 'One score per customer in scope'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listCustomerHealth(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'post',
      path: '/v1/tenants/{ref}/nps',
      operationId: 'recordNps',
      tags: ['customers'],
      summary: 'Record a customer\'s NPS answer (0–10), the sentiment input of its health',
      request: { params: TenantRefParam, ...jsonBody(RecordNpsBody) },
      responses: { 201: json(NpsResponseSchema, 'The recorded answer'), ...problems(404, 413, 422) },
    },
    async (c, ctx) => c.json(await recordNps(ctx, c.req.valid('param').ref, c.req.valid('json')), 201),
  ),
];
