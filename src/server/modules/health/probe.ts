import type { HealthStatus } from '../../../db/tables/health.js';
import { classify } from './stats.js';

/** How probes run: the server's own configuration (`--probe-*` flags or DOTMAC_PROBE_*), never a request's. */
export interface ProbeSettings {
  /** how often the worker probes every tenant's current deployment; 0: never on its own */
  intervalMs: number;
  /** an answer slower than this is `degraded` */
  degradedMs: number;
  /** giving up on the TCP (and TLS) connection */
  connectTimeoutMs: number;
  /** giving up on the whole exchange: connection, headers and body */
  timeoutMs: number;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = { intervalMs: 60_000, degradedMs: 1_000, connectTimeoutMs: 2_000, timeoutMs: 5_000 };

export interface ProbeResult {
  at: Date;
  status: HealthStatus;
  latencyMs: number | null;
  httpStatus: number | null;
  error: string | null;
}

/** An answer's body is read (so the latency is the whole answer's) up to this much, then dropped. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * GET {endpointUrl}/health once, with undici: no redirect followed (a 3xx is not healthy), a
 * connect timeout and a total one. Never throws: every failure is a `down` result with its reason
 * (which never repeats the URL, whose userinfo could hold a secret).
 */
export async function probeEndpoint(endpointUrl: string, settings: ProbeSettings, now: () => Date = () => new Date()): Promise<ProbeResult> {
  const at = now();
  const url = healthUrl(endpointUrl);
  if (!url) return { at, status: 'down', latencyMs: null, httpStatus: null, error: 'the endpoint is not an http(s) URL' };
  // loaded on the first probe only: local mode's other commands never pay for it
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connect: { timeout: settings.connectTimeoutMs }, keepAliveTimeout: 1, pipelining: 0 });
  const started = performance.now();
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.1', 'user-agent': 'dotmac-probe' },
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    try {
      await readUpTo(res.body, BODY_LIMIT_BYTES);
    } catch (error) {
      // headers alone are not an answer: a body that stalls or breaks off is down
      return { at, status: 'down', latencyMs: null, httpStatus: res.statusCode, error: `the answer broke off: ${failureReason(error, settings)}` };
    }
    const latencyMs = Math.round(performance.now() - started);
    const status = classify({ httpStatus: res.statusCode, latencyMs }, settings.degradedMs);
    const error = status === 'down' ? `answered HTTP ${res.statusCode}` : null;
    return { at, status, latencyMs, httpStatus: res.statusCode, error };
  } catch (error) {
    return { at, status: 'down', latencyMs: null, httpStatus: null, error: failureReason(error, settings) };
  } finally {
    agent.destroy().catch(() => undefined);
  }
}

/**
 * Reads a body to its end, or its first `limit` bytes and drops the rest; throws when it does not
 * arrive (a timeout, a reset). undici's dump() resolves either way, so it cannot tell.
 */
async function readUpTo(body: AsyncIterable<Uint8Array>, limit: number): Promise<void> {
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (read > limit) return; // leaving the loop destroys the stream
  }
}

/** {endpoint}/health, keeping the endpoint's own path; null for anything but http(s). */
export function healthUrl(endpointUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/health`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

function failureReason(error: unknown, settings: ProbeSettings): string {
  const e = error as { code?: string; name?: string; cause?: { code?: string }; message?: string };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return `no connection within ${settings.connectTimeoutMs} ms`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${settings.timeoutMs} ms`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  return code ? `the probe failed (${code})` : 'the probe failed';
}

/** Local mode probes (`dotmac health probe` in-process) with DOTMAC_PROBE_* from its environment. */
export function probeSettingsFromEnv(env: NodeJS.ProcessEnv): ProbeSettings {
  const ms = (name: string, fallback: number, min: number) => {
    const value = Number(env[name]);
    return env[name] !== undefined && env[name] !== '' && Number.isInteger(value) && value >= min ? value : fallback;
  };
  const seconds = Number(env.DOTMAC_PROBE_INTERVAL);
  return {
    intervalMs: env.DOTMAC_PROBE_INTERVAL && Number.isInteger(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_PROBE_SETTINGS.intervalMs,
    degradedMs: ms('DOTMAC_PROBE_DEGRADED_MS', DEFAULT_PROBE_SETTINGS.degradedMs, 1),
    connectTimeoutMs: ms('DOTMAC_PROBE_CONNECT_TIMEOUT_MS', DEFAULT_PROBE_SETTINGS.connectTimeoutMs, 1),
    timeoutMs: ms('DOTMAC_PROBE_TIMEOUT_MS', DEFAULT_PROBE_SETTINGS.timeoutMs, 1),
  };
}
