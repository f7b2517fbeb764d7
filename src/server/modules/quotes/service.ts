// Quotes (COMMERCE.md § Quotes): made, priced once from their price-book version, moved through
// their states by the pure table in status.ts, and accepted into onboarding in one transaction.
import type { Kysely } from 'kysely';
import { conflict, forbidden, invalid, notFound } from '../../../core/errors.js';
import { encodeRandom, hasPrefix, newId } from '../../../core/ids.js';
import { textSearch } from '../../../db/text-search.js';
import type { Database } from '../../../db/database.js';
import type { QuoteRow, QuoteStatus } from '../../../db/tables/quotes.js';
import type { TenantPlan } from '../../../db/tables/tenants.js';
import { writeTransaction } from '../../../db/transaction.js';
import { scopeToReseller } from '../../auth/scope.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { decodeCursor, pageFrom } from '../../pagination.js';
import type { AuditAction } from '../audit/actions.js';
import { recordAudit } from '../audit/service.js';
import { onboard, type OnboardingResult } from '../onboarding/service.js';
import { loadPriceBook } from '../pricebook/service.js';
import { priceSubscription, storedTerms, type Pricing, type TermsCore } from '../pricebook/pricing.js';
import { findReseller } from '../resellers/service.js';
import { requireTerritory } from '../territories/service.js';
import { getTenant } from '../tenants/service.js';
import { randomBytes } from 'node:crypto';
import { discountAuthority, isPastValidity, requiredAuthority, validUntil } from './rules.js';
import { checkDay, dayOf, daysBetween } from '../../../core/calendar.js';
import type { AcceptQuoteInput, CreateQuoteInput, PreviewQuoteInput, QuoteListFilter, QuoteView, UpdateQuoteInput } from './schema.js';
import { nextQuoteStatus, type QuoteTransition } from './status.js';

type QuoteRecord = QuoteRow & { reseller_slug: string | null; customer_tenant_slug: string | null };

/** Every read of quotes starts here: scopeToReseller (a quote out of scope does not exist), with slugs to show. */
function scopedQuotes(ctx: ServiceContext, db: Kysely<Database>) {
  return db
    .selectFrom('quotes')
    .leftJoin('resellers', 'resellers.id', 'quotes.reseller_id')
    .leftJoin('tenants', 'tenants.id', 'quotes.customer_tenant_id')
    .selectAll('quotes')
    .select(['resellers.slug as reseller_slug', 'tenants.slug as customer_tenant_slug'])
    .where(scopeToReseller(ctx.principal, 'quotes.reseller_id'));
}

/**
 * A quote with a reseller of record (its own, or the one staff named or the tenant belongs to) is
 * limited to that reseller's territories, as opportunities are: 403 `outside_territory` otherwise.
 * Staff quotes without a reseller are not limited.
 */
export async function checkRegion(trx: Kysely<Database>, _ctx: ServiceContext, resellerId: string | null, region: string): Promise<void> {
  if (resellerId === null) return;
  await requireTerritory(trx, resellerId, region);
}

/**
 * A quote's opportunity must be one its reseller owns (404 otherwise, as any row out of scope) and
 * in the quote's region.
 */
async function checkOpportunity(trx: Kysely<Database>, ctx: ServiceContext, resellerId: string | null, region: string, opportunityId: string): Promise<void> {
  const row = await trx
    .selectFrom('opportunities')
    .select(['id', 'reseller_id', 'region'])
    .where('id', '=', opportunityId)
    .where(scopeToReseller(ctx.principal, 'opportunities.reseller_id'))
    .executeTakeFirst();
  if (!row || resellerId === null || row.reseller_id !== resellerId) throw notFound(`opportunity "${opportunityId}" was not found`);
  if (row.region !== region) throw invalid(`opportunity ${row.id} is in region "${row.region}", not the quote's region "${region}"`, { errors: [{ path: 'opportunity_id', message: `in region ${row.region}` }] });
}

interface Terms extends TermsCore {
  platform_fee_cents?: number | null;
  setup_fee_cents?: number | null;
}

