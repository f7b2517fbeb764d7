import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { CreateFlagBody, EvaluateQuery, FeatureFlagListSchema, FeatureFlagSchema, FlagEvaluationSchema, FlagKeyParam, SetFlagBody } from './schema.js';
import { createFlag, deleteFlag, disableFlag, enableFlag, evaluateFlags, getFlag, listFlags, setFlag } from './service.js';

export const flagRoutes = [
  // before /v1/flags/{key}, which would otherwise take "evaluate" for a key (no flag may have it)
  defineRoute(
    ['master_admin', 'tenant_admin', 'instance'],
    {
      method: 'get',
      path: '/v1/flags/evaluate',
      operationId: 'evaluateFlags',
      tags: ['flags'],
      summary: "Every flag, on or off, for one tenant: an instance agent's or tenant admin's own, or the one master_admin names with ?tenant=",
      request: { query: EvaluateQuery },
      responses: { 200: json(FlagEvaluationSchema, 'The flags by key'), ...problems(404) },
    },
    async (c, ctx) => c.json(await evaluateFlags(ctx, c.req.valid('query').tenant), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'get',
      path: '/v1/flags',
      operationId: 'listFlags',
      tags: ['flags'],
      summary: 'Every feature flag by key, with how many tenants each is on for now',
      responses: { 200: json(FeatureFlagListSchema, 'The flags'), ...problems() },
    },
    async (c, ctx) => c.json(await listFlags(ctx), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/flags',
      operationId: 'createFlag',
      tags: ['flags'],
      summary: 'Create a feature flag: off for every tenant until it is enabled or set',
      request: jsonBody(CreateFlagBody),
      responses: { 201: json(FeatureFlagSchema, 'The new flag'), ...problems(409, 413, 422) },
    },
    async (c, ctx) => c.json(await createFlag(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'get',
      path: '/v1/flags/{key}',
      operationId: 'getFlag',
      tags: ['flags'],
      summary: 'One feature flag, with how many tenants it is on for now',
      request: { params: FlagKeyParam },
      responses: { 200: json(FeatureFlagSchema, 'The flag'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getFlag(ctx, c.req.valid('param').key), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'patch',
      path: '/v1/flags/{key}',
      operationId: 'setFlag',
      tags: ['flags'],
      summary: 'Change a flag\'s rollout percentage, the tenants it is always on for, or those it is always off for (except wins)',
      request: { params: FlagKeyParam, ...jsonBody(SetFlagBody) },
      responses: { 200: changed(FeatureFlagSchema, 'The flag after the change'), ...problems(404, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await setFlag(ctx, c.req.valid('param').key, c.req.valid('json'))),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/flags/{key}/enable',
      operationId: 'enableFlag',
      tags: ['flags'],
      summary: 'Turn a flag on for every tenant: rollout 100 %, tenant lists cleared',
      request: { params: FlagKeyParam },
      responses: { 200: changed(FeatureFlagSchema, 'The flag after the change'), ...problems(404, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await enableFlag(ctx, c.req.valid('param').key)),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/flags/{key}/disable',
      operationId: 'disableFlag',
      tags: ['flags'],
      summary: 'Turn a flag off for every tenant: rollout 0 %, tenant lists cleared',
      request: { params: FlagKeyParam },
      responses: { 200: changed(FeatureFlagSchema, 'The flag after the change'), ...problems(404, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await disableFlag(ctx, c.req.valid('param').key)),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'delete',
      path: '/v1/flags/{key}',
      operationId: 'deleteFlag',
      tags: ['flags'],
      summary: 'Delete a flag; the audit trail keeps what it was',
      request: { params: FlagKeyParam },
      responses: { 200: json(FeatureFlagSchema, 'The flag as it was'), ...problems(404) },
    },
    async (c, ctx) => c.json(await deleteFlag(ctx, c.req.valid('param').key), 200),
  ),
];
