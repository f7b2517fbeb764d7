import type { Kysely } from 'kysely';
import { AppError, conflict, invalid, notFound } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import { isUniqueViolation, writeTransaction } from '../../../db/transaction.js';
import { scopeTo } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { loadPriceBook } from '../pricebook/service.js';
import { scopedSubscriptions } from '../subscriptions/service.js';
import { getTenant, type Tenant } from '../tenants/service.js';
import { sanitiseCss, type StrippedConstruct } from './css.js';
import { BRANDING_FIELDS, type Branding, type BrandingChange, type BrandingField, type BrandingValues, type BrandingVersion, type ChangeBrandingInput } from './schema.js';
import { holdsWhiteLabel, WHITE_LABEL_ADDON, whiteLabelFieldsWritten, type Holding } from './white-label.js';

const SCOPE = { tenant: 'branding_versions.tenant_id' };
const EMPTY: BrandingValues = { company_name: null, primary_color: null, secondary_color: null, logo_url: null, support_email: null, custom_css: null };

type VersionAction = BrandingVersion['action'];

/** Every read of branding rows starts here: the scoping helper, then the tenant. */
function scopedVersions(ctx: ServiceContext, db: Kysely<Database>, tenantId: string) {
  return db.selectFrom('branding_versions').where(scopeTo(ctx.principal, SCOPE)).where('branding_versions.tenant_id', '=', tenantId);
}

interface Current {
  version: number;
  values: BrandingValues;
  updated_at: string | null;
}

async function current(ctx: ServiceContext, db: Kysely<Database>, tenantId: string): Promise<Current> {
  const row = await scopedVersions(ctx, db, tenantId).select(['version', 'snapshot', 'created_at']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!row) return { version: 0, values: EMPTY, updated_at: null };
  return { version: Number(row.version), values: valuesOf(row.snapshot), updated_at: row.created_at };
}

/** A stored snapshot, read back field by field (a field it lacks is null). */
function valuesOf(snapshot: string): BrandingValues {
  const stored = JSON.parse(snapshot) as Partial<Record<BrandingField, unknown>>;
  return Object.fromEntries(BRANDING_FIELDS.map((field) => [field, typeof stored[field] === 'string' ? stored[field] : null])) as BrandingValues;
}

/**
 * The plan and add-ons in force: the tenant's subscription that is not cancelled (trials count),
 * priced on its own price-book version; a tenant with no subscription has its tenant plan, with
 * the newest price book's terms.
 */
async function holding(ctx: ServiceContext, db: Kysely<Database>, tenant: Tenant): Promise<Holding> {
  const subscription = await scopedSubscriptions(ctx, db).where('subscriptions.tenant_id', '=', tenant.id).where('subscriptions.status', '<>', 'cancelled').executeTakeFirst();
  const includedIn = async (version?: string): Promise<string[]> => {
    try {
      const book = await loadPriceBook(db, version);
      return book.addons.find((addon) => addon.code === WHITE_LABEL_ADDON)?.included_in ?? [];
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') return ['enterprise'];
      throw error;
    }
  };
  if (subscription) return { plan: subscription.plan, addons: JSON.parse(subscription.addons) as string[], includedIn: await includedIn(subscription.price_book_version), source: 'subscription' };
  return { plan: tenant.plan, addons: [], includedIn: await includedIn(), source: 'tenant' };
}

function brandingOf(tenant: Tenant, now: Current, whiteLabel: boolean): Branding {
  return { tenant_id: tenant.id, tenant_slug: tenant.slug, version: now.version, white_label: whiteLabel, ...now.values, updated_at: now.updated_at };
}

export async function getBranding(ctx: ServiceContext, ref: string): Promise<Branding> {
  const tenant = await getTenant(ctx, ref);
  const now = await current(ctx, ctx.db, tenant.id);
  return brandingOf(tenant, now, holdsWhiteLabel(await holding(ctx, ctx.db, tenant)));
}

export async function listBrandingVersions(ctx: ServiceContext, ref: string, page: { limit: number; cursor?: string }) {
  const tenant = await getTenant(ctx, ref);
  let query = scopedVersions(ctx, ctx.db, tenant.id)
    .select(['version', 'action', 'restored_from', 'actor', 'created_at', 'changes'])
    .orderBy('version', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) query = query.where('version', '<', versionOfCursor(page.cursor));
  const rows = await query.execute();
  const versions: BrandingVersion[] = rows.map((row) => ({
    version: Number(row.version),
    action: row.action as VersionAction,
    restored_from: row.restored_from === null ? null : Number(row.restored_from),
    actor: row.actor,
    created_at: row.created_at,
    changes: JSON.parse(row.changes) as BrandingField[],
  }));
  return pageFrom(versions, page.limit, (v) => v.version);
}

function versionOfCursor(cursor: string): number {
  const key = decodeCursor(cursor);
  if (!/^[1-9][0-9]{0,9}$/.test(key)) throw invalid('the cursor is not valid');
  return Number(key);
}

