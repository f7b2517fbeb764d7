// Everything the CLI needs from the server side, in one module: the build bundles it on its own
// (dist/server.cjs) so that commands talking to a remote API never load it.
export { openWorkspace, ensureMigrated, type Workspace } from './workspace.js';
export { initWorkspace } from './init.js';
export { startServer } from './http.js';
export { connect } from '../db/connect.js';
export { migrateToLatest } from '../db/migrate.js';
