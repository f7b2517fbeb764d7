import { forbidden } from '../../../core/errors.js';
import type { ServiceContext } from '../../context.js';
import { sharedRead } from '../../shared-reads.js';
import { masterOverview } from './master-overview.js';
import { resellerOverview } from './reseller-overview.js';
import type { Overview } from './schema.js';
import { tenantOverview } from './tenant-overview.js';

import * as distributions from './distributions.js';
import type { SubscribersByPlan, TicketsByRegion, UptimeByRegion } from './schema.js';

// the distributions scan every tenant: concurrent callers of one scope share a computation
export const subscribersByPlan = (ctx: ServiceContext): Promise<SubscribersByPlan> => sharedRead(ctx, 'subscribers-by-plan', () => distributions.subscribersByPlan(ctx));
export const uptimeByRegion = (ctx: ServiceContext): Promise<UptimeByRegion> => sharedRead(ctx, 'uptime-by-region', () => distributions.uptimeByRegion(ctx));
export const ticketsByRegion = (ctx: ServiceContext): Promise<TicketsByRegion> => sharedRead(ctx, 'tickets-by-region', () => distributions.ticketsByRegion(ctx));

/** GET /v1/overview: the figures of the caller's role, shared by concurrent callers of the same scope. */
export function overview(ctx: ServiceContext): Promise<Overview> {
  return sharedRead(ctx, 'overview', () => overviewOf(ctx));
}

function overviewOf(ctx: ServiceContext): Promise<Overview> {
  switch (ctx.principal.role) {
    case 'master_admin':
      return masterOverview(ctx);
    case 'tenant_admin':
      return tenantOverview(ctx);
    case 'reseller':
      return resellerOverview(ctx);
    default:
      throw forbidden('an instance token has no overview');
  }
}