function price(book: Awaited<ReturnType<typeof loadPriceBook>>, terms: Terms): Pricing {
  return priceSubscription(book, {
    plan: terms.plan,
    term_months: terms.term_months,
    subscribers: terms.subscribers,
    addons: terms.addons,
    discount_bps: terms.discount_bps,
    waive_setup: terms.waive_setup,
    platform_fee_cents: terms.platform_fee_cents ?? undefined,
    setup_cents: terms.setup_fee_cents ?? undefined,
  });
}

/** What a quote with these terms would cost, and whether the caller could send it without approval; writes nothing. */
export async function previewQuote(ctx: ServiceContext, input: PreviewQuoteInput) {
  const book = await loadPriceBook(ctx.db, input.price_book_version);
  const pricing = price(book, input);
  const required = requiredAuthority(input);
  const yours = discountAuthority(ctx.principal);
  return { ...pricing, required_authority_bps: required, your_authority_bps: yours, needs_approval: required > yours };
}

export async function listQuotes(ctx: ServiceContext, filter: QuoteListFilter) {
  let query = scopedQuotes(ctx, ctx.db).orderBy('quotes.id').limit(filter.limit + 1);
  if (filter.cursor) query = query.where('quotes.id', '>', decodeCursor(filter.cursor));
  if (filter.status) query = query.where('quotes.status', '=', filter.status);
  if (filter.number) query = query.where('quotes.number', '=', filter.number);
  if (filter.q) query = query.where(textSearch(['quotes.number', 'quotes.prospect_name', 'tenants.slug', 'resellers.slug'], filter.q));
  const rows = await query.execute();
  return pageFrom(
    rows.map((row) => {
      const { lines: _lines, ...rest } = toView(row);
      return rest;
    }),
    filter.limit,
    (quote) => quote.id,
  );
}

export async function getQuote(ctx: ServiceContext, ref: string): Promise<QuoteView> {
  return toView(await findQuote(ctx, ctx.db, ref));
}

/** By id, or by number (its latest revision). */
async function findQuote(ctx: ServiceContext, db: Kysely<Database>, ref: string): Promise<QuoteRecord> {
  let query = scopedQuotes(ctx, db);
  query = hasPrefix(ref, 'quote') ? query.where('quotes.id', '=', ref) : query.where('quotes.number', '=', ref.toUpperCase()).orderBy('quotes.revision', 'desc').limit(1);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`quote "${ref}" was not found`);
  return row;
}

/** A quote number: Q- and eight base32 digits, shared by the quote's revisions. */
function newNumber(): string {
  return `Q-${encodeRandom(randomBytes(10)).slice(0, 8).toUpperCase()}`;
}

export async function createQuote(ctx: ServiceContext, input: CreateQuoteInput): Promise<QuoteView> {
  const prospect = input.prospect_name !== undefined || input.prospect_email !== undefined;
  if (input.tenant && prospect) throw invalid('a quote is for a prospect (prospect_name and prospect_email) or an existing tenant, not both');
  if (!input.tenant && (!input.prospect_name || !input.prospect_email)) throw invalid('a quote needs a prospect (prospect_name and prospect_email) or a tenant');
  if (input.reseller && ctx.principal.role !== 'master_admin') throw forbidden('only master_admin names the reseller of record; a reseller\'s quotes are its own');
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    let resellerId: string | null = ctx.principal.role === 'reseller' ? ctx.principal.resellerId : null;
    let tenantId: string | null = null;
    let region = input.region;
    if (input.tenant) {
      const tenant = await getTenant(ctx, input.tenant, trx);
      if (tenant.status === 'cancelled') throw conflict(`tenant "${tenant.slug}" is cancelled`);
      tenantId = tenant.id;
      region ??= tenant.region;
      if (ctx.principal.role === 'master_admin') resellerId = tenant.reseller_id;
    }
    if (input.reseller) {
      const reseller = await findReseller(trx, input.reseller);
      if (!reseller) throw invalid(`reseller "${input.reseller}" does not exist`);
      resellerId = reseller.id;
    }
    region ??= 'eu-west';
    await checkRegion(trx, ctx, resellerId, region);
    if (input.opportunity_id) await checkOpportunity(trx, ctx, resellerId, region, input.opportunity_id);
    const book = await loadPriceBook(trx);
    const pricing = price(book, input);
    const now = ctx.clock.now();
    const row: QuoteRow = {
      id: newId('quote', now.getTime()),
      number: newNumber(),
      revision: 1,
      parent_id: null,
      reseller_id: resellerId,
      customer_tenant_id: tenantId,
      prospect_name: input.prospect_name ?? null,
      prospect_email: input.prospect_email ?? null,
      region,
      ...termColumns(input),
      valid_until: validUntil(now, input.valid_days),
      note: input.note ?? null,
      ...pricedColumns(pricing, input),
      ...freshDraft(ctx, now),
      opportunity_id: input.opportunity_id ?? null,
    };
    await trx.insertInto('quotes').values(row).execute();
    await audit(trx, ctx, 'quote.create', row, { number: row.number, plan: row.plan, term_months: row.term_months, subscribers: row.subscribers, discount_bps: row.discount_bps, monthly_cents: row.monthly_cents, first_invoice_cents: row.first_invoice_cents });
    return toView(await findQuote(ctx, trx, row.id));
  });
}

