import type { IncomingHttpHeaders } from 'node:http';
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

type Send = (url: URL, request: ApiRequest, timeoutMs: number) => Promise<ApiResponse>;

/**
 * HTTP with timeouts, proxy support and safe retries. Only GET/HEAD/OPTIONS, and POSTs that carry
 * an Idempotency-Key, are retried: repeating anything else could double an effect.
 */
export async function httpTransport(baseUrl: string, options: HttpOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<Transport> {
  const timeout = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 2;
  const base = baseUrl.replace(/\/+$/, '');
  const via = PROXY_VARIABLES.some((name) => env[name]) ? await undiciProxy(timeout, env) : { send: nodeSend, close: async () => undefined };

  async function attempt(request: ApiRequest): Promise<ApiResponse> {
    try {
      return await via.send(new URL(base + request.path), request, timeout);
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
    close: () => via.close(),
  };
}

/**
 * node:http directly: a CLI makes one or two requests, and Node's global fetch would first load
 * its bundled undici (~30 ms of a cold start) for them.
 */
const nodeSend: Send = async (url, request, timeoutMs) => {
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<ApiResponse>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const req = send(url, { method: request.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: headerReader(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'timed out' })));
    req.on('error', reject);
    req.end(request.body);
  });
};

function headerReader(headers: IncomingHttpHeaders) {
  return {
    get(name: string): string | null {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** undici's EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY, which Node's own clients ignore. */
async function undiciProxy(timeoutMs: number, env: NodeJS.ProcessEnv): Promise<{ send: Send; close(): Promise<void> }> {
  const undici = await import('undici');
  const { EnvHttpProxyAgent, fetch } = ((undici as unknown as { default?: typeof undici }).default ?? undici) as typeof undici;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy,
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
    connectTimeout: Math.min(timeoutMs, 10_000),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    async send(url, request, timeout) {
      const res = await fetch(url, { method: request.method, headers: request.headers, body: request.body, dispatcher, signal: AbortSignal.timeout(timeout) });
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    close: () => dispatcher.close(),
  };
}

function backoff(attempt: number): number {
  return 150 * 3 ** attempt + Math.floor(Math.random() * 100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeNetworkError(error: unknown): string {
  const direct = (error as { code?: string })?.code;
  if (direct) return direct;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error as Error)?.message ?? 'network error';
}
