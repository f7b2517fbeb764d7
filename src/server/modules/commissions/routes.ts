import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import {
  CommissionExplanationSchema,
  CommissionIdParam,
  CommissionListQuery,
  CommissionPageSchema,
  CommissionRuleListQuery,
  CommissionRulePageSchema,
  CommissionRuleSchema,
  CommissionRunBody,
  CommissionRunSchema,
  CommissionSchema,
  CreateCommissionRuleBody,
  DisputeBody,
  ResolveBody,
} from './schema.js';
import { createCommissionRule, listCommissionRules } from './rule-service.js';
import { runCommissions } from './run.js';
import { disputeCommission, explainCommission, listCommissions, resolveCommission } from './service.js';

/** Partners' money: staff and the reseller it belongs to; never a tenant admin or an instance. */
const PARTNER_READERS = ['master_admin', 'reseller'] as const;

export const commissionRoutes = [
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/commissions/run',
      operationId: 'runCommissions',
      tags: ['commissions'],
      summary: 'Record a period\'s commissions on the invoices paid in it, the quarter\'s bonus and the clawbacks (idempotent: a second run writes nothing and answers unchanged)',
      request: jsonBody(CommissionRunBody),
      responses: { 200: changed(CommissionRunSchema, 'What the run wrote'), ...problems(403, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await runCommissions(ctx, c.req.valid('json'))),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'get',
      path: '/v1/commission-rules',
      operationId: 'listCommissionRules',
      tags: ['commissions'],
      summary: 'Commission rules and account overrides (a reseller sees those written for it)',
      request: { query: CommissionRuleListQuery },
      responses: { 200: json(CommissionRulePageSchema, 'A page of rules'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await listCommissionRules(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/commission-rules',
      operationId: 'createCommissionRule',
      tags: ['commissions'],
      summary: 'A rate rule: by priority, optionally for a reseller, a plan or a commission type; with a tenant, an account override',
      request: jsonBody(CreateCommissionRuleBody),
      responses: { 201: json(CommissionRuleSchema, 'The new rule'), ...problems(403, 404, 413, 422) },
    },
    async (c, ctx) => c.json(await createCommissionRule(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'get',
      path: '/v1/commissions',
      operationId: 'listCommissions',
      tags: ['commissions'],
      summary: 'Commission events (a reseller sees its own)',
      request: { query: CommissionListQuery },
      responses: { 200: json(CommissionPageSchema, 'A page of commission events'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await listCommissions(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'get',
      path: '/v1/commissions/{id}',
      operationId: 'explainCommission',
      tags: ['commissions'],
      summary: 'One event with its base, rate, the rule that chose it and the invoice it came from',
      request: { params: CommissionIdParam },
      responses: { 200: json(CommissionExplanationSchema, 'The event explained'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await explainCommission(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'post',
      path: '/v1/commissions/{id}/dispute',
      operationId: 'disputeCommission',
      tags: ['commissions'],
      summary: 'Dispute an event within 60 days of its statement: kept out of payouts until resolved',
      request: { params: CommissionIdParam, ...jsonBody(DisputeBody) },
      responses: { 200: changed(CommissionSchema, 'The event, disputed'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await disputeCommission(ctx, c.req.valid('param').id, c.req.valid('json').reason)),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/commissions/{id}/resolve',
      operationId: 'resolveCommission',
      tags: ['commissions'],
      summary: 'Resolve a dispute: restore the event, or with cancel, cancel it (unpaid only)',
      request: { params: CommissionIdParam, ...jsonBody(ResolveBody) },
      responses: { 200: changed(CommissionSchema, 'The event after it'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await resolveCommission(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
];
