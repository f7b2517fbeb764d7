import type { Role } from '../../../src/server/auth/principal.js';
import type { Tenant, Reseller, Token, AuditEvent, Deployment, JobSummary } from '../../../src/client/types.js';
import type { ApiClient } from '../../../src/client/api-client.js';
import { readAll } from '../pages.js';
import type { Caller, Ownership } from '../scope-oracle.js';

/**
 * A small model of the platform: tenants, resellers, tokens, and the audit events written since
 * the sequence began, with the scoping and state rules of DESIGN §3–4 written out again. The
 * isolation test predicts every answer from it and compares the system with it after each step.
 */

export type TenantState = Pick<Tenant, 'id' | 'slug' | 'name' | 'status' | 'plan' | 'region' | 'reseller_id' | 'contact_email' | 'version'>;
export type ResellerState = Pick<Reseller, 'id' | 'slug' | 'name' | 'territory' | 'tier'>;
export interface TokenState {
  jti: string;
  role: Role;
  tenant_id: string | null;
  reseller_id: string | null;
  revoked: boolean;
}
export interface EventState {
  action: string;
  target_id: string | null;
  tenant_id: string | null;
  reseller_id: string | null;
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

/** One of the six callers: master, three tenant admins, two resellers. */
export interface Principal extends Caller {
  name: string;
  jti: string;
}

export interface Model {
  tenants: TenantState[];
  resellers: ResellerState[];
  tokens: TokenState[];
  deployments: DeploymentState[];
  /** events written since the sequence began, oldest first */
  events: EventState[];
  /** the audit chain's head when the sequence began */
  baseSeq: number;
  principals: Principal[];
  /** the harness's own token, which reads the state back and is never revoked */
  bootstrapJti: string;
  /** the last cpu value pushed to each tenant during this run (before it: not known, not checked) */
  cpu: Record<string, number>;
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

export const resellerOf = (row: Reseller): ResellerState => ({ id: row.id, slug: row.slug, name: row.name, territory: row.territory, tier: row.tier });
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

/** The model of what the system holds now, read back as master. */
export async function modelFromSystem(admin: ApiClient, principals: Principal[], bootstrapJti: string): Promise<Model> {
  const [tenants, resellers, tokens, head, deployments] = await Promise.all([
    readAll<Tenant>(admin, '/v1/tenants'),
    readAll<Reseller>(admin, '/v1/resellers'),
    readAll<Token>(admin, '/v1/tokens', { include_revoked: 'true' }),
    admin.audit.list({ limit: 1 }),
    readDeployments(admin),
  ]);
  return {
    tenants: byId(tenants.map(tenantOf)),
    resellers: byId(resellers.map(resellerOf)),
    tokens: tokens.map(tokenOf),
    deployments,
    events: [],
    baseSeq: head.data[0]?.seq ?? 0,
    principals,
    bootstrapJti,
    cpu: {},
  };
}