function termColumns(terms: Terms) {
  return {
    plan: terms.plan,
    term_months: terms.term_months,
    subscribers: terms.subscribers,
    addons: JSON.stringify(terms.addons),
    discount_bps: terms.discount_bps,
    waive_setup: terms.waive_setup ? 1 : 0,
    platform_fee_cents: terms.platform_fee_cents ?? null,
    setup_fee_cents: terms.setup_fee_cents ?? null,
  };
}

function pricedColumns(pricing: Pricing, terms: Terms) {
  return {
    price_book_version: pricing.price_book_version,
    pricing: JSON.stringify({ currency: pricing.currency, term_discount_bps: pricing.term_discount_bps, lines: pricing.lines, setup_cents: pricing.setup_cents, flags: pricing.flags, warnings: pricing.warnings }),
    monthly_cents: pricing.monthly_cents,
    first_invoice_cents: pricing.first_invoice_cents,
    required_authority_bps: requiredAuthority(terms),
  };
}

function termsOf(row: QuoteRow): Terms {
  const { setup_cents, ...terms } = storedTerms(row, row.setup_fee_cents);
  return { ...terms, setup_fee_cents: setup_cents };
}

/** Edits a draft (re-priced from the quote's own price-book version); editing an approved quote voids the approval. */
export async function updateQuote(ctx: ServiceContext, ref: string, input: UpdateQuoteInput): Promise<Outcome<QuoteView>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const quote = await findQuote(ctx, trx, ref);
    const next = nextQuoteStatus(quote.status, 'update');
    if (next === 'illegal' || next === 'unchanged') throw illegal(quote, 'update', 'only a draft can be changed; revise a sent quote instead');
    if (quote.customer_tenant_id && (input.prospect_name !== undefined || input.prospect_email !== undefined)) throw invalid('this quote is for an existing tenant, not a prospect');
    const before = termsOf(quote);
    const terms: Terms = {
      plan: input.plan ?? before.plan,
      term_months: input.term_months ?? before.term_months,
      subscribers: input.subscribers ?? before.subscribers,
      addons: input.addons ?? before.addons,
      discount_bps: input.discount_bps ?? before.discount_bps,
      waive_setup: input.waive_setup ?? before.waive_setup,
      platform_fee_cents: input.platform_fee_cents === undefined ? before.platform_fee_cents : input.platform_fee_cents,
      setup_fee_cents: input.setup_fee_cents === undefined ? before.setup_fee_cents : input.setup_fee_cents,
    };
    const region = input.region ?? quote.region;
    if (region !== quote.region) await checkRegion(trx, ctx, quote.reseller_id, region);
    const opportunityId = input.opportunity_id === undefined ? quote.opportunity_id : input.opportunity_id;
    if (opportunityId && (opportunityId !== quote.opportunity_id || region !== quote.region)) await checkOpportunity(trx, ctx, quote.reseller_id, region, opportunityId);
    const pricing = price(await loadPriceBook(trx, quote.price_book_version), terms);
    const now = ctx.clock.now();
    const wanted: Partial<QuoteRow> = {
      prospect_name: input.prospect_name ?? quote.prospect_name,
      prospect_email: input.prospect_email ?? quote.prospect_email,
      region,
      ...termColumns(terms),
      valid_until: input.valid_days === undefined ? quote.valid_until : validUntil(now, input.valid_days),
      note: input.note === undefined ? quote.note : input.note,
      opportunity_id: opportunityId,
      ...pricedColumns(pricing, terms),
    };
    const changes = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => normalised(quote[key as keyof QuoteRow]) !== normalised(value))) as Partial<QuoteRow>;
    if (Object.keys(changes).length === 0) return { value: toView(quote), changed: false };
    if (quote.status !== 'draft') Object.assign(changes, { status: 'draft', approved_by: null, approved_at: null, submitted_at: null });
    const updated = await apply(ctx, trx, quote, changes, 'quote.update', { changed: Object.keys(changes).filter((k) => k !== 'pricing'), approval_voided: quote.status !== 'draft' });
    return { value: toView(updated), changed: true };
  });
}

