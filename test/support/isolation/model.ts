import { readTickets, type TicketState } from './ticket-model.js';
import type { Role } from '../../../src/server/auth/principal.js';
import type { Tenant, Reseller, Token, AuditEvent, Deployment, Invoice, JobSummary, Opportunity, Subscription } from '../../../src/client/types.js';
import type { Kysely } from 'kysely';
import type { ApiClient } from '../../../src/client/api-client.js';
import { gunzipSync } from 'node:zlib';
import type { Backup, BackupContent, BackupSchedule } from '../../../src/client/types.js';
import type { Database } from '../../../src/db/database.js';
import type { AuditKey } from '../../../src/server/auth/keys.js';
import { isSealed, snapshotState, storedValue, UNOPENED } from '../../../src/server/modules/configs/sealing.js';
import type { TenantUserRow } from '../../../src/db/tables/tenant-users.js';
import { readAll } from '../pages.js';
import { partnersFromSystem, type PartnerState } from './partner-model.js';
import type { Caller, Ownership } from '../scope-oracle.js';

/**
 * A small model of the platform: tenants, resellers, tokens, and the audit events written since
 * the sequence began, with the scoping and state rules of DESIGN §3–4 written out again. The
 * isolation test predicts every answer from it and compares the system with it after each step.
 */

export type TenantState = Pick<Tenant, 'id' | 'slug' | 'name' | 'status' | 'plan' | 'region' | 'reseller_id' | 'contact_email' | 'version'>;
export type ResellerState = Pick<Reseller, 'id' | 'slug' | 'name' | 'territory' | 'tier' | 'tier_source' | 'kind' | 'quota_cents' | 'default_commission_bps' | 'lifetime_revenue_cents'>;
export interface TokenState {
  jti: string;
  role: Role;
  tenant_id: string | null;
  reseller_id: string | null;
  revoked: boolean;
}
/** A backup, and the tenant fields a restore of it would bring back. */
export interface BackupState {
  id: string;
  tenant_id: string;
  name: string;
  contact_email: string | null;
  /** the tenant's configuration and deployments when the backup was taken, which a restore puts back */
  configs?: ConfigState;
  /** the tenant's branding versions when the backup was taken, which a restore puts back */
  branding?: BrandingState;
  deployments: DeploymentState[];
  /** the tenant's people when the backup was taken, which a restore puts back */
  users: TenantUserState[];
}

/** A tenant user exactly as its row holds it (the model predicts every field: the test clock stands still unless moved). */
export type TenantUserState = TenantUserRow;
export interface ScheduleState {
  tenant_id: string;
  every_seconds: number;
  keep: number;
}
export interface EventState {
  action: string;
  target_id: string | null;
  tenant_id: string | null;
  reseller_id: string | null;
}

/** One key of a tenant's configuration: its value, whether it is secret, and the version that last wrote it. */
export interface ConfigEntryState {
  value: unknown;
  secret: boolean;
  version: number;
}
export interface ConfigVersionState {
  action: 'set' | 'apply' | 'rollback';
  restored_from: number | null;
  changes: { key: string; change: 'added' | 'changed' | 'removed'; secret: boolean }[];
  /** the whole configuration after this version */
  snapshot: Record<string, { value: unknown; secret: boolean }>;
}
/** A tenant's configuration: current entries and every version (index 0 is v1). */
export interface ConfigState {
  entries: Record<string, ConfigEntryState>;
  versions: ConfigVersionState[];
}

/** One version of a tenant's branding: the whole branding after it, and which fields it changed. */
export interface BrandingVersionState {
  action: 'set' | 'rollback';
  restored_from: number | null;
  changes: string[];
  snapshot: Record<string, string | null>;
}
/** A tenant's branding: every version (index 0 is v1); the last is the branding now. */
export interface BrandingState {
  versions: BrandingVersionState[];
}

