import { AppError } from '../../core/errors.js';
import { loadServer } from '../../server/load.js';
import type { ApiRequest, ApiResponse, Transport } from '../transport.js';
import { startupMark } from '../../core/startup-trace.js';

export interface LocalOptions {
  dbPath: string;
  keyPath: string;
}

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * The API in-process: each request is handed to the same Hono app the server runs, so auth,
 * validation, scoping and audit are identical. The server code, database and key load on the
 * first request only.
 */
export function localTransport(options: LocalOptions): Transport {
  let opened: Promise<{ fetch: Fetch; RequestClass: typeof Request; runJob(id: string): Promise<boolean>; close(): Promise<void> }> | undefined;
  const open = () =>
    (opened ??= loadServer().then(async ({ openWorkspace, RequestClass, loadWorker, probeSettingsFromEnv }) => {
      startupMark('api bundle loaded');
      const workspace = await openWorkspace({
        target: { dialect: 'sqlite', path: options.dbPath },
        keyPath: options.keyPath,
        rateLimit: false,
        lazyRoutes: true,
        onInternalError: debugOnly,
        probe: probeSettingsFromEnv(process.env),
        notice: (line) => process.stderr.write(`Note: ${line}\n`),
      }).catch((error: Error) => {
        if (error instanceof AppError) throw error;
        throw new AppError('unavailable', `cannot open the workspace at ${options.dbPath}: ${error.message}`, {
          hint: 'check that the profile\'s database (or DOTMAC_DB) is a dotmac workspace and its signing key sits beside it; restore a backup if it is damaged',
        });
      });
      startupMark('workspace open');
      return {
        fetch: (request: Request) => workspace.app.fetch(request),
        RequestClass,
        runJob: async (id: string) => {
          const { workerFrom, provisioningFromEnv } = await loadWorker();
          return workerFrom(workspace.services, { provisioning: provisioningFromEnv(process.env) }).runJob(id);
        },
        close: () => workspace.close(),
      };
    }));
  return {
    target: `local workspace ${options.dbPath}`,
    async send(request) {
      const { fetch, RequestClass } = await open();
      return sendInProcess(fetch, RequestClass, request);
    },
    async close() {
      if (opened) await (await opened).close();
    },
    async runJob(id) {
      return (await open()).runJob(id);
    },
  };
}

/** In-process, the API's stderr is the user's terminal: a stack trace only when asked for. */
function debugOnly(where: string, error: unknown): void {
  if (/\bdotmac\b|\*/.test(process.env.DEBUG ?? '')) process.stderr.write(`[${where}] ${(error as Error)?.stack ?? String(error)}\n`);
}

async function sendInProcess(fetch: Fetch, RequestClass: typeof Request, request: ApiRequest): Promise<ApiResponse> {
  const res = await fetch(new RequestClass(`http://local${request.path}`, { method: request.method, headers: request.headers, body: request.body }));
  const body = await res.text();
  startupMark(`answered ${request.method} ${request.path.replace(/\?.*/, '')}`);
  return { status: res.status, headers: res.headers, body };
}

/** Hands each request to an app's fetch: no socket, the same code path as the server. */
export function inProcessTransport(fetch: Fetch, target = 'in-process API'): Transport {
  return {
    target,
    send: (request) => sendInProcess(fetch, Request, request),
    close: async () => undefined,
  };
}
