import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { PayoutDetailSchema, PayoutIdParam, PayoutListQuery, PayoutPageSchema, PayoutRunSchema, RunPayoutsBody, StatementParams, StatementSchema } from './schema.js';
import { commissionStatement, getPayout, listPayouts, runPayouts } from './service.js';

const PARTNER_READERS = ['master_admin', 'reseller'] as const;

export const payoutRoutes = [
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/payouts/runs',
      operationId: 'runPayouts',
      tags: ['payouts'],
      summary: 'The payout run of a day: eligible events by the previous month\'s end, net of clawbacks, 10,000-cent minimum (idempotent per day)',
      request: jsonBody(RunPayoutsBody),
      responses: { 200: json(PayoutRunSchema, 'The day\'s payouts'), ...problems(403, 413, 422) },
    },
    async (c, ctx) => c.json(await runPayouts(ctx, c.req.valid('json').on), 200),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'get',
      path: '/v1/payouts',
      operationId: 'listPayouts',
      tags: ['payouts'],
      summary: 'Payouts, paid and carried forward (a reseller sees its own)',
      request: { query: PayoutListQuery },
      responses: { 200: json(PayoutPageSchema, 'A page of payouts'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await listPayouts(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'get',
      path: '/v1/payouts/{id}',
      operationId: 'getPayout',
      tags: ['payouts'],
      request: { params: PayoutIdParam },
      responses: { 200: json(PayoutDetailSchema, 'The payout and its lines'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await getPayout(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    PARTNER_READERS,
    {
      method: 'get',
      path: '/v1/resellers/{ref}/statements/{period}',
      operationId: 'getCommissionStatement',
      tags: ['payouts'],
      summary: 'A reseller\'s commission statement for a period',
      request: { params: StatementParams },
      responses: { 200: json(StatementSchema, 'The statement'), ...problems(403, 404) },
    },
    async (c, ctx) => c.json(await commissionStatement(ctx, c.req.valid('param').ref, c.req.valid('param').period), 200),
  ),
];
