import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from './context.js';
import type { RateLimitOptions } from './middleware/rate-limit.js';
import { createMetrics } from './metrics.js';
import { openWorkspace } from './workspace.js';
import type { DatabaseTarget } from '../db/connect.js';

export interface ServerOptions {
  target: DatabaseTarget;
  keyPath: string;
  host: string;
  port: number;
  rateLimit?: RateLimitOptions | false;
  /** how long in-flight requests may take to finish after SIGTERM/SIGINT */
  drainMs?: number;
  /** one JSON line per request (no query string, no headers: nothing secret) */
  accessLog?: (line: string) => void;
  /** serve GET /metrics (default: yes) */
  metrics?: boolean;
  /** a bearer secret that may read /metrics besides master_admin tokens */
  metricsSecret?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function remoteAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** Opens the workspace, migrates it, and serves the app until close() (`server start` calls it on SIGTERM/SIGINT). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.accessLog;
  const workspace = await openWorkspace({
    target: options.target,
    keyPath: options.keyPath,
    rateLimit: options.rateLimit,
    clientAddress: remoteAddress,
    onResponse: log ? (entry) => log(JSON.stringify(entry)) : undefined,
    metrics: options.metrics === false ? undefined : createMetrics(),
    metricsSecret: options.metricsSecret,
  });
  let server: ServerType;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: workspace.app.fetch, hostname: options.host, port: options.port }, (info) => resolve(info));
    server.once('error', reject);
  });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            resolve();
          }, options.drainMs ?? 10_000);
          server.close(() => {
            clearTimeout(timer);
            resolve();
          });
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        await workspace.close();
      })()),
  };
}
