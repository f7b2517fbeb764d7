import type { Kysely } from 'kysely';
import { conflict, forbidden, invalid, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import { textSearch } from '../../../db/text-search.js';
import type { DeploymentEventsTable, DeploymentKind, DeploymentRow } from '../../../db/tables/deployments.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import { recordAudit } from '../audit/service.js';
import { ownedPage } from '../jobs/owned-page.js';
import { enqueueJob } from '../jobs/queue.js';
import { getTenant, type Tenant } from '../tenants/service.js';
import { costChange, shapeProblem, type Shape } from './pricing.js';
import type { CreateDeploymentInput, DeploymentListFilter, RollbackInput, ScaleInput } from './schema.js';

export const DEPLOYMENT_SCOPE = { tenant: 'deployments.tenant_id' };

/** Every read of deployments starts here. */
function scopedDeployments(ctx: ServiceContext, db: Kysely<Database>) {
  return db.selectFrom('deployments').selectAll().where(scopeTo(ctx.principal, DEPLOYMENT_SCOPE));
}

/** A page of deployments, each naming its tenant's slug; `q` searches them with the tenant's slug and name. */
export function listDeployments(ctx: ServiceContext, filter: DeploymentListFilter) {
  let named = ctx.db
    .selectFrom('deployments')
    .innerJoin('tenants', 'tenants.id', 'deployments.tenant_id')
    .selectAll('deployments')
    .select('tenants.slug as tenant_slug')
    .where(scopeTo(ctx.principal, DEPLOYMENT_SCOPE));
  if (filter.q) named = named.where(textSearch(['deployments.id', 'deployments.version', 'deployments.region', 'tenants.slug', 'tenants.name'], filter.q));
  // ownedPage orders and filters by the deployment's own columns, unqualified: a derived table keeps them so
  return ownedPage(ctx, ctx.db.selectFrom(named.as('deployments')).selectAll(), filter, (row) => ({ ...toDeployment(row), tenant_slug: row.tenant_slug }));
}

export async function getDeployment(ctx: ServiceContext, id: string, db: Kysely<Database> = ctx.db): Promise<DeploymentRow> {
  const row = await scopedDeployments(ctx, db).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`deployment "${id}" was not found`);
  return toDeployment(row);
}

export async function listDeploymentEvents(ctx: ServiceContext, id: string, after: number) {
  const deployment = await getDeployment(ctx, id);
  const events = await ctx.db
    .selectFrom('deployment_events')
    .select(['deployment_id', 'seq', 'at', 'type', 'status', 'step', 'progress', 'message'])
    .where('deployment_id', '=', id)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(1000)
    .execute();
  return { deployment, events: events.map((e) => ({ ...e, seq: Number(e.seq), progress: e.progress === null ? null : Number(e.progress) })) };
}

export async function createDeployment(ctx: ServiceContext, input: CreateDeploymentInput): Promise<DeploymentRow> {
  if (input.endpoint !== undefined && ctx.principal.role !== 'master_admin') throw forbidden(`only master_admin may give a deployment's endpoint`);
  mustFit(input);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await deployableTenant(ctx, trx, input.tenant);
    const current = await currentDeployment(trx, tenant.id);
    return insertDeployment(ctx, trx, tenant, 'deploy', {
      version: input.version,
      region: input.region ?? tenant.region,
      size: input.size,
      replicas: input.replicas,
      endpoint_url: input.endpoint ?? null,
      replaces: current?.id ?? null,
      rollback_to: null,
    });
  });
}

/** Back to `to`, or to the succeeded deployment before the current one; the current one becomes rolled_back when it succeeds. */
export async function rollbackDeployment(ctx: ServiceContext, input: RollbackInput): Promise<DeploymentRow> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await deployableTenant(ctx, trx, input.tenant);
    const current = await currentDeployment(trx, tenant.id);
    if (!current) throw conflict(`tenant "${tenant.slug}" has no succeeded deployment to roll back`);
    let target: DeploymentRow | undefined;
    if (input.to) {
      target = await scopedDeployments(ctx, trx).where('id', '=', input.to).where('tenant_id', '=', tenant.id).executeTakeFirst();
      if (!target) throw notFound(`deployment "${input.to}" of tenant "${tenant.slug}" was not found`);
      if (target.id === current.id) throw conflict(`deployment ${target.id} is already the current one`);
      if (target.status !== 'succeeded' && target.status !== 'rolled_back') throw conflict(`deployment ${target.id} is ${target.status}; only a deployment that succeeded can be returned to`);
    } else {
      target = await trx
        .selectFrom('deployments')
        .selectAll()
        .where('tenant_id', '=', tenant.id)
        .where('status', 'in', ['succeeded', 'rolled_back'])
        .where('id', '<', current.id)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!target) throw conflict(`tenant "${tenant.slug}" has no earlier succeeded deployment to roll back to`);
    }
    return insertDeployment(ctx, trx, tenant, 'rollback', {
      version: target.version,
      region: target.region,
      size: target.size,
      replicas: Number(target.replicas),
      endpoint_url: target.endpoint_url,
      replaces: current.id,
      rollback_to: target.id,
    });
  });
}

