import { randomUUID } from 'node:crypto';
import { ApiError } from './errors.js';
import type { ApiResponse, Transport } from './transport.js';
import type {
  ApplyConfigs,
  AuditEvent,
  ChangeConfigs,
  ConfigChange,
  ConfigEntry,
  ConfigPlan,
  Configuration,
  ConfigVersion,
  Backup,
  BackupContent,
  BackupSchedule,
  BackupVerification,
  ChainCheck,
  CreateReseller,
  CreateTenant,
  CreateDeployment,
  CreateToken,
  Deployment,
  DeploymentEvents,
  HealthList,
  ProbeResults,
  PushedMetrics,
  PushMetrics,
  TenantHealth,
  IssuedToken,
  Job,
  JobSummary,
  Me,
  Overview,
  Page,
  PageParams,
  Reseller,
  RestoreResult,
  SetBackupSchedule,
  ScalePlan,
  ScaleTenant,
  Tenant,
  TenantFilter,
  Token,
  UpdateTenant,
} from './types.js';

/** What a change verb answered: the resource, and false when its end state already held. */
export interface Changed<T> {
  value: T;
  changed: boolean;
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** recorded in the audit trail with the change */
  reason?: string;
  /** If-Match: the version a change expects; a stale one is refused (409) */
  ifMatch?: number;
}

/** The typed API client. Commands and the dashboard use only this; the transport decides local or HTTP. */
export class ApiClient {
  constructor(
    readonly transport: Transport,
    private readonly token?: string,
  ) {}