/** A deployment and its job, as far as the model follows them (no worker runs unless a step drains the queue). */
export interface DeploymentState {
  id: string;
  tenant_id: string;
  job_id: string;
  kind: string;
  version: string;
  size: string;
  replicas: number;
  status: string;
  replaces: string | null;
  rollback_to: string | null;
  job_status: string;
}

/** A territory: its regions and the reseller holding it. */
export interface TerritoryState {
  id: string;
  name: string;
  regions: string[];
  reseller_id: string | null;
}
/** An opportunity, as far as scoping and its stage go. */
export interface OpportunityState {
  id: string;
  reseller_id: string;
  stage: 'lead' | 'qualified' | 'proposal' | 'negotiation' | 'won' | 'lost';
  value_cents: number;
  region: string;
}

/** A feature flag: who it is on for (tenant lists as sorted ids). */
export interface FlagState {
  id: string;
  key: string;
  rollout_bps: number;
  tenants: string[];
  except: string[];
}

/** A subscription and an invoice, as far as the model follows them. */
export interface SubscriptionState {
  id: string;
  tenant_id: string;
  status: string;
  addons: string[];
}
export interface InvoiceState {
  id: string;
  tenant_id: string;
  status: string;
  refunded_cents: number;
  total_cents: number;
}

/** One of the six callers: master, three tenant admins, two resellers. */
export interface Principal extends Caller {
  name: string;
  jti: string;
  /** the user the token acts as (a quote's author) */
  userId?: string;
}

/** A quote as the model follows it (COMMERCE.md § Quotes). */
export interface QuoteState {
  id: string;
  number: string;
  revision: number;
  reseller_id: string | null;
  customer_tenant_id: string | null;
  region: string;
  status: string;
  author_id: string;
  author_authority_bps: number;
  subscribers: number;
  required_authority_bps: number;
}

export interface Model {
  tenants: TenantState[];
  resellers: ResellerState[];
  tokens: TokenState[];
  backups: BackupState[];
  schedules: ScheduleState[];
  deployments: DeploymentState[];
  /** the jobs `POST /v1/tenants/{ref}/backups` queued (each run to its end by the step that queued it) */
  backupJobs: BackupJobState[];
  quotes: QuoteState[];
  territories: TerritoryState[];
  opportunities: OpportunityState[];
  /** events written since the sequence began, oldest first */
  events: EventState[];
  /** configurations by tenant id (a tenant with none has no entry) */
  configs: Record<string, ConfigState>;
  /** branding by tenant id (a tenant with no version has no entry) */
  branding: Record<string, BrandingState>;
  /** the audit chain's head when the sequence began */
  baseSeq: number;
  principals: Principal[];
  /** the harness's own token, which reads the state back and is never revoked */
  bootstrapJti: string;
  /** the last cpu value pushed to each tenant during this run (before it: not known, not checked) */
  cpu: Record<string, number>;
  /** the partner programme: commission events, payouts, rules, training */
  partners: PartnerState;
  subscriptions: SubscriptionState[];
  invoices: InvoiceState[];
  tickets: TicketState[];
  flags: FlagState[];
  /** every tenant's people, as their rows hold them */
  tenantUsers: TenantUserState[];
  /** the invite codes the model saw answered in this run, by user id (the system keeps only their hashes) */
  inviteCodes: Record<string, string>;
}

/** The system's feature flags, read as master. */
export async function readFlags(admin: ApiClient): Promise<FlagState[]> {
  const { data } = await admin.flags.list();
  return byId(data.map((f) => ({ id: f.id, key: f.key, rollout_bps: Math.round(f.rollout * 100), tenants: f.tenants.map((t) => t.id), except: f.except.map((t) => t.id) })));
}

/** Every tenant's people as the table holds them (hashes included), read as the table's owner. */
export async function tenantUsersFromDatabase(db: Kysely<Database>): Promise<TenantUserState[]> {
  return byId(await db.selectFrom('tenant_users').selectAll().execute());
}