/** The cost before and after; unless a dry run, the scaling deployment (the current version, the new shape). */
export async function scaleTenant(ctx: ServiceContext, ref: string, input: ScaleInput) {
  const work = async (trx: Kysely<Database>) => {
    const tenant = await deployableTenant(ctx, trx, ref);
    const current = await currentDeployment(trx, tenant.id);
    if (!current) throw conflict(`tenant "${tenant.slug}" has no succeeded deployment to scale; create one first (dotmac deployments create)`);
    const before: Shape = { size: current.size, replicas: Number(current.replicas) };
    const after: Shape = { size: input.size ?? current.size, replicas: input.replicas };
    mustFit(after);
    const cost = costChange(before, after);
    const plan = {
      tenant_id: tenant.id,
      currency: 'USD' as const,
      current: { ...before, monthly_cents: cost.before_cents },
      proposed: { ...after, monthly_cents: cost.after_cents },
      difference_cents: cost.difference_cents,
      more_than_doubles: cost.more_than_doubles,
    };
    if (input.dry_run) return { ...plan, deployment: null };
    if (before.size === after.size && before.replicas === after.replicas) throw conflict(`tenant "${tenant.slug}" already runs ${after.replicas} × ${after.size}; nothing to scale`);
    const deployment = await insertDeployment(ctx, trx, tenant, 'scale', {
      version: current.version,
      region: current.region,
      ...after,
      endpoint_url: current.endpoint_url,
      replaces: current.id,
      rollback_to: null,
    });
    return { ...plan, deployment };
  };
  return input.dry_run ? work(ctx.db) : writeTransaction(ctx.db, ctx.dialect, work);
}

function mustFit(shape: Shape): void {
  const problem = shapeProblem(shape);
  if (problem) throw invalid(problem, { errors: [{ path: 'replicas', message: problem }] });
}

async function deployableTenant(ctx: ServiceContext, trx: Kysely<Database>, ref: string): Promise<Tenant> {
  const tenant = await getTenant(ctx, ref, trx);
  if (tenant.status === 'cancelled' || tenant.status === 'suspended') throw conflict(`tenant "${tenant.slug}" is ${tenant.status} and cannot be deployed`);
  const active = await deploymentInProgress(trx, tenant.id);
  if (active) throw conflict(`tenant "${tenant.slug}" already has deployment ${active.id} ${active.status}; wait for it (dotmac deployments watch ${active.id}) or cancel its job`);
  return tenant;
}

/** The tenant's deployment that is queued or running, if any (at most one: an index holds it). */
export async function deploymentInProgress(db: Kysely<Database>, tenantId: string): Promise<{ id: string; status: string } | undefined> {
  return db.selectFrom('deployments').select(['id', 'status']).where('tenant_id', '=', tenantId).where('status', 'in', ['queued', 'running']).executeTakeFirst();
}

/** The tenant's latest deployment that succeeded and was not rolled back. */
export async function currentDeployment(db: Kysely<Database>, tenantId: string): Promise<DeploymentRow | undefined> {
  const row = await db.selectFrom('deployments').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'succeeded').orderBy('finished_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row ? toDeployment(row) : undefined;
}

type Spec = Pick<DeploymentRow, 'version' | 'region' | 'size' | 'replicas' | 'endpoint_url' | 'replaces' | 'rollback_to'>;

async function insertDeployment(ctx: ServiceContext, trx: Kysely<Database>, tenant: Tenant, kind: DeploymentKind, spec: Spec): Promise<DeploymentRow> {
  const now = ctx.clock.now().toISOString();
  const id = newId('deployment');
  const job = await enqueueJob(trx, ctx, { tenantId: tenant.id, kind: 'deployment', payload: { deployment_id: id } });
  const row: DeploymentRow = {
    id,
    tenant_id: tenant.id,
    job_id: job.id,
    kind,
    ...spec,
    status: 'queued',
    failure_reason: null,
    created_by: ctx.principal.userId,
    created_at: now,
    updated_at: now,
    started_at: null,
    finished_at: null,
  };
  await trx.insertInto('deployments').values(row).execute();
  await appendEvent(trx, ctx, row, { type: 'status', status: 'queued' });
  await recordAudit(trx, ctx, {
    action: kind === 'rollback' ? 'deployment.rollback' : 'deployment.create',
    targetType: 'deployment',
    targetId: id,
    tenantId: tenant.id,
    details: { kind, version: spec.version, region: spec.region, size: spec.size, replicas: spec.replicas, rollback_to: spec.rollback_to, job_id: job.id },
  });
  return row;
}

type NewEvent = Partial<Pick<DeploymentEventsTable, 'status' | 'step' | 'progress' | 'message'>> & Pick<DeploymentEventsTable, 'type'>;

/** The next event of a deployment, numbered after the last (its writers hold the job's row, so one at a time). */
export async function appendEvent(trx: Kysely<Database>, ctx: Pick<ServiceContext, 'clock'>, deployment: Pick<DeploymentRow, 'id' | 'tenant_id'>, event: NewEvent): Promise<void> {
  const last = await trx.selectFrom('deployment_events').select((eb) => eb.fn.max('seq').as('seq')).where('deployment_id', '=', deployment.id).executeTakeFirst();
  await trx
    .insertInto('deployment_events')
    .values({
      deployment_id: deployment.id,
      tenant_id: deployment.tenant_id,
      seq: Number(last?.seq ?? 0) + 1,
      at: ctx.clock.now().toISOString(),
      type: event.type,
      status: event.status ?? null,
      step: event.step ?? null,
      progress: event.progress ?? null,
      message: event.message ?? null,
    })
    .execute();
}

export function toDeployment(row: DeploymentRow): DeploymentRow {
  return { ...row, replicas: Number(row.replicas) };
}