const normalised = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * Sends a draft, or asks for approval when its discount, waiver or plan is over its author's
 * authority (as the author's token had it when the revision was made), whoever submits it.
 */
export async function submitQuote(ctx: ServiceContext, ref: string): Promise<Outcome<QuoteView>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const quote = await findQuote(ctx, trx, ref);
    refuseIfLapsed(ctx, quote, 'submit');
    const authority = Number(quote.author_authority_bps);
    const over = Number(quote.required_authority_bps) > authority;
    const transition: QuoteTransition = over ? 'request_approval' : 'submit';
    const next = nextQuoteStatus(quote.status, transition);
    if (next === 'illegal' || next === 'unchanged') throw illegal(quote, 'submit');
    // territories move: a draft made (or revised) while the reseller held the region goes out only while it still does
    await checkRegion(trx, ctx, quote.reseller_id, quote.region);
    const now = ctx.clock.now().toISOString();
    const changes: Partial<QuoteRow> = over ? { status: next.to, submitted_at: now } : { status: next.to, submitted_at: now, sent_at: now };
    const updated = await apply(ctx, trx, quote, changes, 'quote.submit', { to: next.to, required_authority_bps: Number(quote.required_authority_bps), authority_bps: authority });
    return { value: toView(updated), changed: true };
  });
}

export async function approveQuote(ctx: ServiceContext, ref: string): Promise<Outcome<QuoteView>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const quote = await findQuote(ctx, trx, ref);
    const next = nextQuoteStatus(quote.status, 'approve');
    if (next === 'illegal' || next === 'unchanged') throw illegal(quote, 'approve');
    checkApprover(ctx, quote);
    refuseIfLapsed(ctx, quote, 'approve');
    const now = ctx.clock.now().toISOString();
    const updated = await apply(ctx, trx, quote, { status: next.to, approved_by: ctx.principal.userId, approved_at: now, refused_by: null, refusal_reason: null }, 'quote.approve', {
      required_authority_bps: Number(quote.required_authority_bps),
      authority_bps: discountAuthority(ctx.principal),
    });
    return { value: toView(updated), changed: true };
  });
}

export async function refuseQuote(ctx: ServiceContext, ref: string, reason: string): Promise<Outcome<QuoteView>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const quote = await findQuote(ctx, trx, ref);
    const next = nextQuoteStatus(quote.status, 'refuse');
    if (next === 'illegal' || next === 'unchanged') throw illegal(quote, 'refuse');
    checkApprover(ctx, quote);
    const updated = await apply(ctx, trx, quote, { status: next.to, refused_by: ctx.principal.userId, refusal_reason: reason, submitted_at: null }, 'quote.refuse', { reason });
    return { value: toView(updated), changed: true };
  });
}

/** An approver: not the author, with authority covering what the quote needs. */
function checkApprover(ctx: ServiceContext, quote: QuoteRow): void {
  if (quote.author_id === ctx.principal.userId) throw forbidden('the author of a quote cannot approve or refuse it; another approver must');
  const authority = discountAuthority(ctx.principal);
  if (authority < Number(quote.required_authority_bps)) {
    throw forbidden(`quote ${quote.number} needs ${Number(quote.required_authority_bps)} bps of discount authority; yours is ${authority} bps`);
  }
}