export const subscriptionOf = (row: Subscription): SubscriptionState => ({ id: row.id, tenant_id: row.tenant_id, status: row.status, addons: row.addons });
export const invoiceOf = (row: Invoice): InvoiceState => ({ id: row.id, tenant_id: row.tenant_id, status: row.status, refunded_cents: row.refunded_cents, total_cents: row.total_cents });

/** The system's subscriptions and invoices, read as master. */
export async function readBilling(admin: ApiClient): Promise<{ subscriptions: SubscriptionState[]; invoices: InvoiceState[] }> {
  const [subscriptions, invoices] = await Promise.all([readAll<Subscription>(admin, '/v1/subscriptions'), readAll<Invoice>(admin, '/v1/invoices')]);
  return { subscriptions: byId(subscriptions.map(subscriptionOf)), invoices: byId(invoices.map(invoiceOf)) };
}

export const quoteOf = (row: QuoteState & Record<string, unknown>): QuoteState => ({
  id: row.id,
  number: row.number,
  revision: row.revision,
  reseller_id: row.reseller_id,
  customer_tenant_id: row.customer_tenant_id,
  region: row.region as string,
  status: row.status,
  author_id: row.author_id,
  author_authority_bps: row.author_authority_bps,
  subscribers: row.subscribers,
  required_authority_bps: row.required_authority_bps,
});

/** Every quote, read as master. */
export async function readQuotes(admin: ApiClient): Promise<QuoteState[]> {
  return byId((await readAll<QuoteState & Record<string, unknown>>(admin, '/v1/quotes')).map(quoteOf));
}

export const deploymentOf = (row: Deployment, job: Pick<JobSummary, 'status'>): DeploymentState => ({
  id: row.id,
  tenant_id: row.tenant_id,
  job_id: row.job_id,
  kind: row.kind,
  version: row.version,
  size: row.size,
  replicas: row.replicas,
  status: row.status,
  replaces: row.replaces,
  rollback_to: row.rollback_to,
  job_status: job.status,
});

export interface BackupJobState {
  id: string;
  tenant_id: string;
  status: JobSummary['status'];
}

/** The jobs that took backups asked for through the API, read as master. */
export async function readBackupJobs(admin: ApiClient): Promise<BackupJobState[]> {
  const jobs = await readAll<JobSummary>(admin, '/v1/jobs');
  return byId(jobs.filter((j) => j.kind === 'backup').map(({ id, tenant_id, status }) => ({ id, tenant_id, status })));
}

/** The system's territories and opportunities, read as master. */
export async function readPipeline(admin: ApiClient): Promise<{ territories: TerritoryState[]; opportunities: OpportunityState[] }> {
  const [territories, opportunities] = await Promise.all([admin.territories.list(), readAll<Opportunity>(admin, '/v1/opportunities')]);
  return {
    territories: byId(territories.data.map(({ id, name, regions, reseller_id }) => ({ id, name, regions, reseller_id }))),
    opportunities: byId(opportunities.map(({ id, reseller_id, stage, value_cents, region }) => ({ id, reseller_id, stage, value_cents, region }))),
  };
}

/** The system's deployments with their jobs' statuses, read as master. */
export async function readDeployments(admin: ApiClient): Promise<DeploymentState[]> {
  const [deployments, jobs] = await Promise.all([readAll<Deployment>(admin, '/v1/deployments'), readAll<JobSummary>(admin, '/v1/jobs')]);
  return byId(deployments.map((d) => deploymentOf(d, jobs.find((j) => j.id === d.job_id)!)));
}

export const tenantById = (m: Model, id: string | null) => m.tenants.find((t) => t.id === id);
export const resellerById = (m: Model, id: string | null) => m.resellers.find((r) => r.id === id);

/** A tenant admin, or an instance agent: scoped to one tenant, and as good as that tenant is. */
export const tenantScoped = (p: Pick<Caller, 'role'>) => p.role === 'tenant_admin' || p.role === 'instance';

