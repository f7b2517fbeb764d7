import { AppError } from '../../core/errors.js';
import type { Workspace } from '../../server/entry.js';
import { loadServer } from '../../server/load.js';
import type { ApiRequest, ApiResponse, Transport } from '../transport.js';

export interface LocalOptions {
  dbPath: string;
  keyPath: string;
}

/**
 * The API in-process: each request is a real `Request` handed to the same Hono app the server
 * runs, so auth, validation, scoping and audit are identical. The server code, database and key
 * load on the first request only.
 */
export function localTransport(options: LocalOptions): Transport {
  let workspace: Promise<Workspace> | undefined;
  const open = () =>
    (workspace ??= loadServer().then(({ openWorkspace }) =>
      openWorkspace({ target: { dialect: 'sqlite', path: options.dbPath }, keyPath: options.keyPath, rateLimit: false, onInternalError: debugOnly }).catch((error: Error) => {
        if (error instanceof AppError) throw error;
        throw new AppError('unavailable', `cannot open the workspace at ${options.dbPath}: ${error.message}`, {
          hint: 'check that the profile\'s database (or DOTMAC_DB) is a dotmac workspace and its signing key sits beside it; restore a backup if it is damaged',
        });
      }),
    ));
  const transport = inProcessTransport(async (request) => (await open()).app.fetch(request), `local workspace ${options.dbPath}`);
  return {
    ...transport,
    async close() {
      if (workspace) await (await workspace).close();
    },
  };
}

/** In-process, the API's stderr is the user's terminal: a stack trace only when asked for. */
function debugOnly(where: string, error: unknown): void {
  if (/\bdotmac\b|\*/.test(process.env.DEBUG ?? '')) process.stderr.write(`[${where}] ${(error as Error)?.stack ?? String(error)}\n`);
}

/** Hands each request to an app's fetch: no socket, the same code path as the server. */
export function inProcessTransport(fetch: (request: Request) => Response | Promise<Response>, target = 'in-process API'): Transport {
  return {
    target,
    async send(request: ApiRequest): Promise<ApiResponse> {
      const res = await fetch(new Request(`http://local${request.path}`, { method: request.method, headers: request.headers, body: request.body }));
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    close: async () => undefined,
  };
}
