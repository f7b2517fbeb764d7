import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { OnboardingSchema, OnboardTenantBody } from './schema.js';
import { onboardTenant } from './service.js';

export const onboardingRoutes = [
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/tenants/onboard',
      operationId: 'onboardTenant',
      tags: ['tenants'],
      summary: 'Onboard a customer without a quote, in one transaction: tenant, default configuration, first deployment (a job), subscription, first invoice',
      request: jsonBody(OnboardTenantBody),
      responses: { 201: json(OnboardingSchema, 'What onboarding made'), ...problems(400, 403, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await onboardTenant(ctx, c.req.valid('json')), 201),
  ),
];
