import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { AssignTerritoryBody, CreateTerritoryBody, TerritoryListSchema, TerritoryRefParam, TerritorySchema } from './schema.js';
import { assignTerritory, createTerritory, listTerritories } from './service.js';

export const territoryRoutes = [
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'get',
      path: '/v1/territories',
      operationId: 'listTerritories',
      tags: ['territories'],
      summary: 'Territories by name: staff see all, with the regions each shares with others; a reseller sees those it holds',
      responses: { 200: json(TerritoryListSchema, 'The territories'), ...problems() },
    },
    async (c, ctx) => c.json(await listTerritories(ctx), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/territories',
      operationId: 'createTerritory',
      tags: ['territories'],
      summary: 'Create a territory: a named list of region codes, unassigned',
      request: jsonBody(CreateTerritoryBody),
      responses: { 201: json(TerritorySchema, 'The new territory'), ...problems(409, 413, 422) },
    },
    async (c, ctx) => c.json(await createTerritory(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/territories/{ref}/assign',
      operationId: 'assignTerritory',
      tags: ['territories'],
      summary: 'Give the territory to a reseller, or take it back (reseller: null)',
      request: { params: TerritoryRefParam, ...jsonBody(AssignTerritoryBody) },
      responses: { 200: changed(TerritorySchema, 'The territory after the change'), ...problems(404, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await assignTerritory(ctx, c.req.valid('param').ref, c.req.valid('json'))),
  ),
];
