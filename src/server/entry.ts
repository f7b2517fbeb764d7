// What local mode and the commands that operate a local install need from the server side. The
// build bundles it on its own (dist/api-local.cjs), with small Request/Response/Headers classes in
// place of Node's, so commands talking to a remote API never load it and local ones load it fast.
export { openWorkspace, ensureMigrated, type Workspace } from './workspace.js';
export { initWorkspace } from './init.js';
export { connect } from '../db/connect.js';
export { migrateToLatest } from '../db/migrate.js';
export { workerFrom, type WorkerSettings } from './modules/jobs/worker-settings.js';
export { provisioningFromEnv } from './modules/deployments/drivers/settings.js';
export { probeSettingsFromEnv } from './modules/health/probe.js';

/** The Request class this build of the app expects (see src/server/web/lite.ts). */
export const RequestClass: typeof Request = Request;
