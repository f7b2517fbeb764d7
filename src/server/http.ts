import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from './context.js';
import type { RateLimitOptions } from './middleware/rate-limit.js';
import { createMetrics } from './metrics.js';
import { openWorkspace } from './workspace.js';
import type { DatabaseTarget } from '../db/connect.js';
import { JOB_STATUSES } from '../db/tables/jobs.js';
import { jobQueueDepth } from './modules/jobs/service.js';
import { workerFrom, type WorkerSettings } from './modules/jobs/worker-settings.js';
import { PLATFORM_SCOPE, scopedRead } from './modules/jobs/worker-db.js';
import type { ProbeSettings } from './modules/health/probe.js';

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
  /** run a worker beside the API (`--no-worker`: false) */
  worker?: WorkerSettings | false;
  /** how `POST /v1/health/probe` probes */
  probe?: ProbeSettings;
  /** how long an overview or analytics answer is shared by callers of the same scope (ms) */
  sharedReadsMs?: number;
  /** what opening the workspace could not finish yet (openWorkspace) */
  notice?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  /** the worker's id, when one runs */
  workerId?: string;
  close(): Promise<void>;
}

function remoteAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** Opens the workspace, migrates it, and serves the app until close() (`server start` calls it on SIGTERM/SIGINT). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.accessLog;
  const metrics = options.metrics === false ? undefined : createMetrics();
  const workspace = await openWorkspace({
    target: options.target,
    keyPath: options.keyPath,
    rateLimit: options.rateLimit,
    clientAddress: remoteAddress,
    onResponse: log ? (entry) => log(JSON.stringify(entry)) : undefined,
    metrics,
    metricsSecret: options.metricsSecret,
    probe: options.probe,
    sharedReadsMs: options.sharedReadsMs,
    notice: options.notice,
  });
  const { db } = workspace.services;
  metrics?.labelledGaugeAtScrape('dotmac_job_queue_depth', 'jobs by status', 'status', async () => ({
    ...Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])),
    ...(await scopedRead(db, PLATFORM_SCOPE, jobQueueDepth)),
  }));
  const worker = options.worker ? workerFrom(workspace.services, options.worker) : undefined;
  let server: ServerType;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: workspace.app.fetch, hostname: options.host, port: options.port }, (info) => resolve(info));
    server.once('error', reject);
  });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  worker?.start();
  return {
    url: `http://${host}:${address.port}`,
    workerId: worker?.id,
    close: () =>
      (closing ??= (async () => {
        await worker?.stop();
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
