import { PEOPLE_ROLES } from '../../auth/principal.js';
import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { CreateTenantBody, TenantListQuery, TenantPageSchema, TenantRefParam, TenantSchema, UpdateTenantBody } from './schema.js';
import { changeTenantStatus, createTenant, getTenant, listTenants, updateTenant } from './service.js';
import type { TenantTransition } from './status.js';

const tenantRef = { params: TenantRefParam };

function statusRoute(verb: 'suspend' | 'resume', transition: TenantTransition, summary: string) {
  return defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: `/v1/tenants/{ref}/${verb}`,
      operationId: `${verb}Tenant`,
      tags: ['tenants'],
      summary,
      request: tenantRef,
      responses: { 200: changed(TenantSchema, 'The tenant after the change'), ...problems(403, 404, 409, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await changeTenantStatus(ctx, c.req.valid('param').ref, transition)),
  );
}

export const tenantRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/tenants',
      operationId: 'listTenants',
      tags: ['tenants'],
      summary: 'List the tenants the caller may see, oldest first',
      request: { query: TenantListQuery },
      responses: { 200: json(TenantPageSchema, 'A page of tenants'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listTenants(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/tenants/{ref}',
      operationId: 'getTenant',
      tags: ['tenants'],
      request: tenantRef,
      responses: { 200: json(TenantSchema, 'The tenant'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getTenant(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    ['master_admin', 'reseller'],
    {
      method: 'post',
      path: '/v1/tenants',
      operationId: 'createTenant',
      tags: ['tenants'],
      summary: 'Create a tenant (a reseller creates it for itself)',
      request: jsonBody(CreateTenantBody),
      responses: { 201: json(TenantSchema, 'The new tenant'), ...problems(400, 403, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await createTenant(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'patch',
      path: '/v1/tenants/{ref}',
      operationId: 'updateTenant',
      tags: ['tenants'],
      summary: 'Change fields; which ones depends on the role',
      request: { ...tenantRef, ...jsonBody(UpdateTenantBody) },
      responses: { 200: changed(TenantSchema, 'The tenant after the change'), ...problems(400, 403, 404, 409, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await updateTenant(ctx, c.req.valid('param').ref, c.req.valid('json'))),
  ),
  statusRoute('suspend', 'suspend', 'Suspend an active tenant'),
  statusRoute('resume', 'resume', 'Resume a suspended tenant'),
  defineRoute(
    ['master_admin'],
    {
      method: 'delete',
      path: '/v1/tenants/{ref}',
      operationId: 'deleteTenant',
      tags: ['tenants'],
      summary: 'Cancel a tenant (its rows are kept; status becomes cancelled)',
      request: tenantRef,
      responses: { 200: changed(TenantSchema, 'The cancelled tenant'), ...problems(403, 404, 409) },
    },
    async (c, ctx) => outcomeResponse(c, await changeTenantStatus(ctx, c.req.valid('param').ref, 'cancel')),
  ),
];
