import { PEOPLE_ROLES } from '../../auth/principal.js';
import { defineRoute, json, problems } from '../../routing.js';
import { OverviewSchema } from './schema.js';
import { platformOverview } from './service.js';

export const analyticsRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/analytics/overview',
      operationId: 'getOverview',
      tags: ['analytics'],
      summary: 'Tenants by status, plan and reseller, within the caller\'s scope',
      responses: { 200: json(OverviewSchema, 'The overview'), ...problems() },
    },
    async (c, ctx) => c.json(await platformOverview(ctx), 200),
  ),
];
