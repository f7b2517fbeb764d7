import type { Kysely } from 'kysely';
import { conflict, forbidden, invalid, notFound } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import type { ConfigurationRow } from '../../../db/tables/configurations.js';
import { isUniqueViolation, writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import type { AuditAction } from '../audit/actions.js';
import { recordAudit } from '../audit/service.js';
import { getTenant, type Tenant } from '../tenants/service.js';
import { categoryOf, checkKeyName, checkValue, isPlatformKey } from './keys.js';
import { applied, deltas, withChanges, type ConfigState } from './plan.js';
import { snapshotColumn, snapshotState, storedEntry, storedValue, UNOPENED, unopenable, valueColumn } from './sealing.js';
import { MASK, type ApplyConfigsInput, type ChangeConfigsInput, type ConfigChange, type ConfigDelta, type ConfigEntry, type ConfigPlan, type Configuration, type ConfigVersion } from './schema.js';

const SCOPE = { tenant: 'configurations.tenant_id' };
const VERSION_SCOPE = { tenant: 'configuration_versions.tenant_id' };

type VersionAction = ConfigVersion['action'];

/** Every read of configuration rows starts here: the scoping helper, then the tenant. */
function scopedEntries(ctx: ServiceContext, db: Kysely<Database>, tenantId: string) {
  return db.selectFrom('configurations').selectAll().where(scopeTo(ctx.principal, SCOPE)).where('configurations.tenant_id', '=', tenantId);
}

async function currentVersion(ctx: ServiceContext, db: Kysely<Database>, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('configuration_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where(scopeTo(ctx.principal, VERSION_SCOPE))
    .where('configuration_versions.tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** The configuration the rows hold, secrets opened (sealing.ts): what a change is worked out from. */
function stateOf(ctx: ServiceContext, rows: ConfigurationRow[]): ConfigState {
  return Object.fromEntries(rows.map((row) => [row.key, storedEntry(ctx.auditKey, row)]));
}

/** A row as an answer shows it: a secret is opened only to be revealed. */
function entryOf(ctx: ServiceContext, row: ConfigurationRow, reveal: boolean): ConfigEntry {
  const secret = Number(row.secret) === 1;
  const masked = secret && !reveal;
  return { key: row.key, category: row.category, value: masked ? MASK : storedValue(ctx.auditKey, row), secret, masked, version: Number(row.version), updated_at: row.updated_at };
}

/** Secrets are shown to master_admin and the tenant's own admin only (the tenant was already found in scope). */
function mayReveal(ctx: ServiceContext): void {
  if (ctx.principal.role === 'reseller') throw forbidden('the reseller role may not reveal configuration secrets (master_admin or the tenant\'s own tenant_admin only)');
}

export async function listConfigs(ctx: ServiceContext, ref: string, filter: { category?: string; reveal?: 'true' | 'false' }): Promise<Configuration> {
  const reveal = filter.reveal === 'true';
  const read = async (db: Kysely<Database>) => {
    const tenant = await getTenant(ctx, ref, db);
    if (reveal) mayReveal(ctx);
    let query = scopedEntries(ctx, db, tenant.id).orderBy('configurations.key');
    if (filter.category) query = query.where('configurations.category', '=', filter.category as ConfigurationRow['category']);
    const rows = await query.execute();
    if (reveal) await auditReveal(ctx, db, tenant, rows);
    return { tenant_id: tenant.id, tenant_slug: tenant.slug, version: await currentVersion(ctx, db, tenant.id), entries: rows.map((row) => entryOf(ctx, row, reveal)) };
  };
  return reveal ? writeTransaction(ctx.db, ctx.dialect, read) : read(ctx.db);
}

export async function getConfig(ctx: ServiceContext, ref: string, key: string, reveal: boolean): Promise<ConfigEntry> {
  const read = async (db: Kysely<Database>) => {
    const tenant = await getTenant(ctx, ref, db);
    if (reveal) mayReveal(ctx);
    const row = await scopedEntries(ctx, db, tenant.id).where('configurations.key', '=', key).executeTakeFirst();
    if (!row) throw notFound(`${describeKey(key)} is not set for tenant "${tenant.slug}"`);
    if (reveal) await auditReveal(ctx, db, tenant, [row]);
    return entryOf(ctx, row, reveal);
  };
  return reveal ? writeTransaction(ctx.db, ctx.dialect, read) : read(ctx.db);
}

/** A reveal that shows a secret is itself an audit event, naming the keys (never the values). */
async function auditReveal(ctx: ServiceContext, db: Kysely<Database>, tenant: Tenant, rows: ConfigurationRow[]): Promise<void> {
  const keys = rows.filter((row) => Number(row.secret) === 1).map((row) => row.key);
  if (keys.length === 0) return;
  await recordAudit(db, ctx, { action: 'config.reveal', targetType: 'configuration', targetId: tenant.id, tenantId: tenant.id, details: { keys } });
}

export async function listConfigVersions(ctx: ServiceContext, ref: string, page: { limit: number; cursor?: string }) {
  const tenant = await getTenant(ctx, ref);
  let query = ctx.db
    .selectFrom('configuration_versions')
    .select(['version', 'action', 'restored_from', 'actor', 'created_at', 'changes'])
    .where(scopeTo(ctx.principal, VERSION_SCOPE))
    .where('configuration_versions.tenant_id', '=', tenant.id)
    .orderBy('version', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) query = query.where('version', '<', versionOfCursor(page.cursor));
  const rows = await query.execute();
  const versions: ConfigVersion[] = rows.map((row) => ({
    version: Number(row.version),
    action: row.action as VersionAction,
    restored_from: row.restored_from === null ? null : Number(row.restored_from),
    actor: row.actor,
    created_at: row.created_at,
    changes: JSON.parse(row.changes) as ConfigVersion['changes'],
  }));
  return pageFrom(versions, page.limit, (v) => v.version);
}

function versionOfCursor(cursor: string): number {
  const key = decodeCursor(cursor);
  if (!/^[1-9][0-9]{0,9}$/.test(key)) throw invalid('the cursor is not valid');
  return Number(key);
}

/** `configs set` / `configs unset`: one version, or none when every value already holds. */
export async function changeConfigs(ctx: ServiceContext, ref: string, input: ChangeConfigsInput, ifMatch: string | undefined): Promise<Outcome<ConfigChange>> {
  const values = input.values ?? {};
  const unset = input.unset ?? [];
  if (Object.keys(values).length === 0 && unset.length === 0) throw invalid('nothing to change: give values to set or keys to unset');
  checkCount(Object.keys(values).length + unset.length);
  const expected = expectedVersion(ifMatch);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    checkValues(values, input.secret);
    checkNames(unset);
    const masks = Object.keys(values).filter((key) => values[key] === MASK);
    if (masks.length) throw invalid(`${masks.join(', ')}: "${MASK}" is the mask of a secret, not a value; give the real value`);
    const both = unset.filter((key) => Object.hasOwn(values, key));
    if (both.length) throw invalid(`${both.join(', ')} cannot be both set and unset`);
    const before = stateOf(ctx, await scopedEntries(ctx, trx, tenant.id).execute());
    return commitVersion(ctx, trx, tenant, before, withChanges(before, input), { action: 'set', expected });
  });
}

/** `configs apply` and `configs import`: the file as one version, or none when it already holds. */
export async function applyConfigs(ctx: ServiceContext, ref: string, input: ApplyConfigsInput, ifMatch: string | undefined): Promise<Outcome<ConfigChange>> {
  const expected = expectedVersion(ifMatch);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const before = stateOf(ctx, await scopedEntries(ctx, trx, tenant.id).execute());
    const file = { ...input, values: keepMasked(input.values, before, tenant.id) };
    checkValues(file.values, input.secret);
    return commitVersion(ctx, trx, tenant, before, applied(before, file), { action: 'apply', expected });
  });
}

