import type { Clock } from '../core/clock.js';
import type { Db, Dialect } from '../db/database.js';
import type { AuditKey, SigningKeys } from './auth/keys.js';
import type { Principal } from './auth/principal.js';
import type { ProbeSettings } from './modules/health/probe.js';
import type { SharedReads } from './shared-reads.js';

/** What the app is built from: no globals, so tests and local mode hand in their own. */
export interface Services {
  db: Db;
  dialect: Dialect;
  keys: SigningKeys;
  /** keys the audit chain's HMAC; read from the workspace directory, never from the database */
  auditKey: AuditKey;
  clock: Clock;
  /** how `health probe` probes (the server's --probe-* settings); default DEFAULT_PROBE_SETTINGS */
  probe?: ProbeSettings;
  /** concurrent identical aggregate reads share one computation (shared-reads.ts); set by the app */
  sharedReads?: SharedReads;
}

/** Every service function takes one: the verified caller, plus the request's audit facts. */
export interface ServiceContext extends Services {
  principal: Principal;
  /** made by the server for this request */
  requestId: string;
  /** the caller's own X-Request-Id, recorded apart from ours */
  clientRequestId: string | null;
  reason: string | null;
  /** who the audit trail names when it is not the principal: a worker doing a job's work */
  actor?: { id: string; role: string };
}

export interface AppEnv {
  Variables: {
    services: Services;
    requestId: string;
    clientRequestId: string | null;
    principal?: Principal;
    /** set by each route's role check, before validation */
    serviceContext?: ServiceContext;
  };
}
