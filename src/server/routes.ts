import { analyticsRoutes } from './modules/analytics/routes.js';
import { backupRoutes } from './modules/backups/routes.js';
import { brandingRoutes } from './modules/branding/routes.js';
import { commissionRoutes } from './modules/commissions/routes.js';
import { configRoutes } from './modules/configs/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { deploymentRoutes } from './modules/deployments/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { flagRoutes } from './modules/flags/routes.js';
import { customerRoutes } from './modules/customers/routes.js';
import { pipelineRoutes } from './modules/pipeline/routes.js';
import { territoryRoutes } from './modules/territories/routes.js';
import { payoutRoutes } from './modules/payouts/routes.js';
import { invoiceRoutes } from './modules/invoices/routes.js';
import { jobRoutes } from './modules/jobs/routes.js';
import { priceBookRoutes } from './modules/pricebook/routes.js';
import { onboardingRoutes } from './modules/onboarding/routes.js';
import { quoteRoutes } from './modules/quotes/routes.js';
import { resellerRoutes } from './modules/resellers/routes.js';
import { subscriptionRoutes } from './modules/subscriptions/routes.js';
import { tenantRoutes } from './modules/tenants/routes.js';
import { ticketRoutes } from './modules/tickets/routes.js';
import { tenantUserRoutes } from './modules/tenant-users/routes.js';
import { tokenRoutes } from './modules/tokens/routes.js';
import { usageRoutes } from './modules/usage/routes.js';
import type { ApiRoute } from './routing.js';

/** The whole authenticated API as data: the app registers it, the role-matrix test walks it. */
export const ROUTES: readonly ApiRoute[] = [
  ...onboardingRoutes,
  ...tenantRoutes,
  ...resellerRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...analyticsRoutes,
  ...configRoutes,
  ...backupRoutes,
  ...deploymentRoutes,
  ...jobRoutes,
  ...healthRoutes,
  ...territoryRoutes,
  ...pipelineRoutes,
  ...customerRoutes,
  ...commissionRoutes,
  ...payoutRoutes,
  ...priceBookRoutes,
  ...subscriptionRoutes,
  ...usageRoutes,
  ...invoiceRoutes,
  ...quoteRoutes,
  ...ticketRoutes,
  ...brandingRoutes,
  ...flagRoutes,
  ...tenantUserRoutes,
];
