import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { TenantRefParam } from '../tenants/schema.js';
import { BrandingChangeSchema, BrandingIfMatchHeader, BrandingSchema, BrandingVersionPageSchema, BrandingVersionParam, BrandingVersionQuery, ChangeBrandingBody } from './schema.js';
import { changeBranding, getBranding, listBrandingVersions, rollbackBranding } from './service.js';

/** Resellers read their customers' branding and change nothing; an instance agent has none of it. */
const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;
const WRITERS = ['master_admin', 'tenant_admin'] as const;
const BASE = '/v1/tenants/{ref}/branding';

export const brandingRoutes = [
  defineRoute(
    READERS,
    {
      method: 'get',
      path: BASE,
      operationId: 'getBranding',
      tags: ['branding'],
      summary: 'A tenant\'s branding (what the dashboard header and the tenant\'s portals show), and whether it holds white-label',
      request: { params: TenantRefParam },
      responses: { 200: json(BrandingSchema, 'The branding and its current version'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getBranding(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: `${BASE}/versions`,
      operationId: 'listBrandingVersions',
      tags: ['branding'],
      summary: 'The branding\'s versions, newest first: which fields each changed',
      request: { params: TenantRefParam, query: BrandingVersionQuery },
      responses: { 200: json(BrandingVersionPageSchema, 'A page of versions'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listBrandingVersions(ctx, c.req.valid('param').ref, c.req.valid('query')), 200),
  ),
  defineRoute(
    WRITERS,
    {
      method: 'patch',
      path: BASE,
      operationId: 'changeBranding',
      tags: ['branding'],
      summary: 'Write branding fields as one new version (none when they already hold); custom CSS is stored sanitised. White-label fields need the add-on or a plan including it (else 403 plan_required)',
      request: { params: TenantRefParam, headers: BrandingIfMatchHeader, ...jsonBody(ChangeBrandingBody) },
      responses: { 200: changed(BrandingChangeSchema, 'The branding after the change, with what sanitising stripped'), ...problems(403, 404, 409, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await changeBranding(ctx, c.req.valid('param').ref, c.req.valid('json'), c.req.valid('header')['if-match'])),
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/versions/{version}/rollback`,
      operationId: 'rollbackBranding',
      tags: ['branding'],
      summary: 'Make a new branding version equal to an earlier one (white-label fields it brings back need white-label)',
      request: { params: BrandingVersionParam, headers: BrandingIfMatchHeader },
      responses: { 200: changed(BrandingChangeSchema, 'The branding after the rollback'), ...problems(403, 404, 409, 422) },
    },
    async (c, ctx) => {
      const { ref, version } = c.req.valid('param');
      return outcomeResponse(c, await rollbackBranding(ctx, ref, version, c.req.valid('header')['if-match']));
    },
  ),
];
