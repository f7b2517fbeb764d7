import { PEOPLE_ROLES } from '../../auth/principal.js';
import { defineRoute, json, problems } from '../../routing.js';
import { AuditListQuery, AuditPageSchema, ChainCheckSchema } from './schema.js';
import { listAuditEvents, verifyAuditChain } from './service.js';

export const auditRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/audit',
      operationId: 'listAuditEvents',
      tags: ['audit'],
      summary: 'Audit events, newest first, within the caller\'s scope',
      request: { query: AuditListQuery },
      responses: { 200: json(AuditPageSchema, 'A page of audit events'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listAuditEvents(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'get',
      path: '/v1/audit/verify',
      operationId: 'verifyAuditChain',
      tags: ['audit'],
      summary: 'Recompute the keyed hash chain over every event, and check that seq has no gap up to the head',
      responses: { 200: json(ChainCheckSchema, 'The result of the check'), ...problems(403) },
    },
    async (c, ctx) => c.json(await verifyAuditChain(ctx), 200),
  ),
];
