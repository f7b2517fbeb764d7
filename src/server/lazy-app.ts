import { getPath } from 'hono/utils/url';
import { buildApp, type AppOptions } from './build-app.js';
import type { RouteModule } from './route-modules.js';

export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * The API for local mode, where a process answers a request or two: building every route module's
 * zod contracts cost a cold `tenants list` a fifth of its time. Each request is answered by an app
 * built (once) over the modules with a route whose path matches the request's, whatever the
 * method, in ROUTES order, so it matches exactly the route the whole app would. A request that no
 * module's path matches (the OpenAPI document, an unknown path) gets the app of every route.
 */
export function lazyApp(options: AppOptions, modules: readonly RouteModule[]): FetchApp {
  const matchers = modules.map((module) => (module.paths ? module.paths.map(pathPattern) : undefined));
  const apps = new Map<string, Promise<FetchApp>>();
  const appFor = (wanted: readonly number[]) => {
    const key = wanted.join(',');
    let app = apps.get(key);
    if (!app) {
      app = Promise.all(wanted.map((i) => modules[i]!.load())).then((groups) => buildApp(options, groups.flat()));
      apps.set(key, app);
    }
    return app;
  };
  const every = modules.map((_, i) => i);
  return {
    async fetch(request) {
      const path = getPath(request);
      const wanted = every.filter((i) => matchers[i]?.some((pattern) => pattern.test(path)) ?? true);
      return (await appFor(wanted.length > 0 ? wanted : every)).fetch(request);
    },
  };
}

/** `/v1/tenants/{id}` as a regular expression matching the paths Hono's router gives that route. */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
