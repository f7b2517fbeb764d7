import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import {
  CompleteTrainingBody,
  CreateResellerBody,
  KpiQuery,
  ResellerKpisListSchema,
  ResellerKpisSchema,
  ResellerListQuery,
  ResellerPageSchema,
  ResellerRefParam,
  ResellerSchema,
  TrainingSchema,
  UpdateResellerBody,
} from './schema.js';
import { createReseller, getReseller, listResellers, updateReseller } from './service.js';
import { getResellerKpis, listResellerKpis } from './kpi-service.js';
import { completeTraining, listTraining } from './training-service.js';

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
  // before /v1/resellers/{ref}, which would otherwise take `kpis` for a reseller's slug
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'get',
      path: '/v1/resellers/kpis',
      operationId: 'listResellerKpis',
      tags: ['resellers'],
      summary: 'Every reseller\'s KPIs for a month (a reseller: its own)',
      request: { query: KpiQuery },
      responses: { 200: json(ResellerKpisListSchema, 'The KPIs of each reseller'), ...problems(400, 403) },
    },
    async (c, ctx) => c.json(await listResellerKpis(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'get',
      path: '/v1/resellers/{ref}/kpis',
      operationId: 'getResellerKpis',
      tags: ['resellers'],
      summary: 'A reseller\'s KPIs for a month: revenue, MRR movement, retention, pipeline, win rate, quote-to-close, commissions, attainment',
      request: { params: ResellerRefParam, query: KpiQuery },
      responses: { 200: json(ResellerKpisSchema, 'The reseller\'s KPIs'), ...problems(400, 403, 404) },
    },
    async (c, ctx) => c.json(await getResellerKpis(ctx, c.req.valid('param').ref, c.req.valid('query')), 200),
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
  defineRoute(
    ['master_admin'],
    {
      method: 'patch',
      path: '/v1/resellers/{ref}',
      operationId: 'updateReseller',
      tags: ['resellers'],
      summary: 'Partner settings: tier (or auto, to follow revenue), quarterly quota, kind, default commission rate',
      request: { params: ResellerRefParam, ...jsonBody(UpdateResellerBody) },
      responses: { 200: changed(ResellerSchema, 'The reseller after the change'), ...problems(403, 404, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await updateReseller(ctx, c.req.valid('param').ref, c.req.valid('json'))),
  ),
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'get',
      path: '/v1/resellers/{ref}/training',
      operationId: 'listResellerTraining',
      tags: ['resellers'],
      summary: 'Certification modules: which the tier requires and which are completed',
      request: { params: ResellerRefParam },
      responses: { 200: json(TrainingSchema, 'The reseller\'s training'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await listTraining(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/resellers/{ref}/training',
      operationId: 'completeResellerTraining',
      tags: ['resellers'],
      summary: 'Record a completed certification module (again: unchanged)',
      request: { params: ResellerRefParam, ...jsonBody(CompleteTrainingBody) },
      responses: { 200: changed(TrainingSchema, 'The reseller\'s training after it'), ...problems(403, 404, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await completeTraining(ctx, c.req.valid('param').ref, c.req.valid('json'))),
  ),
];