async function simpleMove(ctx: ServiceContext, ref: string, transition: QuoteTransition, action: AuditAction, fields: (now: string) => Partial<QuoteRow>, details: Record<string, unknown> = {}) {
  return writeTransaction(ctx.db, ctx.dialect, async (trx): Promise<Outcome<QuoteView>> => {
    const quote = await findQuote(ctx, trx, ref);
    const next = nextQuoteStatus(quote.status, transition);
    if (next === 'unchanged') return { value: toView(quote), changed: false };
    if (next === 'illegal') throw illegal(quote, transition);
    if (transition !== 'cancel') refuseIfLapsed(ctx, quote, transition);
    const now = ctx.clock.now().toISOString();
    const updated = await apply(ctx, trx, quote, { status: next.to, ...fields(now) }, action, details);
    return { value: toView(updated), changed: true };
  });
}

export const sendQuote = (ctx: ServiceContext, ref: string) => simpleMove(ctx, ref, 'send', 'quote.send', (now) => ({ sent_at: now }));
export const viewQuote = (ctx: ServiceContext, ref: string) => simpleMove(ctx, ref, 'view', 'quote.view', (now) => ({ viewed_at: now }));
export const rejectQuote = (ctx: ServiceContext, ref: string, reason: string) =>
  simpleMove(ctx, ref, 'reject', 'quote.reject', (now) => ({ rejection_reason: reason, closed_at: now }), { reason });
export const cancelQuote = (ctx: ServiceContext, ref: string) => simpleMove(ctx, ref, 'cancel', 'quote.cancel', (now) => ({ closed_at: now }));

/** A quote past its valid-until day is as good as expired, whether or not the expiry job has run yet. */
function refuseIfLapsed(ctx: ServiceContext, quote: QuoteRow, verb: string): void {
  if (isPastValidity(quote.valid_until, ctx.clock.now())) throw conflict(`quote ${quote.number} expired after ${quote.valid_until}; it cannot be ${PAST[verb] ?? verb} (revise it into a new draft)`, { status: 'expired' });
}

const PAST: Record<string, string> = { submit: 'submitted', approve: 'approved', send: 'sent', view: 'viewed', accept: 'accepted', reject: 'rejected' };

/** A new draft revision (+1, same number) of a sent, viewed, rejected or expired quote; the parent becomes `revised`. */
export async function reviseQuote(ctx: ServiceContext, ref: string): Promise<QuoteView> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const quote = await findQuote(ctx, trx, ref);
    const next = nextQuoteStatus(quote.status, 'revise');
    if (next === 'illegal' || next === 'unchanged') throw illegal(quote, 'revise', 'only a sent, viewed, rejected or expired quote can be revised');
    const latest = await trx.selectFrom('quotes').select((eb) => eb.fn.max('revision').as('revision')).where('number', '=', quote.number).executeTakeFirstOrThrow();
    if (Number(latest.revision) !== Number(quote.revision)) throw conflict(`quote ${quote.number} already has revision ${Number(latest.revision)}; revise that one`);
    const now = ctx.clock.now();
    await apply(ctx, trx, quote, { status: next.to, closed_at: now.toISOString() }, 'quote.revise', { revision: Number(quote.revision) + 1 });
    // the revision keeps the parent's terms and price-book version; its validity starts again today
    const { reseller_slug: _r, customer_tenant_slug: _t, ...parent } = quote;
    const days = Math.max(1, daysBetween(dayOf(new Date(quote.created_at)), quote.valid_until));
    const row: QuoteRow = {
      ...parent,
      id: newId('quote', now.getTime()),
      revision: Number(quote.revision) + 1,
      parent_id: quote.id,
      valid_until: validUntil(now, Math.min(days, 90)),
      ...freshDraft(ctx, now),
    };
    await trx.insertInto('quotes').values(row).execute();
    await audit(trx, ctx, 'quote.create', row, { number: row.number, revision: row.revision, parent_id: quote.id });
    return toView(await findQuote(ctx, trx, row.id));
  });
}