/**
 * `configs diff` and `apply --dry-run`: what apply would change, written nowhere. A writer is
 * refused what apply would refuse it (a platform-owned key); a reseller's diff is a read, as it may
 * apply nothing at all.
 */
export async function planConfigs(ctx: ServiceContext, ref: string, input: ApplyConfigsInput): Promise<ConfigPlan> {
  const tenant = await getTenant(ctx, ref);
  const before = stateOf(ctx, await scopedEntries(ctx, ctx.db, tenant.id).execute());
  const file = { ...input, values: keepMasked(input.values, before, tenant.id) };
  checkValues(file.values, input.secret);
  const changes = deltas(before, applied(before, file));
  if (ctx.principal.role !== 'reseller') checkPlatformOwned(ctx, changes);
  return { tenant_id: tenant.id, tenant_slug: tenant.slug, version: await currentVersion(ctx, ctx.db, tenant.id), in_sync: changes.length === 0, changes };
}

/** `configs rollback N`: a new version equal to version N (none when the configuration already equals it). */
export async function rollbackConfigs(ctx: ServiceContext, ref: string, version: number, ifMatch: string | undefined): Promise<Outcome<ConfigChange>> {
  const expected = expectedVersion(ifMatch);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const target = await trx
      .selectFrom('configuration_versions')
      .select('snapshot')
      .where(scopeTo(ctx.principal, VERSION_SCOPE))
      .where('configuration_versions.tenant_id', '=', tenant.id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!target) throw notFound(`version v${version} of tenant "${tenant.slug}"'s configuration was not found`);
    const before = stateOf(ctx, await scopedEntries(ctx, trx, tenant.id).execute());
    return commitVersion(ctx, trx, tenant, before, snapshotState(ctx.auditKey, tenant.id, target.snapshot), { action: 'rollback', expected, restoredFrom: version });
  });
}