export function seesTenant(p: Caller, tenant: TenantState): boolean {
  if (p.role === 'master_admin') return true;
  if (tenantScoped(p)) return tenant.id === p.tenantId;
  return tenant.reseller_id !== null && tenant.reseller_id === p.resellerId;
}

export function seesReseller(p: Caller, reseller: ResellerState): boolean {
  if (p.role === 'master_admin') return true;
  return p.role === 'reseller' && reseller.id === p.resellerId;
}

export function seesEvent(p: Caller, event: EventState): boolean {
  if (p.role === 'master_admin') return true;
  if (tenantScoped(p)) return event.tenant_id !== null && event.tenant_id === p.tenantId;
  return event.reseller_id !== null && event.reseller_id === p.resellerId;
}

export const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Why a principal's token is refused before anything else (revoked, cancelled tenant; a suspended tenant's writes), or null. */
export function refusal(m: Model, p: Principal, write: boolean): { status: number; code: string } | null {
  const token = m.tokens.find((t) => t.jti === p.jti);
  if (!token || token.revoked) return { status: 401, code: 'unauthorized' };
  if (tenantScoped(p)) {
    const status = tenantById(m, p.tenantId)?.status;
    if (status === 'cancelled') return { status: 401, code: 'unauthorized' };
    if (status === 'suspended' && write) return { status: 403, code: 'forbidden' };
  }
  return null;
}

/** A tenant as the API shows it, less its timestamps. */
export function tenantView(m: Model, t: TenantState) {
  return { ...t, reseller_slug: resellerById(m, t.reseller_id)?.slug ?? null };
}

export const tenantOf = (row: Tenant): TenantState => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  status: row.status,
  plan: row.plan,
  region: row.region,
  reseller_id: row.reseller_id,
  contact_email: row.contact_email,
  version: row.version,
});

export const resellerOf = (row: Reseller): ResellerState => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  territory: row.territory,
  tier: row.tier,
  tier_source: row.tier_source,
  kind: row.kind,
  quota_cents: row.quota_cents,
  default_commission_bps: row.default_commission_bps,
  lifetime_revenue_cents: row.lifetime_revenue_cents,
});
export const tokenOf = (row: Token): TokenState => ({ jti: row.jti, role: row.role, tenant_id: row.tenant_id, reseller_id: row.reseller_id, revoked: row.revoked_at !== null });
export const eventOf = (row: Pick<AuditEvent, 'action' | 'target_id' | 'tenant_id' | 'reseller_id'>): EventState => ({
  action: row.action,
  target_id: row.target_id,
  tenant_id: row.tenant_id,
  reseller_id: row.reseller_id,
});

/** Appends the event the change must have written; its reseller is the tenant's owner after the change, unless given. */
export function recordEvent(m: Model, action: string, target: string | null, tenantId: string | null, resellerId?: string | null): void {
  m.events.push({ action, target_id: target, tenant_id: tenantId, reseller_id: resellerId ?? tenantById(m, tenantId)?.reseller_id ?? null });
}

/** The ownership facts the scope oracle judges a body by. */
export const ownershipOf = (m: Model): Ownership => ({ tenants: m.tenants, resellers: m.resellers });

/** Tenants by status, plan and reseller, as the caller may count them. */
export function overviewFor(m: Model, p: Caller, statuses: readonly string[], plans: readonly string[]) {
  const visible = m.tenants.filter((t) => seesTenant(p, t));
  const count = (key: keyof TenantState, value: string) => visible.filter((t) => t[key] === value).length;
  const owners = [...new Set(visible.map((t) => t.reseller_id))];
  return {
    tenants: visible.length,
    by_status: statuses.map((key) => ({ key, tenants: count('status', key) })),
    by_plan: plans.map((key) => ({ key, tenants: count('plan', key) })),
    by_reseller: owners.map((id) => {
      const reseller = resellerById(m, id);
      return { reseller_id: id, slug: reseller?.slug ?? null, name: reseller?.name ?? null, tenants: visible.filter((t) => t.reseller_id === id).length };
    }),
  };
}

