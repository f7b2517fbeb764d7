import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { CreateResellerBody, ResellerListQuery, ResellerPageSchema, ResellerRefParam, ResellerSchema } from './schema.js';
import { createReseller, getReseller, listResellers } from './service.js';

export const resellerRoutes = [
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'get',
      path: '/v1/resellers',
      operationId: 'listResellers',
      tags: ['resellers'],
      request: { query: ResellerListQuery },
      responses: { 200: json(ResellerPageSchema, 'A page of resellers'), ...problems(400, 403) },
    },
    async (c, ctx) => c.json(await listResellers(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'get',
      path: '/v1/resellers/{ref}',
      operationId: 'getReseller',
      tags: ['resellers'],
      request: { params: ResellerRefParam },
      responses: { 200: json(ResellerSchema, 'The reseller'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await getReseller(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/resellers',
      operationId: 'createReseller',
      tags: ['resellers'],
      request: jsonBody(CreateResellerBody),
      responses: { 201: json(ResellerSchema, 'The new reseller'), ...problems(400, 403, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await createReseller(ctx, c.req.valid('json')), 201),
  ),
];
