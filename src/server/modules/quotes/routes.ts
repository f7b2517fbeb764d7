import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import {
  AcceptQuoteBody,
  CreateQuoteBody,
  PreviewQuoteBody,
  QuoteListQuery,
  QuotePageSchema,
  QuotePricingSchema,
  QuoteRefParam,
  QuoteSchema,
  ReasonBody,
  UpdateQuoteBody,
} from './schema.js';
import { OnboardingSchema } from '../onboarding/schema.js';
import {
  acceptQuote,
  approveQuote,
  cancelQuote,
  createQuote,
  getQuote,
  listQuotes,
  previewQuote,
  refuseQuote,
  rejectQuote,
  reviseQuote,
  sendQuote,
  submitQuote,
  updateQuote,
  viewQuote,
} from './service.js';

/** Quotes are made by resellers (their own) and staff; a tenant admin or an instance agent has none. */
const SELLERS = ['master_admin', 'reseller'] as const;
/** Approving takes staff authority: a reseller's own is fixed at 500 bps, below any quote that needs approval. */
const APPROVERS = ['master_admin'] as const;
const ref = { params: QuoteRefParam };

function verb(name: string, summary: string, handler: typeof sendQuote, access: readonly ('master_admin' | 'reseller')[] = SELLERS) {
  return defineRoute(
    access,
    {
      method: 'post',
      path: `/v1/quotes/{ref}/${name}`,
      operationId: `${name}Quote`,
      tags: ['quotes'],
      summary,
      request: ref,
      responses: { 200: changed(QuoteSchema, 'The quote after the change'), ...problems(400, 403, 404, 409, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await handler(ctx, c.req.valid('param').ref)),
  );
}

function reasoned(name: string, summary: string, handler: typeof rejectQuote, access: readonly ('master_admin' | 'reseller')[]) {
  return defineRoute(
    access,
    {
      method: 'post',
      path: `/v1/quotes/{ref}/${name}`,
      operationId: `${name}Quote`,
      tags: ['quotes'],
      summary,
      request: { ...ref, ...jsonBody(ReasonBody) },
      responses: { 200: changed(QuoteSchema, 'The quote after the change'), ...problems(400, 403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await handler(ctx, c.req.valid('param').ref, c.req.valid('json').reason)),
  );
}

export const quoteRoutes = [
  defineRoute(
    SELLERS,
    {
      method: 'get',
      path: '/v1/quotes',
      operationId: 'listQuotes',
      tags: ['quotes'],
      summary: 'The quotes the caller may see (a reseller: its own), oldest first, without their lines',
      request: { query: QuoteListQuery },
      responses: { 200: json(QuotePageSchema, 'A page of quotes'), ...problems(400) },
    },
    async (c, ctx) => c.json(await listQuotes(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'post',
      path: '/v1/quotes',
      operationId: 'createQuote',
      tags: ['quotes'],
      summary: 'A draft quote for a prospect or an existing tenant, priced from the newest price book',
      request: jsonBody(CreateQuoteBody),
      responses: { 201: json(QuoteSchema, 'The new draft'), ...problems(400, 403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await createQuote(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'post',
      path: '/v1/quotes/preview',
      operationId: 'previewQuote',
      tags: ['quotes'],
      summary: 'What a quote with these terms would cost, and whether it needs approval (writes nothing)',
      request: jsonBody(PreviewQuoteBody),
      responses: { 200: json(QuotePricingSchema, 'The pricing'), ...problems(400, 404, 413, 422) },
    },
    async (c, ctx) => c.json(await previewQuote(ctx, c.req.valid('json')), 200),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'get',
      path: '/v1/quotes/{ref}',
      operationId: 'getQuote',
      tags: ['quotes'],
      summary: 'One quote with every line, the monthly and the first-invoice totals',
      request: ref,
      responses: { 200: json(QuoteSchema, 'The quote'), ...problems(400, 404) },
    },
    async (c, ctx) => c.json(await getQuote(ctx, c.req.valid('param').ref), 200),
  ),
  defineRoute(
    SELLERS,
    {
      method: 'patch',
      path: '/v1/quotes/{ref}',
      operationId: 'updateQuote',
      tags: ['quotes'],
      summary: 'Change a draft (re-priced on its own price-book version); changing an approved quote voids the approval',
      request: { ...ref, ...jsonBody(UpdateQuoteBody) },
      responses: { 200: changed(QuoteSchema, 'The quote after the change'), ...problems(400, 403, 404, 409, 413) },
    },
    async (c, ctx) => outcomeResponse(c, await updateQuote(ctx, c.req.valid('param').ref, c.req.valid('json'))),
  ),
  verb('submit', 'Send a draft, or ask for approval when it is over the caller\'s discount authority', submitQuote),
  verb('approve', 'Approve a quote pending approval (not its author; authority must cover it)', approveQuote, APPROVERS),
  reasoned('refuse', 'Refuse a quote pending approval: it goes back to draft with the reason', refuseQuote, APPROVERS),
  verb('send', 'Send an approved quote', sendQuote),
  verb('view', 'Record that the customer opened the quote', viewQuote),
  defineRoute(
    SELLERS,
    {
      method: 'post',
      path: '/v1/quotes/{ref}/accept',
      operationId: 'acceptQuote',
      tags: ['quotes'],
      summary: 'Record the customer\'s acceptance (on or before valid_until) and onboard it in the same transaction, once',
      request: { ...ref, ...jsonBody(AcceptQuoteBody) },
      responses: { 200: json(QuoteSchema.extend({ onboarding: OnboardingSchema }).openapi('AcceptedQuote'), 'The accepted quote and what onboarding made'), ...problems(400, 403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await acceptQuote(ctx, c.req.valid('param').ref, c.req.valid('json')), 200),
  ),
  reasoned('reject', 'Record that the customer rejected the quote', rejectQuote, SELLERS),
  defineRoute(
    SELLERS,
    {
      method: 'post',
      path: '/v1/quotes/{ref}/revise',
      operationId: 'reviseQuote',
      tags: ['quotes'],
      summary: 'A new draft revision of a sent, viewed, rejected or expired quote; the parent becomes revised',
      request: ref,
      responses: { 201: json(QuoteSchema, 'The new revision'), ...problems(400, 403, 404, 409, 422) },
    },
    async (c, ctx) => c.json(await reviseQuote(ctx, c.req.valid('param').ref), 201),
  ),
  verb('cancel', 'Cancel an open quote', cancelQuote),
];
