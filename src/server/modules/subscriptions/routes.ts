import { PEOPLE_ROLES } from '../../auth/principal.js';
import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import {
  CancelSubscriptionBody,
  ChangePlanBody,
  CreateSubscriptionBody,
  SubscriptionChangeSchema,
  SubscriptionCreatedSchema,
  SubscriptionIdParam,
  SubscriptionListQuery,
  SubscriptionPageSchema,
  SubscriptionSchema,
} from './schema.js';
import { cancelSubscription, changePlan, getSubscription, listSubscriptions, subscribe } from './service.js';

const STAFF = ['master_admin'] as const;

export const subscriptionRoutes = [
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/subscriptions',
      operationId: 'createSubscription',
      tags: ['subscriptions'],
      summary: 'Subscribe a tenant to a plan; unless it is a trial, its first invoice (the whole first month plus setup) is issued at once',
      request: jsonBody(CreateSubscriptionBody),
      responses: { 201: json(SubscriptionCreatedSchema, 'The subscription and its first invoice'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await subscribe(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/subscriptions',
      operationId: 'listSubscriptions',
      tags: ['subscriptions'],
      summary: 'Subscriptions in the caller\'s scope, oldest first',
      request: { query: SubscriptionListQuery },
      responses: { 200: json(SubscriptionPageSchema, 'A page of subscriptions'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listSubscriptions(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/subscriptions/{id}',
      operationId: 'getSubscription',
      tags: ['subscriptions'],
      summary: 'One subscription',
      request: { params: SubscriptionIdParam },
      responses: { 200: json(SubscriptionSchema, 'The subscription'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getSubscription(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/subscriptions/{id}/change-plan',
      operationId: 'changeSubscriptionPlan',
      tags: ['subscriptions'],
      summary: 'Change plan or add-ons: an upgrade at once with a proration invoice, a downgrade at the end of the period',
      request: { params: SubscriptionIdParam, ...jsonBody(ChangePlanBody) },
      responses: { 200: changed(SubscriptionChangeSchema, 'The subscription after the change'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await changePlan(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/subscriptions/{id}/cancel',
      operationId: 'cancelSubscription',
      tags: ['subscriptions'],
      summary: 'Cancel on a day (default today): no in-advance charges after that day\'s month; its usage is billed in arrears',
      request: { params: SubscriptionIdParam, ...jsonBody(CancelSubscriptionBody) },
      responses: { 200: changed(SubscriptionSchema, 'The subscription'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await cancelSubscription(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
];
