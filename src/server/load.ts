export type ServerEntry = typeof import('./entry.js');

/** The server side, loaded on first use only (the build swaps this import for dist/server.cjs). */
export function loadServer(): Promise<ServerEntry> {
  return import('./entry.js');
}
