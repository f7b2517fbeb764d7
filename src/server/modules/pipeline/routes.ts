import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { CreateOpportunityBody, MoveOpportunityBody, OpportunityDetailSchema, OpportunityIdParam, OpportunityListQuery, OpportunityPageSchema } from './schema.js';
import { createOpportunity, getOpportunity, listOpportunities, moveOpportunity } from './service.js';

/** Opportunities are a reseller's own (staff see all); a tenant admin has none to see. */
const SELLERS = ['master_admin', 'reseller'] as const;

export const pipelineRoutes = [
  defineRoute(
    SELLERS,
    {
      method: 'get',
      path: '/v1/opportunities',
      operationId: 'listOpportunities',
      tags: ['pipeline'],
      summary: 'Opportunities with their weighted value, and totals by stage over all that match',
      request: { query: OpportunityListQuery },
      responses: { 200: json(OpportunityPageSchema, 'A page of opportunities, with totals'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listOpportunities(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'post',
      path: '/v1/opportunities',
      operationId: 'createOpportunity',
      tags: ['pipeline'],
      summary: 'Open an opportunity with a prospect, in a region of the reseller\'s territories (else 403 outside_territory)',
      request: jsonBody(CreateOpportunityBody),
      responses: { 201: json(OpportunityDetailSchema, 'The new opportunity'), ...problems(404, 413, 422) },
    },
    async (c, ctx) => c.json(await createOpportunity(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'get',
      path: '/v1/opportunities/{id}',
      operationId: 'getOpportunity',
      tags: ['pipeline'],
      summary: 'One opportunity with its stage history',
      request: { params: OpportunityIdParam },
      responses: { 200: json(OpportunityDetailSchema, 'The opportunity'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getOpportunity(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'post',
      path: '/v1/opportunities/{id}/move',
      operationId: 'moveOpportunity',
      tags: ['pipeline'],
      summary: 'Move to another stage: forward any number, back one, or to lost; won and lost are final (409)',
      request: { params: OpportunityIdParam, ...jsonBody(MoveOpportunityBody) },
      responses: { 200: changed(OpportunityDetailSchema, 'The opportunity after the move'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await moveOpportunity(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
];