const AUDIT: Record<VersionAction, AuditAction> = { set: 'config.set', apply: 'config.apply', rollback: 'config.rollback' };

/**
 * Writes `after` as the next version: the rows that changed, the version with the whole
 * configuration, and the audit event (keys only, never values), in the caller's transaction. A
 * stale expected version is refused before anything is written; so is a platform-owned key
 * changed by anyone but master_admin (checkPlatformOwned, which diff runs too).
 */
async function commitVersion(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  tenant: Tenant,
  before: ConfigState,
  after: ConfigState,
  opts: { action: VersionAction; expected: number | undefined; restoredFrom?: number },
): Promise<Outcome<ConfigChange>> {
  const version = await currentVersion(ctx, trx, tenant.id);
  if (opts.expected !== undefined && opts.expected !== version) {
    throw conflict(`tenant "${tenant.slug}"'s configuration is at v${version}, not v${opts.expected}; nothing was changed`, { version });
  }
  const changes = deltas(before, after);
  checkPlatformOwned(ctx, changes);
  const answer = (v: number, rows: ConfigurationRow[], made: ConfigDelta[]): ConfigChange => ({
    tenant_id: tenant.id,
    tenant_slug: tenant.slug,
    version: v,
    changes: made,
    entries: rows.map((row) => entryOf(ctx, row, false)),
  });
  if (changes.length === 0) return { value: answer(version, await scopedEntries(ctx, trx, tenant.id).orderBy('key').execute(), []), changed: false };

  const next = version + 1;
  const now = ctx.clock.now().toISOString();
  const summary = changes.map(({ key, change, secret }) => ({ key, change, secret }));
  try {
    // first, so that of two writers that both read version N (PostgreSQL) the second stops here
    await trx
      .insertInto('configuration_versions')
      .values({ tenant_id: tenant.id, version: next, action: opts.action, snapshot: snapshotColumn(ctx.auditKey, tenant.id, after), changes: JSON.stringify(summary), restored_from: opts.restoredFrom ?? null, actor: ctx.principal.userId, created_at: now })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`tenant "${tenant.slug}"'s configuration changed meanwhile (another change wrote v${next}); nothing was changed, try again`);
    throw error;
  }
  const touched = changes.map((delta) => delta.key);
  await trx.deleteFrom('configurations').where('tenant_id', '=', tenant.id).where('key', 'in', touched).execute();
  const rows = changes
    .filter((delta) => delta.change !== 'removed')
    .map((delta) => {
      const entry = after[delta.key]!;
      return { tenant_id: tenant.id, key: delta.key, category: categoryOf(delta.key), value: valueColumn(ctx.auditKey, tenant.id, delta.key, entry), secret: entry.secret ? 1 : 0, version: next, updated_at: now };
    });
  if (rows.length) await trx.insertInto('configurations').values(rows).execute();
  await recordAudit(trx, ctx, {
    action: AUDIT[opts.action],
    targetType: 'configuration',
    targetId: tenant.id,
    tenantId: tenant.id,
    details: { version: next, ...(opts.restoredFrom ? { restored_from: opts.restoredFrom } : {}), changes: summary },
  });
  return { value: answer(next, await scopedEntries(ctx, trx, tenant.id).orderBy('key').execute(), changes), changed: true };
}

