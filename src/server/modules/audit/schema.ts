import { z } from '@hono/zod-openapi';
import { pageOf, PageQuery } from '../../routing.js';
import { AuditActionParam } from './actions.js';

export const AuditEventSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    role: z.string(),
    action: z.string().openapi({ example: 'tenant.suspend' }),
    target_type: z.string(),
    target_id: z.string().nullable(),
    tenant_id: z.string().nullable(),
    reseller_id: z.string().nullable().openapi({ description: 'the reseller that owned the tenant when the event was written (or the reseller it is about)' }),
    request_id: z.string().nullable().openapi({ description: 'made by the server; also in the response\'s X-Request-Id' }),
    client_request_id: z.string().nullable().openapi({ description: 'the caller\'s own X-Request-Id, if it sent a plain one' }),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEvent');

export const AuditPageSchema = pageOf(AuditEventSchema, 'AuditPage');
export const AuditListQuery = z.object({
  ...PageQuery,
  action: AuditActionParam.optional(),
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant id or slug; 404 when the caller cannot see it' }),
  target: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'the object the events are about: an id (ten_, res_, tok_, usr_, dep_, job_, tkt_, tus_, bak_, sub_, inv_), or a tenant or reseller slug; 404 when the caller cannot see it' }),
});

export const ChainCheckSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    broken_at: z.number().int().nullable(),
    problem: z.string().nullable(),
    head_hash: z.string(),
  })
  .openapi('AuditChainCheck');
