import { analyticsRoutes } from './modules/analytics/routes.js';
import { backupRoutes } from './modules/backups/routes.js';
import { configRoutes } from './modules/configs/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { deploymentRoutes } from './modules/deployments/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { jobRoutes } from './modules/jobs/routes.js';
import { resellerRoutes } from './modules/resellers/routes.js';
import { tenantRoutes } from './modules/tenants/routes.js';
import { tokenRoutes } from './modules/tokens/routes.js';
import type { ApiRoute } from './routing.js';

/** The whole authenticated API as data: the app registers it, the role-matrix test walks it. */
export const ROUTES: readonly ApiRoute[] = [
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
];
