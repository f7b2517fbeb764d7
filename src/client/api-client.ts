import { randomUUID } from 'node:crypto';
import { ApiError } from './errors.js';
import type { ApiResponse, Transport } from './transport.js';
import type {
  ApplyConfigs,
  Branding,
  BrandingChange,
  BrandingVersion,
  ChangeBranding,
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
  Commission,
  CommissionExplanation,
  CommissionRule,
  CommissionRun,
  CommissionStatement,
  CompleteTraining,
  CreateCommissionRule,
  CreateReseller,
  CreateTenant,
  CreateDeployment,
  CreateToken,
  Deployment,
  DeploymentListItem,
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
  Distribution,
  DistributionName,
  Page,
  PageParams,
  Payout,
  PayoutDetail,
  PayoutRun,
  Reseller,
  ResellerKpis,
  ResellerKpisList,
  ResellerTraining,
  RestoreResult,
  SetBackupSchedule,
  ScalePlan,
  ScaleTenant,
  Tenant,
  TenantFilter,
  Token,
  UpdateReseller,
  UpdateTenant,
  AssignTerritory,
  CreateOpportunity,
  CreateTerritory,
  CustomerHealthList,
  MoveOpportunity,
  NpsResponse,
  OpportunityDetail,
  OpportunityPage,
  RecordNps,
  Territory,
  TerritoryList,
  BillingRun,
  ChangePlan,
  CreateSubscription,
  Invoice,
  InvoiceDetail,
  PlanList,
  PriceBook,
  PublishedPriceBook,
  RecordedUsage,
  RecordUsage,
  Subscription,
  SubscriptionChange,
  SubscriptionCreated,
  UsageList,
  AcceptQuote,
  AcceptedQuote,
  CreateQuote,
  Onboarding,
  OnboardTenant,
  PreviewQuote,
  Quote,
  QuoteFilter,
  QuotePricing,
  QuoteSummary,
  UpdateQuote,
  CreateTicket,
  SlaCheckResult,
  Ticket,
  TicketDetail,
  TicketFilter,
  CreateFeatureFlag,
  FeatureFlag,
  FeatureFlagList,
  FlagEvaluation,
  SetFeatureFlag,
  Invitation,
  InviteTenantUser,
  TenantUser,
  TenantUserFilter,
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
    onboard: (body: OnboardTenant, reason?: string) => this.call<Onboarding>('POST', '/v1/tenants/onboard', { body, reason }),
  };

  readonly quotes = {
    list: (filter: QuoteFilter = {}) => this.call<Page<QuoteSummary>>('GET', '/v1/quotes', { query: { ...filter } }),
    get: (ref: string) => this.call<Quote>('GET', `/v1/quotes/${enc(ref)}`),
    create: (body: CreateQuote, reason?: string) => this.call<Quote>('POST', '/v1/quotes', { body, reason }),
    preview: (body: PreviewQuote) => this.call<QuotePricing>('POST', '/v1/quotes/preview', { body }),
    update: (ref: string, body: UpdateQuote, reason?: string) => this.change<Quote>('PATCH', `/v1/quotes/${enc(ref)}`, { body, reason }),
    submit: (ref: string, reason?: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/submit`, { reason }),
    approve: (ref: string, reason?: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/approve`, { reason }),
    refuse: (ref: string, why: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/refuse`, { body: { reason: why }, reason: why }),
    send: (ref: string, reason?: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/send`, { reason }),
    view: (ref: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/view`),
    accept: (ref: string, body: AcceptQuote = {}, reason?: string) => this.call<AcceptedQuote>('POST', `/v1/quotes/${enc(ref)}/accept`, { body, reason }),
    reject: (ref: string, why: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/reject`, { body: { reason: why }, reason: why }),
    revise: (ref: string, reason?: string) => this.call<Quote>('POST', `/v1/quotes/${enc(ref)}/revise`, { reason }),
    cancel: (ref: string, reason?: string) => this.change<Quote>('POST', `/v1/quotes/${enc(ref)}/cancel`, { reason }),
  };

  readonly resellers = {
    list: (page: PageParams = {}) => this.call<Page<Reseller>>('GET', '/v1/resellers', { query: { ...page } }),
    get: (ref: string) => this.call<Reseller>('GET', `/v1/resellers/${enc(ref)}`),
    create: (body: CreateReseller, reason?: string) => this.call<Reseller>('POST', '/v1/resellers', { body, reason }),
    update: (ref: string, body: UpdateReseller, reason?: string) => this.change<Reseller>('PATCH', `/v1/resellers/${enc(ref)}`, { body, reason }),
    training: (ref: string) => this.call<ResellerTraining>('GET', `/v1/resellers/${enc(ref)}/training`),
    completeTraining: (ref: string, body: CompleteTraining, reason?: string) =>
      this.change<ResellerTraining>('POST', `/v1/resellers/${enc(ref)}/training`, { body, reason }),
    kpis: (ref: string, query: { period?: string } = {}) => this.call<ResellerKpis>('GET', `/v1/resellers/${enc(ref)}/kpis`, { query: { ...query } }),
    allKpis: (query: { period?: string } = {}) => this.call<ResellerKpisList>('GET', '/v1/resellers/kpis', { query: { ...query } }),
    statement: (ref: string, period: string) => this.call<CommissionStatement>('GET', `/v1/resellers/${enc(ref)}/statements/${enc(period)}`),
  };

  readonly commissions = {
    rules: (filter: PageParams & { reseller?: string } = {}) => this.call<Page<CommissionRule>>('GET', '/v1/commission-rules', { query: { ...filter } }),
    createRule: (body: CreateCommissionRule, reason?: string) => this.call<CommissionRule>('POST', '/v1/commission-rules', { body, reason }),
    list: (filter: PageParams & { reseller?: string; period?: string; status?: string; type?: string } = {}) =>
      this.call<Page<Commission>>('GET', '/v1/commissions', { query: { ...filter } }),
    explain: (id: string) => this.call<CommissionExplanation>('GET', `/v1/commissions/${enc(id)}`),
    dispute: (id: string, body: { reason: string }, reason?: string) => this.change<Commission>('POST', `/v1/commissions/${enc(id)}/dispute`, { body, reason }),
    resolve: (id: string, body: { cancel?: boolean } = {}, reason?: string) => this.change<Commission>('POST', `/v1/commissions/${enc(id)}/resolve`, { body, reason }),
    run: (body: { period: string }, reason?: string) => this.change<CommissionRun>('POST', '/v1/commissions/run', { body, reason }),
  };

  readonly payouts = {
    run: (body: { on: string }, reason?: string) => this.call<PayoutRun>('POST', '/v1/payouts/runs', { body, reason }),
    list: (filter: PageParams & { reseller?: string; status?: string } = {}) => this.call<Page<Payout>>('GET', '/v1/payouts', { query: { ...filter } }),
    get: (id: string) => this.call<PayoutDetail>('GET', `/v1/payouts/${enc(id)}`),
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
    /** queues the backup's job; its payload's backup_id is the backup the job makes */
    create: (tenant: string, reason?: string) => this.call<Job>('POST', `/v1/tenants/${enc(tenant)}/backups`, { reason }),
    get: (id: string) => this.call<Backup>('GET', `/v1/backups/${enc(id)}`),
    verify: (id: string) => this.call<BackupVerification>('GET', `/v1/backups/${enc(id)}/verify`),
    download: (id: string) => this.call<BackupContent>('GET', `/v1/backups/${enc(id)}/content`),
    restore: (id: string, body: { dry_run?: boolean } = {}, reason?: string) => this.change<RestoreResult>('POST', `/v1/backups/${enc(id)}/restore`, { body, reason }),
    getSchedule: (tenant: string) => this.call<BackupSchedule>('GET', `/v1/tenants/${enc(tenant)}/backup-schedule`),
    schedule: (tenant: string, body: SetBackupSchedule, reason?: string) => this.change<BackupSchedule>('PUT', `/v1/tenants/${enc(tenant)}/backup-schedule`, { body, reason }),
  };

  readonly analytics = {
    /** the caller's role's overview: `role` says which of the three shapes it is */
    overview: () => this.call<Overview>('GET', '/v1/overview'),
    distribution: <N extends DistributionName>(name: N) => this.call<Distribution<N>>('GET', `/v1/analytics/${name}`),
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

  readonly branding = {
    get: (tenant: string) => this.call<Branding>('GET', `/v1/tenants/${enc(tenant)}/branding`),
    change: (tenant: string, body: ChangeBranding, options: { ifVersion?: number; reason?: string } = {}) =>
      this.change<BrandingChange>('PATCH', `/v1/tenants/${enc(tenant)}/branding`, { body, reason: options.reason, ifMatch: options.ifVersion }),
    versions: (tenant: string, page: PageParams = {}) => this.call<Page<BrandingVersion>>('GET', `/v1/tenants/${enc(tenant)}/branding/versions`, { query: { ...page } }),
    rollback: (tenant: string, version: number, options: { ifVersion?: number; reason?: string } = {}) =>
      this.change<BrandingChange>('POST', `/v1/tenants/${enc(tenant)}/branding/versions/${version}/rollback`, { reason: options.reason, ifMatch: options.ifVersion }),
  };

  readonly deployments = {
    list: (filter: PageParams & { tenant?: string; status?: string; q?: string } = {}) => this.call<Page<DeploymentListItem>>('GET', '/v1/deployments', { query: { ...filter } }),
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

  /** The people of a tenant's instance (not the token identities of /v1/tokens). */
  readonly tenantUsers = {
    list: (tenant: string, filter: TenantUserFilter = {}) => this.call<Page<TenantUser>>('GET', `/v1/tenants/${enc(tenant)}/users`, { query: { ...filter } }),
    get: (tenant: string, user: string) => this.call<TenantUser>('GET', `/v1/tenants/${enc(tenant)}/users/${enc(user)}`),
    invite: (tenant: string, body: InviteTenantUser, reason?: string) => this.call<Invitation>('POST', `/v1/tenants/${enc(tenant)}/users`, { body, reason }),
    accept: (tenant: string, user: string, code: string, reason?: string) =>
      this.call<TenantUser>('POST', `/v1/tenants/${enc(tenant)}/users/${enc(user)}/accept`, { body: { code }, reason }),
    role: (tenant: string, user: string, role: TenantUser['role'], reason?: string) =>
      this.change<TenantUser>('POST', `/v1/tenants/${enc(tenant)}/users/${enc(user)}/role`, { body: { role }, reason }),
    disable: (tenant: string, user: string, reason?: string) => this.change<TenantUser>('POST', `/v1/tenants/${enc(tenant)}/users/${enc(user)}/disable`, { reason }),
    enable: (tenant: string, user: string, reason?: string) => this.change<TenantUser>('POST', `/v1/tenants/${enc(tenant)}/users/${enc(user)}/enable`, { reason }),
    remove: (tenant: string, user: string, reason?: string) => this.call<TenantUser>('DELETE', `/v1/tenants/${enc(tenant)}/users/${enc(user)}`, { reason }),
  };

  readonly territories = {
    list: () => this.call<TerritoryList>('GET', '/v1/territories'),
    create: (body: CreateTerritory, reason?: string) => this.call<Territory>('POST', '/v1/territories', { body, reason }),
    assign: (ref: string, body: AssignTerritory, reason?: string) => this.change<Territory>('POST', `/v1/territories/${enc(ref)}/assign`, { body, reason }),
  };

  readonly opportunities = {
    list: (filter: PageParams & { stage?: string; reseller?: string } = {}) => this.call<OpportunityPage>('GET', '/v1/opportunities', { query: { ...filter } }),
    get: (id: string) => this.call<OpportunityDetail>('GET', `/v1/opportunities/${enc(id)}`),
    create: (body: CreateOpportunity, reason?: string) => this.call<OpportunityDetail>('POST', '/v1/opportunities', { body, reason }),
    move: (id: string, body: MoveOpportunity, reason?: string) => this.change<OpportunityDetail>('POST', `/v1/opportunities/${enc(id)}/move`, { body, reason }),
  };

  readonly customers = {
    health: (filter: { reseller?: string; band?: string; tenant?: string } = {}) => this.call<CustomerHealthList>('GET', '/v1/customers/health', { query: { ...filter } }),
    recordNps: (tenant: string, body: RecordNps, reason?: string) => this.call<NpsResponse>('POST', `/v1/tenants/${enc(tenant)}/nps`, { body, reason }),
  };

  /** What an instance agent (an `instance` token) calls. */
  /** What an instance agent (an `instance` token) calls; staff record usage through the same route. */
  readonly instances = {
    pushMetrics: (tenant: string, body: PushMetrics) => this.call<PushedMetrics>('POST', `/v1/instances/${enc(tenant)}/metrics`, { body }),
    recordUsage: (tenant: string, body: RecordUsage, reason?: string) => this.call<RecordedUsage>('POST', `/v1/instances/${enc(tenant)}/usage`, { body, reason }),
  };

  readonly pricebooks = {
    get: (version?: string) => this.call<PriceBook>('GET', '/v1/pricebooks', { query: { version } }),
    publish: (body: PriceBook, reason?: string) => this.call<PublishedPriceBook>('POST', '/v1/pricebooks', { body, reason }),
    plans: (version?: string) => this.call<PlanList>('GET', '/v1/plans', { query: { version } }),
  };

  readonly subscriptions = {
    create: (body: CreateSubscription, reason?: string) => this.call<SubscriptionCreated>('POST', '/v1/subscriptions', { body, reason }),
    list: (filter: PageParams & { tenant?: string; status?: string } = {}) => this.call<Page<Subscription>>('GET', '/v1/subscriptions', { query: { ...filter } }),
    get: (id: string) => this.call<Subscription>('GET', `/v1/subscriptions/${enc(id)}`),
    changePlan: (id: string, body: ChangePlan, reason?: string) => this.change<SubscriptionChange>('POST', `/v1/subscriptions/${enc(id)}/change-plan`, { body, reason }),
    cancel: (id: string, body: { on?: string } = {}, reason?: string) => this.change<Subscription>('POST', `/v1/subscriptions/${enc(id)}/cancel`, { body, reason }),
  };

  readonly usage = {
    show: (query: { tenant?: string; period?: string } = {}) => this.call<UsageList>('GET', '/v1/usage', { query }),
  };

  readonly billing = {
    run: (body: { period: string }, reason?: string) => this.change<BillingRun>('POST', '/v1/billing/runs', { body, reason }),
  };

  readonly invoices = {
    list: (filter: PageParams & { tenant?: string; status?: string; period?: string } = {}) => this.call<Page<Invoice>>('GET', '/v1/invoices', { query: { ...filter } }),
    get: (id: string) => this.call<InvoiceDetail>('GET', `/v1/invoices/${enc(id)}`),
    pay: (id: string, body: { on: string }, reason?: string) => this.change<InvoiceDetail>('POST', `/v1/invoices/${enc(id)}/pay`, { body, reason }),
    refund: (id: string, body: { on: string; amount_cents?: number }, reason?: string) => this.change<InvoiceDetail>('POST', `/v1/invoices/${enc(id)}/refund`, { body, reason }),
    void: (id: string, body: { on?: string } = {}, reason?: string) => this.change<InvoiceDetail>('POST', `/v1/invoices/${enc(id)}/void`, { body, reason }),
  };

  readonly tickets = {
    list: (filter: TicketFilter = {}) => this.call<Page<Ticket>>('GET', '/v1/tickets', { query: { ...filter } }),
    get: (id: string) => this.call<TicketDetail>('GET', `/v1/tickets/${enc(id)}`),
    create: (body: CreateTicket, reason?: string) => this.call<TicketDetail>('POST', '/v1/tickets', { body, reason }),
    comment: (id: string, body: { body: string }, reason?: string) => this.call<TicketDetail>('POST', `/v1/tickets/${enc(id)}/comments`, { body, reason }),
    assign: (id: string, body: { to: string }, reason?: string) => this.change<TicketDetail>('POST', `/v1/tickets/${enc(id)}/assign`, { body, reason }),
    escalate: (id: string, body: { reason?: string } = {}, reason?: string) => this.call<TicketDetail>('POST', `/v1/tickets/${enc(id)}/escalate`, { body, reason }),
    resolve: (id: string, body: { reason?: string } = {}, reason?: string) => this.change<TicketDetail>('POST', `/v1/tickets/${enc(id)}/resolve`, { body, reason }),
    reopen: (id: string, body: { reason?: string } = {}, reason?: string) => this.change<TicketDetail>('POST', `/v1/tickets/${enc(id)}/reopen`, { body, reason }),
    close: (id: string, body: { csat?: number; reason?: string } = {}, reason?: string) => this.change<TicketDetail>('POST', `/v1/tickets/${enc(id)}/close`, { body, reason }),
    slaCheck: (body: { at?: string } = {}, reason?: string) => this.call<SlaCheckResult>('POST', '/v1/tickets/sla-check', { body, reason }),
  };

  readonly flags = {
    list: () => this.call<FeatureFlagList>('GET', '/v1/flags'),
    get: (key: string) => this.call<FeatureFlag>('GET', `/v1/flags/${enc(key)}`),
    create: (body: CreateFeatureFlag, reason?: string) => this.call<FeatureFlag>('POST', '/v1/flags', { body, reason }),
    set: (key: string, body: SetFeatureFlag, reason?: string) => this.change<FeatureFlag>('PATCH', `/v1/flags/${enc(key)}`, { body, reason }),
    enable: (key: string, reason?: string) => this.change<FeatureFlag>('POST', `/v1/flags/${enc(key)}/enable`, { reason }),
    disable: (key: string, reason?: string) => this.change<FeatureFlag>('POST', `/v1/flags/${enc(key)}/disable`, { reason }),
    delete: (key: string, reason?: string) => this.call<FeatureFlag>('DELETE', `/v1/flags/${enc(key)}`, { reason }),
    evaluate: (query: { tenant?: string } = {}) => this.call<FlagEvaluation>('GET', '/v1/flags/evaluate', { query }),
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
