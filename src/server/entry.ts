// What local mode and the commands that operate a local install need from the server side. The
// build bundles it on its own (dist/api-local.cjs), with small Request/Response/Headers classes in
// place of Node's, so commands talking to a remote API never load it and local ones load it fast.
// What only some commands use is imported when called (a module reached only through import()
// is evaluated on first use, also inside the bundle), not with every local command.
import type { InitOptions } from './init.js';

export { openWorkspace, ensureMigrated, sealSecretsAsOwner, type Workspace } from './workspace.js';
export { connect } from '../db/connect.js';
export { migrateToLatest } from '../db/migrate.js';
export { probeSettingsFromEnv } from './modules/health/probe.js';
export type { WorkerSettings } from './modules/jobs/worker-settings.js';

/** `dotmac init`: the workspace, its keys, the bootstrap token and demo data. */
export async function initWorkspace(dir: string, options?: InitOptions) {
  return (await import('./init.js')).initWorkspace(dir, options);
}

/** The worker and the provisioning drivers: `dotmac worker`, and local mode's `--wait`. */
export async function loadWorker() {
  const [{ workerFrom }, { provisioningFromEnv }] = await Promise.all([import('./modules/jobs/worker-settings.js'), import('./modules/deployments/drivers/settings.js')]);
  return { workerFrom, provisioningFromEnv };
}

/** The Request class this build of the app expects (see src/server/web/lite.ts). */
export const RequestClass: typeof Request = Request;
