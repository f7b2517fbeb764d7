import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { TenantRefParam } from '../tenants/schema.js';
import {
  ApplyConfigsBody,
  ChangeConfigsBody,
  ConfigChangeSchema,
  ConfigEntrySchema,
  ConfigGetQuery,
  ConfigKeyParam,
  ConfigListQuery,
  ConfigPlanSchema,
  ConfigurationSchema,
  ConfigVersionPageSchema,
  ConfigVersionParam,
  ConfigVersionQuery,
  IfMatchHeader,
} from './schema.js';
import { applyConfigs, changeConfigs, getConfig, listConfigs, listConfigVersions, planConfigs, rollbackConfigs } from './service.js';

const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;
/** Resellers read their customers' configurations, masked, and change nothing. */
const WRITERS = ['master_admin', 'tenant_admin'] as const;
const BASE = '/v1/tenants/{ref}/configs';

export const configRoutes = [
  defineRoute(
    READERS,
    {
      method: 'get',
      path: BASE,
      operationId: 'listConfigs',
      tags: ['configs'],
      summary: 'A tenant\'s configuration, secrets masked unless revealed (reveal is audited)',
      request: { params: TenantRefParam, query: ConfigListQuery },
      responses: { 200: json(ConfigurationSchema, 'The configuration and its current version'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await listConfigs(ctx, c.req.valid('param').ref, c.req.valid('query')), 200),
    { secretResponse: true },
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: `${BASE}/versions`,
      operationId: 'listConfigVersions',
      tags: ['configs'],
      summary: 'The configuration\'s versions, newest first: which keys each changed (never values)',
      request: { params: TenantRefParam, query: ConfigVersionQuery },
      responses: { 200: json(ConfigVersionPageSchema, 'A page of versions'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listConfigVersions(ctx, c.req.valid('param').ref, c.req.valid('query')), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: `${BASE}/keys/{key}`,
      operationId: 'getConfig',
      tags: ['configs'],
      summary: 'One key, masked unless revealed (reveal is audited)',
      request: { params: ConfigKeyParam, query: ConfigGetQuery },
      responses: { 200: json(ConfigEntrySchema, 'The entry'), ...problems(403, 404) },
    },
    async (c, ctx) => {
      const { ref, key } = c.req.valid('param');
      return c.json(await getConfig(ctx, ref, key, c.req.valid('query').reveal === 'true'), 200);
    },
    { secretResponse: true },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'patch',
      path: BASE,
      operationId: 'changeConfigs',
      tags: ['configs'],
      summary: 'Set and unset keys as one new version (none when every value already holds)',
      request: { params: TenantRefParam, headers: IfMatchHeader, ...jsonBody(ChangeConfigsBody) },
      responses: { 200: changed(ConfigChangeSchema, 'The configuration after the change'), ...problems(403, 404, 409, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await changeConfigs(ctx, c.req.valid('param').ref, c.req.valid('json'), c.req.valid('header')['if-match'])),
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/apply`,
      operationId: 'applyConfigs',
      tags: ['configs'],
      summary: 'Apply a whole file of values as one version; with prune, remove the keys it does not name',
      request: { params: TenantRefParam, headers: IfMatchHeader, ...jsonBody(ApplyConfigsBody) },
      responses: { 200: changed(ConfigChangeSchema, 'The configuration after the change'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await applyConfigs(ctx, c.req.valid('param').ref, c.req.valid('json'), c.req.valid('header')['if-match'])),
  ),
  defineRoute(
    READERS,
    {
      method: 'post',
      path: `${BASE}/diff`,
      operationId: 'diffConfigs',
      tags: ['configs'],
      summary: 'What applying a file would change (writes nothing); secrets compared, never shown',
      request: { params: TenantRefParam, ...jsonBody(ApplyConfigsBody) },
      responses: { 200: json(ConfigPlanSchema, 'The changes apply would make'), ...problems(403, 404, 413, 422) },
    },
    async (c, ctx) => c.json(await planConfigs(ctx, c.req.valid('param').ref, c.req.valid('json')), 200),
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/versions/{version}/rollback`,
      operationId: 'rollbackConfigs',
      tags: ['configs'],
      summary: 'Make a new version equal to an earlier one',
      request: { params: ConfigVersionParam, headers: IfMatchHeader },
      responses: { 200: changed(ConfigChangeSchema, 'The configuration after the rollback'), ...problems(403, 404, 409, 422) },
    },
    async (c, ctx) => {
      const { ref, version } = c.req.valid('param');
      return outcomeResponse(c, await rollbackConfigs(ctx, ref, version, c.req.valid('header')['if-match']));
    },
  ),
];
