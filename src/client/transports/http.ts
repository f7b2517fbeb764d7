import { ApiError } from '../errors.js';
import type { ApiRequest, ApiResponse, Transport } from '../transport.js';

export interface HttpOptions {
  /** give up on a request that has not answered in this long */
  timeoutMs?: number;
  /** extra attempts for requests that are safe to repeat */
  retries?: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const RETRY_STATUSES = new Set([502, 503, 504]);

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

type Fetch = (url: string, init: Record<string, unknown>) => Promise<{ status: number; headers: unknown; text(): Promise<string> }>;

/**
 * Node's fetch is undici, but it ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY. When a proxy is
 * configured we load undici itself for its EnvHttpProxyAgent, which honours all three; otherwise
 * the built-in fetch saves loading a second copy of undici on every cold start.
 */
async function chooseFetch(timeout: number, env: NodeJS.ProcessEnv): Promise<{ fetch: Fetch; close(): Promise<void> }> {
  if (!PROXY_VARIABLES.some((name) => env[name])) return { fetch: globalThis.fetch as unknown as Fetch, close: async () => undefined };
  const undici = await import('undici');
  const { EnvHttpProxyAgent, fetch } = ((undici as unknown as { default?: typeof undici }).default ?? undici) as typeof undici;
  const dispatcher = new EnvHttpProxyAgent({ connectTimeout: Math.min(timeout, 10_000), headersTimeout: timeout, bodyTimeout: timeout });
  return {
    fetch: (url, init) => fetch(url, { ...init, dispatcher } as Parameters<typeof fetch>[1]) as ReturnType<Fetch>,
    close: () => dispatcher.close(),
  };
}

/**
 * HTTP with timeouts and proxy support. Only GET/HEAD/OPTIONS, and POSTs that carry an
 * Idempotency-Key, are retried: repeating anything else could double an effect.
 */
export async function httpTransport(baseUrl: string, options: HttpOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<Transport> {
  const timeout = options.timeoutMs ?? 30_000;
  const client = await chooseFetch(timeout, env);
  const retries = options.retries ?? 2;
  const base = baseUrl.replace(/\/+$/, '');

  async function attempt(request: ApiRequest): Promise<ApiResponse> {
    try {
      const res = await client.fetch(base + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeout),
      });
      return { status: res.status, headers: res.headers as Headers, body: await res.text() };
    } catch (error) {
      throw new ApiError('unavailable', `cannot reach ${base} (${describeNetworkError(error)})`, null);
    }
  }

  return {
    target: base,
    async send(request) {
      const repeatable = SAFE_METHODS.has(request.method) || (request.method === 'POST' && 'idempotency-key' in request.headers);
      for (let n = 0; ; n++) {
        try {
          const res = await attempt(request);
          if (repeatable && n < retries && RETRY_STATUSES.has(res.status)) {
            await sleep(backoff(n));
            continue;
          }
          return res;
        } catch (error) {
          if (!repeatable || n >= retries) throw error;
          await sleep(backoff(n));
        }
      }
    },
    close: () => client.close(),
  };
}

function backoff(attempt: number): number {
  return 150 * 3 ** attempt + Math.floor(Math.random() * 100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error as Error)?.message ?? 'network error';
}
