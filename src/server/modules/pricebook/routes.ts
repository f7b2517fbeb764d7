import { PEOPLE_ROLES } from '../../auth/principal.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { PlanListSchema, PriceBookQuery, PriceBookSchema, PublishedPriceBookSchema } from './schema.js';
import { listPlans, loadPriceBook, publishPriceBook } from './service.js';

export const priceBookRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/pricebooks',
      operationId: 'getPriceBook',
      tags: ['pricebook'],
      summary: 'A published price book (the newest unless a version is named): plans, bands, allowances, overage, add-ons, terms',
      request: { query: PriceBookQuery },
      responses: { 200: json(PriceBookSchema, 'The price book document'), ...problems(404) },
    },
    async (c, ctx) => c.json(await loadPriceBook(ctx.db, c.req.valid('query').version), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/pricebooks',
      operationId: 'publishPriceBook',
      tags: ['pricebook'],
      summary: 'Publish a new price book version; a version that exists is never changed (409)',
      request: jsonBody(PriceBookSchema),
      responses: { 201: json(PublishedPriceBookSchema, 'The version published'), ...problems(403, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await publishPriceBook(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/plans',
      operationId: 'listPlans',
      tags: ['pricebook'],
      summary: 'The plans of a price book (the newest unless a version is named)',
      request: { query: PriceBookQuery },
      responses: { 200: json(PlanListSchema, 'The plans'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listPlans(ctx, c.req.valid('query').version), 200),
  ),
];