/** `branding set`: the given fields written (null clears one) as one new version, or none when they already hold. */
export async function changeBranding(ctx: ServiceContext, ref: string, input: ChangeBrandingInput, ifMatch: string | undefined): Promise<Outcome<BrandingChange>> {
  const given = BRANDING_FIELDS.filter((field) => input[field] !== undefined);
  if (given.length === 0) throw invalid(`nothing to change: give at least one of ${BRANDING_FIELDS.join(', ')}`);
  const expected = expectedVersion(ifMatch);
  let stripped: StrippedConstruct[] = [];
  const written: Partial<BrandingValues> = {};
  for (const field of given) written[field] = input[field] === '' ? null : input[field]!;
  if (typeof written.custom_css === 'string') {
    const clean = sanitiseCss(written.custom_css);
    stripped = clean.stripped;
    written.custom_css = clean.css.trim() === '' ? null : clean.css;
  }
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const before = await current(ctx, trx, tenant.id);
    return commitVersion(ctx, trx, tenant, before, { ...before.values, ...written }, { action: 'set', expected, stripped });
  });
}

/** `branding rollback N`: a new version equal to version N (none when the branding already equals it). */
export async function rollbackBranding(ctx: ServiceContext, ref: string, version: number, ifMatch: string | undefined): Promise<Outcome<BrandingChange>> {
  const expected = expectedVersion(ifMatch);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const tenant = await getTenant(ctx, ref, trx);
    const target = await scopedVersions(ctx, trx, tenant.id).select('snapshot').where('version', '=', version).executeTakeFirst();
    if (!target) throw notFound(`version v${version} of tenant "${tenant.slug}"'s branding was not found`);
    const before = await current(ctx, trx, tenant.id);
    const after = valuesOf(target.snapshot);
    // stored CSS was sanitised when written; sanitising again is a no-op, and a guard against a tampered row
    if (after.custom_css !== null) after.custom_css = sanitiseCss(after.custom_css).css;
    return commitVersion(ctx, trx, tenant, before, after, { action: 'rollback', expected, restoredFrom: version, stripped: [] });
  });
}

/**
 * Writes `after` as the next version with its audit event (field names, never values), in the
 * caller's transaction. A stale expected version is refused before anything is written; so is a
 * white-label field written for a tenant without white-label (403 plan_required).
 */
async function commitVersion(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  tenant: Tenant,
  before: Current,
  after: BrandingValues,
  opts: { action: VersionAction; expected: number | undefined; restoredFrom?: number; stripped: StrippedConstruct[] },
): Promise<Outcome<BrandingChange>> {
  if (opts.expected !== undefined && opts.expected !== before.version) {
    throw conflict(`tenant "${tenant.slug}"'s branding is at v${before.version}, not v${opts.expected}; nothing was changed`, { version: before.version });
  }
  const held = await holding(ctx, trx, tenant);
  const whiteLabel = holdsWhiteLabel(held);
  const changes = BRANDING_FIELDS.filter((field) => after[field] !== before.values[field]);
  const answer = (now: Current, made: BrandingField[]): BrandingChange => ({ ...brandingOf(tenant, now, whiteLabel), changes: made, stripped: opts.stripped });
  if (changes.length === 0) return { value: answer(before, []), changed: false };
  const needed = whiteLabelFieldsWritten(before.values, after);
  if (needed.length && !whiteLabel) throw planRequired(tenant, held, needed);

  const next = before.version + 1;
  const now = ctx.clock.now().toISOString();
  try {
    // of two writers that both read version N (PostgreSQL), the second stops here
    await trx
      .insertInto('branding_versions')
      .values({ tenant_id: tenant.id, version: next, action: opts.action, snapshot: JSON.stringify(Object.fromEntries(BRANDING_FIELDS.map((field) => [field, after[field]]))), changes: JSON.stringify(changes), restored_from: opts.restoredFrom ?? null, actor: ctx.principal.userId, created_at: now })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`tenant "${tenant.slug}"'s branding changed meanwhile (another change wrote v${next}); nothing was changed, try again`);
    throw error;
  }
  await recordAudit(trx, ctx, {
    action: opts.action === 'set' ? 'branding.set' : 'branding.rollback',
    targetType: 'branding',
    targetId: tenant.id,
    tenantId: tenant.id,
    details: { version: next, changes, ...(opts.restoredFrom ? { restored_from: opts.restoredFrom } : {}), ...(opts.stripped.length ? { css_stripped: opts.stripped.map((s) => s.construct) } : {}) },
  });
  return { value: answer({ version: next, values: after, updated_at: now }, changes), changed: true };
}

/** 403 with the code plan_required, naming the fields and what would allow them. */
function planRequired(tenant: Tenant, held: Holding, fields: BrandingField[]): AppError {
  const plans = held.includedIn.length ? ` or the ${held.includedIn.join(' or ')} plan` : '';
  const has = held.source === 'subscription' ? `its subscription is ${held.plan}` : `it has no subscription and its plan is ${held.plan}`;
  return new AppError(
    'forbidden',
    `${fields.join(', ')} ${fields.length > 1 ? 'are' : 'is'} white-label: tenant "${tenant.slug}" needs the ${WHITE_LABEL_ADDON} add-on${plans} (${has}, without the add-on); support_email needs neither; nothing was changed`,
    { code: 'plan_required' },
  );
}

/** If-Match: a version, as `3`, `"3"` or `W/"3"`; `*` (or none) expects nothing. */
function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!match) throw invalid('If-Match must be a branding version, e.g. "3"', { errors: [{ path: 'If-Match', message: 'must be a branding version' }] });
  return Number(match[1]);
}