/**
 * Every tenant's configuration as the database holds it, secrets unmasked: read from the tables as
 * their owner, since reading them back through the API would need a reveal, which the audit trail records.
 */
export async function configsFromDatabase(db: Kysely<Database>, auditKey: AuditKey): Promise<Record<string, ConfigState>> {
  const [entries, versions] = await Promise.all([
    db.selectFrom('configurations').selectAll().orderBy('tenant_id').orderBy('key').execute(),
    db.selectFrom('configuration_versions').selectAll().orderBy('tenant_id').orderBy('version').execute(),
  ]);
  return configsFromRows(auditKey, entries, versions);
}

type ConfigRow = { tenant_id: string; key: string; value: string; secret: unknown; version: unknown };
/** A version's snapshot with every secret opened: one that does not open fails the run. */
function openedSnapshot(auditKey: AuditKey, tenantId: string, snapshot: string): ConfigVersionState['snapshot'] {
  const state = snapshotState(auditKey, tenantId, snapshot);
  for (const [key, entry] of Object.entries(state)) if (entry.value === UNOPENED) throw new Error(`the secret ${key} of tenant ${tenantId} in a snapshot does not open`);
  return Object.fromEntries(Object.entries(state).map(([key, { value, secret }]) => [key, { value, secret }]));
}

type ConfigVersionRow = { tenant_id: string; action: string; restored_from: unknown; changes: string; snapshot: string };

/**
 * Configuration rows (from the tables, or a backup's document) as the model holds them, secrets
 * opened; a secret found unsealed fails the run, as it must never rest in the clear.
 */
function configsFromRows(auditKey: AuditKey, entries: ConfigRow[], versions: ConfigVersionRow[]): Record<string, ConfigState> {
  const configs: Record<string, ConfigState> = {};
  const of = (tenantId: string) => (configs[tenantId] ??= { entries: {}, versions: [] });
  for (const row of versions) {
    of(row.tenant_id).versions.push({
      action: row.action as ConfigVersionState['action'],
      restored_from: row.restored_from === null ? null : Number(row.restored_from),
      changes: JSON.parse(row.changes) as ConfigVersionState['changes'],
      snapshot: openedSnapshot(auditKey, row.tenant_id, row.snapshot),
    });
  }
  for (const row of entries) {
    const secret = Number(row.secret) === 1;
    if (secret && !isSealed(row.value)) throw new Error(`the secret ${row.key} of tenant ${row.tenant_id} rests unsealed`);
    of(row.tenant_id).entries[row.key] = { value: storedValue(auditKey, { ...row, secret: Number(row.secret) }), secret, version: Number(row.version) };
  }
  return configs;
}

/** Every tenant's branding versions as the database holds them (read as the tables' owner). */
export async function brandingFromDatabase(db: Kysely<Database>): Promise<Record<string, BrandingState>> {
  return brandingFromRows(await db.selectFrom('branding_versions').selectAll().orderBy('tenant_id').orderBy('version').execute());
}

type BrandingVersionRow = { tenant_id: string; action: string; restored_from: unknown; changes: string; snapshot: string };

function brandingFromRows(rows: BrandingVersionRow[]): Record<string, BrandingState> {
  const branding: Record<string, BrandingState> = {};
  for (const row of rows) {
    (branding[row.tenant_id] ??= { versions: [] }).versions.push({
      action: row.action as BrandingVersionState['action'],
      restored_from: row.restored_from === null ? null : Number(row.restored_from),
      changes: JSON.parse(row.changes) as string[],
      snapshot: JSON.parse(row.snapshot) as Record<string, string | null>,
    });
  }
  return branding;
}

