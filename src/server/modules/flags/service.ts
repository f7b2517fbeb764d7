import type { Kysely } from 'kysely';
import { conflict, invalid, notFound } from '../../../core/errors.js';
import { hasPrefix, newId } from '../../../core/ids.js';
import type { Database } from '../../../db/database.js';
import type { FeatureFlagRow } from '../../../db/tables/feature-flags.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import type { AuditAction } from '../audit/actions.js';
import { recordAudit } from '../audit/service.js';
import { getTenant } from '../tenants/service.js';
import { BUCKETS, bpsToRollout, countOn, flagOn, rolloutToBps, type FlagRule } from './bucket.js';
import type { CreateFlagInput, FeatureFlag, FlagEvaluation, SetFlagInput } from './schema.js';

// Feature flags are the platform's: only master_admin reaches these (the routes say so), except
// evaluateFlags, which answers one tenant's flags to that tenant's own admin or instance agent.

const ids = (json: string) => JSON.parse(json) as string[];

function ruleOf(row: FeatureFlagRow): FlagRule {
  return { key: row.key, rolloutBps: Number(row.rollout_bps), tenants: new Set(ids(row.tenant_ids)), except: new Set(ids(row.except_ids)) };
}

/** The tenants the count covers: every one that is not cancelled (a cancelled tenant runs nothing). */
async function liveTenantIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('tenants').select('id').where('status', '!=', 'cancelled').execute()).map((t) => t.id);
}

/** Slugs of the tenants the flags name, in one query. */
async function slugsOf(db: Kysely<Database>, rows: FeatureFlagRow[]): Promise<Map<string, string>> {
  const wanted = [...new Set(rows.flatMap((r) => [...ids(r.tenant_ids), ...ids(r.except_ids)]))];
  if (wanted.length === 0) return new Map();
  const found = await db.selectFrom('tenants').select(['id', 'slug']).where('id', 'in', wanted).execute();
  return new Map(found.map((t) => [t.id, t.slug]));
}

function stateOf(row: FeatureFlagRow): FeatureFlag['state'] {
  const bps = Number(row.rollout_bps);
  if (bps >= BUCKETS && ids(row.except_ids).length === 0) return 'on';
  if (bps <= 0 && ids(row.tenant_ids).length === 0) return 'off';
  return 'partial';
}

function toFlag(row: FeatureFlagRow, slugs: Map<string, string>, live: readonly string[]): FeatureFlag {
  const named = (list: string) => ids(list).map((id) => ({ id, slug: slugs.get(id) ?? id }));
  return {
    id: row.id,
    key: row.key,
    description: row.description,
    state: stateOf(row),
    rollout: bpsToRollout(Number(row.rollout_bps)),
    tenants: named(row.tenant_ids),
    except: named(row.except_ids),
    enabled_tenants: countOn(ruleOf(row), live),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

async function present(db: Kysely<Database>, rows: FeatureFlagRow[]): Promise<FeatureFlag[]> {
  const [slugs, live] = await Promise.all([slugsOf(db, rows), liveTenantIds(db)]);
  return rows.map((row) => toFlag(row, slugs, live));
}

export async function listFlags(ctx: ServiceContext): Promise<{ data: FeatureFlag[] }> {
  const rows = await ctx.db.selectFrom('feature_flags').selectAll().orderBy('key').execute();
  return { data: await present(ctx.db, rows) };
}

async function findFlag(db: Kysely<Database>, key: string): Promise<FeatureFlagRow> {
  const row = await db.selectFrom('feature_flags').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound(`flag "${key}" was not found`);
  return row;
}

export async function getFlag(ctx: ServiceContext, key: string): Promise<FeatureFlag> {
  const [flag] = await present(ctx.db, [await findFlag(ctx.db, key)]);
  return flag!;
}

export async function createFlag(ctx: ServiceContext, input: CreateFlagInput): Promise<FeatureFlag> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const taken = await trx.selectFrom('feature_flags').select('id').where('key', '=', input.key).executeTakeFirst();
    if (taken) throw conflict(`a flag "${input.key}" already exists; change it with \`flags set\`, or choose another key`);
    const now = ctx.clock.now().toISOString();
    const row: FeatureFlagRow = { id: newId('flag'), key: input.key, description: input.description ?? null, rollout_bps: 0, tenant_ids: '[]', except_ids: '[]', created_at: now, updated_at: now };
    await trx.insertInto('feature_flags').values(row).execute();
    await recordAudit(trx, ctx, { action: 'flag.create', targetType: 'flag', targetId: row.id, tenantId: null, resellerId: null, details: { key: row.key } });
    return (await present(trx, [row]))[0]!;
  });
}

/**
 * The tenants a list names (slugs or ids, in any mix), as sorted ids; an unknown one is 404.
 * Unscoped: only master_admin changes flags, and it sees every tenant.
 */