  /** A raw call, as `dotmac api` makes it: the response whatever its status. */
  async raw(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    // percent-encoded: a header cannot carry most of Unicode (docs/api.md); line breaks become spaces
    if (options.reason) headers['x-dotmac-reason'] = encodeURIComponent(options.reason.replace(/[\r\n]+/g, ' ').slice(0, 500));
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    // Every POST carries a key, so a retry after a lost answer cannot repeat its effect.
    if (method === 'POST') headers['idempotency-key'] = randomUUID();
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    try {
      return await this.transport.send({ method, path: path + queryString(options.query), headers, body });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const kind = (error as { kind?: ApiError['kind'] }).kind;
      if (kind) throw error;
      throw new ApiError('unavailable', `${this.transport.target}: ${(error as Error).message}`, null);
    }
  }

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const res = await this.raw(method, path, options);
    if (res.status >= 400) throw ApiError.fromResponse(res.status, res.body, res.headers.get('retry-after'));
    return JSON.parse(res.body) as T;
  }

  /** A change verb: the resource, and whether anything changed (`Dotmac-Outcome`). */
  async change<T>(method: string, path: string, options: CallOptions = {}): Promise<Changed<T>> {
    const res = await this.raw(method, path, options);
    if (res.status >= 400) throw ApiError.fromResponse(res.status, res.body, res.headers.get('retry-after'));
    return { value: JSON.parse(res.body) as T, changed: res.headers.get('dotmac-outcome') !== 'unchanged' };
  }

  /** Follows next_cursor until the last page. */
  async *all<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const page = await fetchPage(cursor);
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  readonly tenants = {
    list: (filter: TenantFilter = {}) => this.call<Page<Tenant>>('GET', '/v1/tenants', { query: { ...filter } }),
    get: (ref: string) => this.call<Tenant>('GET', `/v1/tenants/${enc(ref)}`),
    create: (body: CreateTenant, reason?: string) => this.call<Tenant>('POST', '/v1/tenants', { body, reason }),
    update: (ref: string, body: UpdateTenant, reason?: string) => this.change<Tenant>('PATCH', `/v1/tenants/${enc(ref)}`, { body, reason }),
    suspend: (ref: string, reason?: string) => this.change<Tenant>('POST', `/v1/tenants/${enc(ref)}/suspend`, { reason }),
    resume: (ref: string, reason?: string) => this.change<Tenant>('POST', `/v1/tenants/${enc(ref)}/resume`, { reason }),
    delete: (ref: string, reason?: string) => this.change<Tenant>('DELETE', `/v1/tenants/${enc(ref)}`, { reason }),
  };

  readonly resellers = {
    list: (page: PageParams = {}) => this.call<Page<Reseller>>('GET', '/v1/resellers', { query: { ...page } }),
    get: (ref: string) => this.call<Reseller>('GET', `/v1/resellers/${enc(ref)}`),
    create: (body: CreateReseller, reason?: string) => this.call<Reseller>('POST', '/v1/resellers', { body, reason }),
  };

  readonly tokens = {
    create: (body: CreateToken, reason?: string) => this.call<IssuedToken>('POST', '/v1/tokens', { body, reason }),
    list: (page: PageParams & { include_revoked?: boolean } = {}) => this.call<Page<Token>>('GET', '/v1/tokens', { query: { ...page } }),
    revoke: (jti: string, reason?: string) => this.change<Token>('DELETE', `/v1/tokens/${enc(jti)}`, { reason }),
  };

  readonly audit = {
    list: (filter: PageParams & { action?: string; tenant?: string; target?: string } = {}) =>
      this.call<Page<AuditEvent>>('GET', '/v1/audit', { query: { ...filter } }),
    verify: () => this.call<ChainCheck>('GET', '/v1/audit/verify'),
  };

  readonly backups = {
    list: (tenant: string, page: PageParams = {}) => this.call<Page<Backup>>('GET', `/v1/tenants/${enc(tenant)}/backups`, { query: { ...page } }),
    create: (tenant: string, reason?: string) => this.call<Backup>('POST', `/v1/tenants/${enc(tenant)}/backups`, { reason }),
    get: (id: string) => this.call<Backup>('GET', `/v1/backups/${enc(id)}`),
    verify: (id: string) => this.call<BackupVerification>('GET', `/v1/backups/${enc(id)}/verify`),
    download: (id: string) => this.call<BackupContent>('GET', `/v1/backups/${enc(id)}/content`),
    restore: (id: string, body: { dry_run?: boolean } = {}, reason?: string) => this.change<RestoreResult>('POST', `/v1/backups/${enc(id)}/restore`, { body, reason }),
    getSchedule: (tenant: string) => this.call<BackupSchedule>('GET', `/v1/tenants/${enc(tenant)}/backup-schedule`),
    schedule: (tenant: string, body: SetBackupSchedule, reason?: string) => this.change<BackupSchedule>('PUT', `/v1/tenants/${enc(tenant)}/backup-schedule`, { body, reason }),
  };

  readonly analytics = {
    overview: () => this.call<Overview>('GET', '/v1/analytics/overview'),
  };

  readonly configs = {
    list: (tenant: string, query: { category?: string; reveal?: boolean } = {}) =>
      this.call<Configuration>('GET', `/v1/tenants/${enc(tenant)}/configs`, { query: { category: query.category, reveal: query.reveal || undefined } }),
    get: (tenant: string, key: string, reveal = false) =>
      this.call<ConfigEntry>('GET', `/v1/tenants/${enc(tenant)}/configs/keys/${enc(key)}`, { query: { reveal: reveal || undefined } }),
    change: (tenant: string, body: ChangeConfigs, options: { ifVersion?: number; reason?: string } = {}) =>
      this.change<ConfigChange>('PATCH', `/v1/tenants/${enc(tenant)}/configs`, { body, reason: options.reason, ifMatch: options.ifVersion }),
    apply: (tenant: string, body: ApplyConfigs, options: { ifVersion?: number; reason?: string } = {}) =>
      this.change<ConfigChange>('POST', `/v1/tenants/${enc(tenant)}/configs/apply`, { body, reason: options.reason, ifMatch: options.ifVersion }),
    diff: (tenant: string, body: ApplyConfigs) => this.call<ConfigPlan>('POST', `/v1/tenants/${enc(tenant)}/configs/diff`, { body }),
    versions: (tenant: string, page: PageParams = {}) => this.call<Page<ConfigVersion>>('GET', `/v1/tenants/${enc(tenant)}/configs/versions`, { query: { ...page } }),
    rollback: (tenant: string, version: number, options: { ifVersion?: number; reason?: string } = {}) =>
      this.change<ConfigChange>('POST', `/v1/tenants/${enc(tenant)}/configs/versions/${version}/rollback`, { reason: options.reason, ifMatch: options.ifVersion }),
  };

  readonly deployments = {
    list: (filter: PageParams & { tenant?: string; status?: string } = {}) => this.call<Page<Deployment>>('GET', '/v1/deployments', { query: { ...filter } }),
    get: (id: string) => this.call<Deployment>('GET', `/v1/deployments/${enc(id)}`),
    events: (id: string, after = 0) => this.call<DeploymentEvents>('GET', `/v1/deployments/${enc(id)}/events`, { query: { after } }),
    create: (body: CreateDeployment, reason?: string) => this.call<Deployment>('POST', '/v1/deployments', { body, reason }),
    rollback: (body: { tenant: string; to?: string }, reason?: string) => this.call<Deployment>('POST', '/v1/deployments/rollback', { body, reason }),
    scale: (tenant: string, body: ScaleTenant, reason?: string) => this.call<ScalePlan>('POST', `/v1/tenants/${enc(tenant)}/scale`, { body, reason }),
  };

  readonly jobs = {
    list: (filter: PageParams & { tenant?: string; status?: string } = {}) => this.call<Page<JobSummary>>('GET', '/v1/jobs', { query: { ...filter } }),
    get: (id: string) => this.call<Job>('GET', `/v1/jobs/${enc(id)}`),
    retry: (id: string, reason?: string) => this.change<Job>('POST', `/v1/jobs/${enc(id)}/retry`, { reason }),
    cancel: (id: string, reason?: string) => this.change<Job>('POST', `/v1/jobs/${enc(id)}/cancel`, { reason }),
  };

  readonly health = {
    list: (query: { limit?: number } = {}) => this.call<HealthList>('GET', '/v1/health', { query }),
    get: (tenant: string) => this.call<TenantHealth>('GET', `/v1/tenants/${enc(tenant)}/health`),
    probe: (body: { tenant?: string } = {}, reason?: string) => this.call<ProbeResults>('POST', '/v1/health/probe', { body, reason }),
  };

  /** What an instance agent (an `instance` token) calls. */
  readonly instances = {
    pushMetrics: (tenant: string, body: PushMetrics) => this.call<PushedMetrics>('POST', `/v1/instances/${enc(tenant)}/metrics`, { body }),
  };

  /** Local mode: runs the job in this process (a command's --wait); false over HTTP, where the server's worker runs it. */
  runJobHere = (jobId: string): Promise<boolean> => this.transport.runJob?.(jobId) ?? Promise.resolve(false);

  /** Whether jobs run in this process (local mode) rather than on a server's worker. */
  get runsJobsHere(): boolean {
    return this.transport.runJob !== undefined;
  }

  me = () => this.call<Me>('GET', '/v1/me');
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function queryString(query: CallOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const s = params.toString();
  return s ? `?${s}` : '';
}
