/**
 * Ink and React load only with the dashboard. The build replaces this file in dist/cli.cjs with an
 * import() of the separately built dist/tui.mjs (an ES module: Ink's layout engine loads with a
 * top-level await), so no other command parses a byte of them.
 */
export function loadDashboard(): Promise<typeof import('./render.js')> {
  return import('./render.js');
}
