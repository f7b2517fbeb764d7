import { PEOPLE_ROLES } from '../../auth/principal.js';
import { defineRoute, json, problems } from '../../routing.js';
import { OverviewSchema, SubscribersByPlanSchema, TicketsByRegionSchema, UptimeByRegionSchema } from './schema.js';
import { overview, subscribersByPlan, ticketsByRegion, uptimeByRegion } from './service.js';

const ANONYMITY = 'For a tenant admin or a reseller, a group with fewer than 5 tenants outside its own scope (and at least one) is left out and counted in suppressed_groups.';

export const analyticsRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/overview',
      operationId: 'getOverview',
      tags: ['analytics'],
      summary: 'The caller\'s overview: platform figures for staff, its instance for a tenant admin, its business for a reseller',
      responses: { 200: json(OverviewSchema, 'The overview of the caller\'s role (`role` says which)'), ...problems() },
    },
    async (c, ctx) => c.json(await overview(ctx), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/analytics/subscribers-by-plan',
      operationId: 'getSubscribersByPlan',
      tags: ['analytics'],
      summary: 'Tenants and subscribers by plan over the whole platform (subscriptions in force)',
      description: ANONYMITY,
      responses: { 200: json(SubscribersByPlanSchema, 'Groups by plan'), ...problems() },
    },
    async (c, ctx) => c.json(await subscribersByPlan(ctx), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/analytics/uptime-by-region',
      operationId: 'getUptimeByRegion',
      tags: ['analytics'],
      summary: 'Probe uptime over the last 7 days by region, over the whole platform',
      description: ANONYMITY,
      responses: { 200: json(UptimeByRegionSchema, 'Groups by region'), ...problems() },
    },
    async (c, ctx) => c.json(await uptimeByRegion(ctx), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/analytics/tickets-by-region',
      operationId: 'getTicketsByRegion',
      tags: ['analytics'],
      summary: 'Open and breached tickets by region, over the whole platform',
      description: ANONYMITY,
      responses: { 200: json(TicketsByRegionSchema, 'Groups by region'), ...problems() },
    },
    async (c, ctx) => c.json(await ticketsByRegion(ctx), 200),
  ),
];