/**
 * The customer accepted (on `on`, default today, on or before valid_until): the quote becomes
 * accepted and the customer is onboarded in the same transaction, exactly once. A second accept
 * is a conflict and changes nothing (the status table, and a unique index on accepted numbers).
 */
export async function acceptQuote(ctx: ServiceContext, ref: string, input: AcceptQuoteInput): Promise<QuoteView & { onboarding: OnboardingResult }> {
  const now = ctx.clock.now();
  const on = input.on === undefined ? dayOf(now) : checkDay(input.on, 'the acceptance date');
  if (on > dayOf(now)) throw invalid(`the acceptance date ${on} is in the future`);
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const quote = await findQuote(ctx, trx, ref);
    const next = nextQuoteStatus(quote.status, 'accept');
    if (next === 'illegal' || next === 'unchanged') throw illegal(quote, 'accept');
    if (on > quote.valid_until) throw conflict(`quote ${quote.number} was valid until ${quote.valid_until}; it cannot be accepted on ${on} (revise it into a new draft)`, { status: quote.status });
    if (input.slug && quote.customer_tenant_id) throw invalid('this quote is for an existing tenant; --slug names a new one');
    const accepted = await trx.selectFrom('quotes').select('id').where('number', '=', quote.number).where('status', '=', 'accepted').executeTakeFirst();
    if (accepted) throw conflict(`quote ${quote.number} already has an accepted revision (${accepted.id})`);
    // a customer is onboarded under a reseller only in a region it holds on the day of acceptance
    await checkRegion(trx, ctx, quote.reseller_id, quote.region);
    const terms = termsOf(quote);
    const book = await loadPriceBook(trx, quote.price_book_version);
    const pricing = price(book, terms);
    const result = await onboard(trx, ctx, {
      quoteId: quote.id,
      customer: quote.customer_tenant_id
        ? { tenantId: quote.customer_tenant_id }
        : { name: quote.prospect_name!, slug: input.slug, region: quote.region, plan: quote.plan as TenantPlan, resellerId: quote.reseller_id, contactEmail: quote.prospect_email },
      resellerId: quote.reseller_id,
      terms: { ...terms, platform_fee_cents: terms.platform_fee_cents ?? undefined, setup_fee_cents: terms.setup_fee_cents ?? undefined, price_book_version: quote.price_book_version, start: on },
      pricing,
      opportunityId: quote.opportunity_id,
    });
    const updated = await apply(ctx, trx, quote, { status: next.to, accepted_on: on, closed_at: now.toISOString(), onboarded_tenant_id: result.tenant_id }, 'quote.accept', {
      accepted_on: on,
      tenant_id: result.tenant_id,
    });
    return { ...toView({ ...updated, customer_tenant_slug: quote.customer_tenant_slug }), onboarding: result };
  });
}