/** A platform-owned key is changed (added, changed or removed) by master_admin only. */
function checkPlatformOwned(ctx: ServiceContext, changes: ConfigDelta[]): void {
  const owned = changes.filter((delta) => isPlatformKey(delta.key)).map((delta) => delta.key);
  if (owned.length && ctx.principal.role !== 'master_admin') {
    throw forbidden(`${owned.join(', ')} ${owned.length > 1 ? 'are' : 'is'} platform-owned: only master_admin may change ${owned.length > 1 ? 'them' : 'it'}; nothing was changed`);
  }
}

/** If-Match: a version, as `7`, `"7"` or `W/"7"`; `*` (or none) expects nothing. */
function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!match) throw invalid('If-Match must be a configuration version, e.g. "7"', { errors: [{ path: 'If-Match', message: 'must be a configuration version' }] });
  return Number(match[1]);
}

function checkNames(keys: readonly string[]): void {
  const problems = keys.flatMap((key) => {
    const problem = checkKeyName(key);
    return problem ? [{ path: key, message: problem.message }] : [];
  });
  if (problems.length) throw invalid(problems.map((p) => p.message).join('; '), { errors: problems });
}

/**
 * In a file, a secret's mask (as `configs export` writes it) keeps the secret's current value, so an
 * exported file applies back unchanged; the mask for a key that holds no secret is refused.
 */
function keepMasked(values: Record<string, unknown>, current: ConfigState, tenantId: string): Record<string, unknown> {
  const kept = { ...values };
  const orphans: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value !== MASK) continue;
    // the mask keeps a value that does not open: say so, rather than keep what cannot be read
    if (current[key]?.value === UNOPENED) throw unopenable(tenantId, key);
    if (current[key]?.secret) kept[key] = current[key].value;
    else orphans.push(key);
  }
  if (orphans.length) throw invalid(`${orphans.join(', ')}: "${MASK}" is the mask of a secret, and ${orphans.length > 1 ? 'these keys hold' : 'this key holds'} no secret to keep; give the real value`);
  return kept;
}

/** A tenant's configuration is tens of keys; a request naming more than this is a mistake. */
const MAX_KEYS = 500;

function checkCount(count: number): void {
  if (count > MAX_KEYS) throw invalid(`a change may name at most ${MAX_KEYS} keys (this one names ${count})`);
}

function checkValues(values: Record<string, unknown>, secret: readonly string[] = []): void {
  checkCount(Object.keys(values).length + secret.length);
  const problems: { path: string; message: string }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const problem = checkKeyName(key) ?? checkValue(key, value);
    if (problem) problems.push({ path: key, message: problem.message });
  }
  for (const key of secret) if (!Object.hasOwn(values, key)) problems.push({ path: key, message: `secret names ${describeKey(key)}, which is given no value` });
  if (problems.length) throw invalid(problems.map((p) => p.message).join('; '), { errors: problems });
}

function describeKey(key: string): string {
  return JSON.stringify(key.slice(0, 100));
}
