export type ServerEntry = typeof import('./entry.js');
export type HttpServerEntry = typeof import('./http-entry.js');

// Loaded on first use only; the build swaps these imports for dist/api-local.cjs and dist/server.cjs.

/** The API in-process, and the workspace operations of init and db. */
export function loadServer(): Promise<ServerEntry> {
  return import('./entry.js');
}

/** The API over HTTP. */
export function loadHttpServer(): Promise<HttpServerEntry> {
  return import('./http-entry.js');
}
