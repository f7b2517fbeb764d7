import { buildApp, type AppOptions } from './build-app.js';
import { ROUTES } from './routes.js';

export { DEFAULT_MAX_BODY_BYTES, DEFAULT_RATE_LIMIT, type AccessLogEntry, type AppOptions } from './build-app.js';

/** Builds the platform API with every route. It never listens: http.ts binds it to a port. */
export function createApp(options: AppOptions) {
  return buildApp(options, ROUTES);
}

export type App = ReturnType<typeof createApp>;