/** Every open quote past its valid-until day becomes expired (the worker's schedule runs this as the platform). */
/** Open quotes whose valid-until day has ended (at most `limit`, oldest first). */
export function quotesDue(db: Kysely<Database>, now: Date, limit: number) {
  return db
    .selectFrom('quotes')
    .selectAll()
    .where('status', 'in', ['draft', 'pending_approval', 'approved', 'sent', 'viewed'] satisfies QuoteStatus[])
    .where('valid_until', '<', dayOf(now))
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function expireQuotes(trx: Kysely<Database>, ctx: ServiceContext): Promise<number> {
  const due = await quotesDue(trx, ctx.clock.now(), 500);
  const now = ctx.clock.now().toISOString();
  for (const quote of due) await apply(ctx, trx, quote, { status: 'expired', closed_at: now }, 'quote.expire', { valid_until: quote.valid_until });
  return due.length;
}

/** A new draft (a first quote or a revision): authored now by the caller, nothing of a lifecycle yet. */
function freshDraft(ctx: ServiceContext, now: Date) {
  return {
    status: 'draft' as const,
    author_id: ctx.principal.userId,
    author_authority_bps: discountAuthority(ctx.principal),
    submitted_at: null,
    approved_by: null,
    approved_at: null,
    refused_by: null,
    refusal_reason: null,
    sent_at: null,
    viewed_at: null,
    accepted_on: null,
    rejection_reason: null,
    closed_at: null,
    onboarded_tenant_id: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    version: 1,
  };
}

function illegal(quote: QuoteRow, verb: string, hint?: string) {
  const what = quote.status === 'accepted' && verb === 'accept' ? `quote ${quote.number} was already accepted on ${quote.accepted_on}` : `quote ${quote.number} is ${quote.status.replace('_', ' ')} and cannot be ${PAST[verb] ?? `${verb}d`}`;
  return conflict(hint ? `${what}: ${hint}` : what, { status: quote.status });
}

async function apply<R extends QuoteRow>(ctx: ServiceContext, trx: Kysely<Database>, quote: R, changes: Partial<QuoteRow>, action: AuditAction, details: Record<string, unknown>): Promise<R> {
  const updatedAt = ctx.clock.now().toISOString();
  const version = Number(quote.version) + 1;
  const result = await trx
    .updateTable('quotes')
    .set({ ...changes, updated_at: updatedAt, version })
    .where('id', '=', quote.id)
    .where('version', '=', Number(quote.version))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`quote ${quote.number} changed meanwhile; try again`);
  const updated = { ...quote, ...changes, updated_at: updatedAt, version };
  await audit(trx, ctx, action, updated, { from: quote.status, to: updated.status, ...details });
  return updated;
}

function audit(trx: Kysely<Database>, ctx: ServiceContext, action: AuditAction, quote: QuoteRow, details: Record<string, unknown>) {
  return recordAudit(trx, ctx, {
    action,
    targetType: 'quote',
    targetId: quote.id,
    tenantId: quote.customer_tenant_id ?? quote.onboarded_tenant_id ?? null,
    resellerId: quote.reseller_id,
    details: { number: quote.number, ...details },
  });
}

function toView(row: QuoteRecord): QuoteView {
  const pricing = JSON.parse(row.pricing) as Pick<Pricing, 'currency' | 'term_discount_bps' | 'lines' | 'setup_cents' | 'flags' | 'warnings'>;
  const terms = termsOf(row);
  return {
    id: row.id,
    number: row.number,
    revision: Number(row.revision),
    parent_id: row.parent_id,
    status: row.status,
    reseller_id: row.reseller_id,
    reseller_slug: row.reseller_slug ?? null,
    customer_tenant_id: row.customer_tenant_id,
    customer_tenant_slug: row.customer_tenant_slug ?? null,
    prospect_name: row.prospect_name,
    prospect_email: row.prospect_email,
    region: row.region,
    waive_setup: terms.waive_setup,
    platform_fee_cents: terms.platform_fee_cents ?? null,
    setup_fee_cents: terms.setup_fee_cents ?? null,
    valid_until: row.valid_until,
    note: row.note,
    price_book_version: row.price_book_version,
    currency: pricing.currency,
    plan: row.plan,
    term_months: terms.term_months,
    subscribers: terms.subscribers,
    addons: terms.addons,
    term_discount_bps: pricing.term_discount_bps,
    discount_bps: terms.discount_bps,
    lines: pricing.lines,
    monthly_cents: Number(row.monthly_cents),
    setup_cents: pricing.setup_cents,
    first_invoice_cents: Number(row.first_invoice_cents),
    flags: pricing.flags,
    warnings: pricing.warnings,
    required_authority_bps: Number(row.required_authority_bps),
    author_id: row.author_id,
    author_authority_bps: Number(row.author_authority_bps),
    submitted_at: row.submitted_at,
    approved_by: row.approved_by,
    approved_at: row.approved_at,
    refused_by: row.refused_by,
    refusal_reason: row.refusal_reason,
    sent_at: row.sent_at,
    viewed_at: row.viewed_at,
    accepted_on: row.accepted_on,
    rejection_reason: row.rejection_reason,
    closed_at: row.closed_at,
    onboarded_tenant_id: row.onboarded_tenant_id,
    opportunity_id: row.opportunity_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: Number(row.version),
  };
}
