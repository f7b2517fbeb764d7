import type { ApiRoute } from './routing.js';

/**
 * The API's routes in groups that load on their own, with the paths each group serves, so local
 * mode evaluates only the modules a request needs (lazy-app.ts). Run from source, this is one
 * group holding ROUTES that serves every path. The build (scripts/build.js) puts in its place one
 * group per module imported by routes.ts, with that module's paths read from its routes, and
 * fails when ROUTES is not those modules' routes in that order.
 */
export interface RouteModule {
  name: string;
  /** the OpenAPI paths (`/v1/tenants/{id}`) of its routes; undefined: every path */
  paths?: readonly string[];
  load(): Promise<readonly ApiRoute[]>;
}

export const ROUTE_MODULES: readonly RouteModule[] = [{ name: 'all', load: async () => (await import('./routes.js')).ROUTES }];