async function resolveTenants(db: Kysely<Database>, refs: readonly string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const wanted = [...new Set(refs)];
  const rows = await db
    .selectFrom('tenants')
    .select(['id', 'slug'])
    .where((eb) => eb.or([eb('id', 'in', wanted), eb('slug', 'in', wanted)]))
    .execute();
  const out = new Set<string>();
  for (const ref of wanted) {
    const hit = rows.find((t) => (hasPrefix(ref, 'tenant') ? t.id === ref : t.slug === ref));
    if (!hit) throw notFound(`tenant "${ref}" was not found`);
    out.add(hit.id);
  }
  return [...out].sort();
}

interface FlagChange {
  rolloutBps?: number;
  tenants?: string[];
  except?: string[];
}

/** Writes the change (unless the flag already is so) and its audit event, in one transaction. */
async function changeFlag(ctx: ServiceContext, key: string, action: AuditAction, decide: (trx: Kysely<Database>) => Promise<FlagChange>): Promise<Outcome<FeatureFlag>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findFlag(trx, key);
    const change = await decide(trx);
    const next = {
      rollout_bps: change.rolloutBps ?? Number(row.rollout_bps),
      tenant_ids: change.tenants ? JSON.stringify(change.tenants) : row.tenant_ids,
      except_ids: change.except ? JSON.stringify(change.except) : row.except_ids,
    };
    const same = next.rollout_bps === Number(row.rollout_bps) && next.tenant_ids === row.tenant_ids && next.except_ids === row.except_ids;
    if (same) return { value: (await present(trx, [row]))[0]!, changed: false };
    const updated = { ...row, ...next, updated_at: ctx.clock.now().toISOString() };
    await trx.updateTable('feature_flags').set({ ...next, updated_at: updated.updated_at }).where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, {
      action,
      targetType: 'flag',
      targetId: row.id,
      tenantId: null,
      resellerId: null,
      details: {
        key: row.key,
        from: { rollout: bpsToRollout(Number(row.rollout_bps)), tenants: ids(row.tenant_ids), except: ids(row.except_ids) },
        to: { rollout: bpsToRollout(next.rollout_bps), tenants: ids(next.tenant_ids), except: ids(next.except_ids) },
      },
    });
    return { value: (await present(trx, [updated]))[0]!, changed: true };
  });
}

/** On for every tenant: rollout 100 %, and the tenant lists cleared (an `except` left behind would keep tenants off). */
export function enableFlag(ctx: ServiceContext, key: string): Promise<Outcome<FeatureFlag>> {
  return changeFlag(ctx, key, 'flag.enable', async () => ({ rolloutBps: BUCKETS, tenants: [], except: [] }));
}

/** Off for every tenant: rollout 0 %, and the tenant lists cleared (a `tenants` left behind would keep tenants on). */
export function disableFlag(ctx: ServiceContext, key: string): Promise<Outcome<FeatureFlag>> {
  return changeFlag(ctx, key, 'flag.disable', async () => ({ rolloutBps: 0, tenants: [], except: [] }));
}

/** Changes what is named (rollout, tenants, except) and keeps the rest. */
export function setFlag(ctx: ServiceContext, key: string, input: SetFlagInput): Promise<Outcome<FeatureFlag>> {
  return changeFlag(ctx, key, 'flag.set', async (trx) => {
    const rolloutBps = input.rollout === undefined ? undefined : rolloutToBps(input.rollout);
    if (rolloutBps === null) throw invalid('a rollout is a percentage from 0 to 100 with at most 2 decimals', { errors: [{ path: 'rollout', message: 'a percentage from 0 to 100 with at most 2 decimals' }] });
    return {
      rolloutBps,
      tenants: input.tenants === undefined ? undefined : await resolveTenants(trx, input.tenants),
      except: input.except === undefined ? undefined : await resolveTenants(trx, input.except),
    };
  });
}

export async function deleteFlag(ctx: ServiceContext, key: string): Promise<FeatureFlag> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const row = await findFlag(trx, key);
    const [flag] = await present(trx, [row]);
    await trx.deleteFrom('feature_flags').where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, {
      action: 'flag.delete',
      targetType: 'flag',
      targetId: row.id,
      tenantId: null,
      resellerId: null,
      details: { key: row.key, rollout: flag!.rollout, tenants: ids(row.tenant_ids), except: ids(row.except_ids) },
    });
    return flag!;
  });
}

/**
 * Every flag, on or off, for one tenant: an instance agent's or tenant admin's own (a `tenant`
 * naming another is 404, as any read outside the scope), or the one master_admin names.
 */
export async function evaluateFlags(ctx: ServiceContext, tenantRef: string | undefined): Promise<FlagEvaluation> {
  const { principal } = ctx;
  let tenantId: string;
  if (tenantRef !== undefined) tenantId = (await getTenant(ctx, tenantRef)).id;
  else if (principal.tenantId) tenantId = principal.tenantId;
  else throw invalid(`a ${principal.role} token must name the tenant: ?tenant=SLUG|ID`, { errors: [{ path: 'tenant', message: 'required for this role' }] });
  const rows = await ctx.db.selectFrom('feature_flags').selectAll().orderBy('key').execute();
  const flags: Record<string, boolean> = {};
  for (const row of rows) Object.defineProperty(flags, row.key, { value: flagOn(ruleOf(row), tenantId), enumerable: true, configurable: true, writable: true });
  return { tenant_id: tenantId, flags };
}