/** The model of what the system holds now, read back as master (configurations from the tables). */
export async function modelFromSystem(admin: ApiClient, db: Kysely<Database>, auditKey: AuditKey, principals: Principal[], bootstrapJti: string): Promise<Model> {
  const [tenants, resellers, tokens, head, configs, branding, deployments, backupJobs, partners, quotes] = await Promise.all([
    readAll<Tenant>(admin, '/v1/tenants'),
    readAll<Reseller>(admin, '/v1/resellers'),
    readAll<Token>(admin, '/v1/tokens', { include_revoked: 'true' }),
    admin.audit.list({ limit: 1 }),
    configsFromDatabase(db, auditKey),
    brandingFromDatabase(db),
    readDeployments(admin),
    readBackupJobs(admin),
    partnersFromSystem(admin),
    readQuotes(admin),
  ]);
  const tenantUsers = await tenantUsersFromDatabase(db);
  const pipeline = await readPipeline(admin);
  const billing = await readBilling(admin);
  const flags = await readFlags(admin);
  return {
    flags,
    ...pipeline,
    ...billing,
    tickets: await readTickets(admin),
    tenants: byId(tenants.map(tenantOf)),
    resellers: byId(resellers.map(resellerOf)),
    tokens: tokens.map(tokenOf),
    ...(await backupsFromSystem(admin, auditKey, tenants, deployments)),
    deployments,
    backupJobs,
    events: [],
    configs,
    branding,
    baseSeq: head.data[0]?.seq ?? 0,
    principals,
    bootstrapJti,
    cpu: {},
    partners,
    quotes,
    tenantUsers,
    inviteCodes: {},
  };
}

/** Every tenant's backups (with the tenant fields each holds, from its document) and schedules, read as master. */
export async function backupsFromSystem(admin: ApiClient, auditKey: AuditKey, tenants: Tenant[], current: DeploymentState[]): Promise<{ backups: BackupState[]; schedules: ScheduleState[] }> {
  const jobStatus = new Map(current.map((d) => [d.job_id, d.job_status]));
  const backups: BackupState[] = [];
  const schedules: ScheduleState[] = [];
  for (const tenant of tenants) {
    for (const backup of await readAll<Backup>(admin, `/v1/tenants/${tenant.id}/backups`)) {
      const content = await admin.call<BackupContent>('GET', `/v1/backups/${backup.id}/content`);
      const doc = JSON.parse(gunzipSync(Buffer.from(content.content, 'base64')).toString('utf8')) as {
        tables: { tenants: { rows: TenantState[] } } & Partial<Record<'configurations' | 'configuration_versions' | 'branding_versions' | 'deployments' | 'tenant_users', { rows: unknown[] }>>;
      };
      const row = doc.tables.tenants.rows[0]!;
      const configs = configsFromRows(auditKey, (doc.tables.configurations?.rows ?? []) as ConfigRow[], (doc.tables.configuration_versions?.rows ?? []) as ConfigVersionRow[]);
      const deployments = ((doc.tables.deployments?.rows ?? []) as Deployment[]).map((d) => deploymentOf({ ...d, replicas: Number(d.replicas) }, { status: jobStatus.get(d.job_id)! as JobSummary['status'] }));
      const branding = brandingFromRows((doc.tables.branding_versions?.rows ?? []) as BrandingVersionRow[]);
      const users = byId((doc.tables.tenant_users?.rows ?? []) as TenantUserState[]);
      backups.push({ id: backup.id, tenant_id: tenant.id, name: row.name, contact_email: row.contact_email, configs: configs[tenant.id], branding: branding[tenant.id], deployments: byId(deployments), users });
    }
    const res = await admin.raw('GET', `/v1/tenants/${tenant.id}/backup-schedule`);
    if (res.status === 200) {
      const schedule = JSON.parse(res.body) as BackupSchedule;
      schedules.push({ tenant_id: schedule.tenant_id, every_seconds: schedule.every_seconds, keep: schedule.keep });
    }
  }
  return { backups: byId(backups), schedules };
}
