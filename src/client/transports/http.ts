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

/**
 * HTTP over undici. Its proxy agent honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY, which undici's
 * default dispatcher ignores. Only GET/HEAD/OPTIONS, and POSTs that carry an Idempotency-Key,
 * are retried: repeating anything else could double an effect.
 */
export async function httpTransport(baseUrl: string, options: HttpOptions = {}): Promise<Transport> {
  const { EnvHttpProxyAgent, fetch } = await import('undici');
  const timeout = options.timeoutMs ?? 30_000;
  const dispatcher = new EnvHttpProxyAgent({ connectTimeout: Math.min(timeout, 10_000), headersTimeout: timeout, bodyTimeout: timeout });
  const retries = options.retries ?? 2;
  const base = baseUrl.replace(/\/+$/, '');

  async function attempt(request: ApiRequest): Promise<ApiResponse> {
    try {
      const res = await fetch(base + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        dispatcher,
        signal: AbortSignal.timeout(timeout),
      });
      return { status: res.status, headers: res.headers as unknown as Headers, body: await res.text() };
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
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error as Error)?.message ?? 'network error';
}
