// The steps of onboarding, one function each, each through the module that owns what it makes
// (tenants, configs, deployments, subscriptions, invoices, commissions, pipeline); the workflow
// is service.ts. Every step runs inside the one onboarding transaction (`trx`), as the caller
// (`ctx`), and writes its own audit events.
import type { Kysely } from 'kysely';
import { AppError } from '../../../core/errors.js';
import type { Database } from '../../../db/database.js';
import type { TenantPlan } from '../../../db/tables/tenants.js';
import type { ServiceContext } from '../../context.js';
import { changeConfigs } from '../configs/service.js';
import { createDeployment, currentDeployment, deploymentInProgress } from '../deployments/service.js';
import type { Pricing, TermsCore } from '../pricebook/pricing.js';
import { createTenant, getTenant, type Tenant } from '../tenants/service.js';
import type { PlanCode, TERM_MONTHS } from '../pricebook/book.js';
import { markOpportunityWon as markWon } from '../pipeline/service.js';
import { createSubscription, issueFirstInvoice as issueSubscriptionFirstInvoice } from '../subscriptions/service.js';
import { recordInitialCommission as recordAwaitingInitial } from '../commissions/initial.js';
import type { SubscriptionRow } from '../../../db/tables/billing.js';

/** The release a new customer's first deployment installs. */
export const FIRST_RELEASE = '1.0.0';

export interface NewCustomer {
  name: string;
  /** default: from the name, with a suffix when that slug is taken */
  slug?: string;
  region: string;
  plan: TenantPlan;
  /** the reseller of record (id), or null for a direct customer */
  resellerId: string | null;
  contactEmail: string | null;
}

/** The services' own transactions nest in `trx` as savepoints: a ServiceContext whose database is the transaction. */
export const inTransaction = (trx: Kysely<Database>, ctx: ServiceContext): ServiceContext => ({ ...ctx, db: trx });

/** Step 1 (a prospect): the tenant, owned by the reseller of record, on the quoted plan and region. */
export async function createCustomerTenant(trx: Kysely<Database>, ctx: ServiceContext, customer: NewCustomer): Promise<Tenant> {
  const base = customer.slug ?? slugFrom(customer.name);
  const candidates = customer.slug ? [base] : [base, ...Array.from({ length: 4 }, () => `${base.slice(0, 56)}-${Math.random().toString(36).slice(2, 6)}`)];
  for (const slug of candidates) {
    try {
      return await createTenant(inTransaction(trx, ctx), {
        slug,
        name: customer.name,
        plan: customer.plan,
        region: customer.region,
        reseller: customer.resellerId,
        contact_email: customer.contactEmail,
      });
    } catch (error) {
      if (!(error instanceof AppError && error.kind === 'conflict') || slug === candidates.at(-1)) throw error;
    }
  }
  throw new Error('unreachable');
}

/** Step 1 (an existing tenant): the tenant as the caller sees it. */
export function existingTenant(trx: Kysely<Database>, ctx: ServiceContext, tenantId: string): Promise<Tenant> {
  return getTenant(ctx, tenantId, trx);
}

/** A slug from a display name: lower-case letters, digits and inner hyphens, 2–50 characters. */
export function slugFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return slug.length >= 2 ? slug : `customer-${slug || 'new'}`.replace(/-$/, '');
}

/** Step 2: the default configuration, through the configs module (one version; nothing when it already holds). */
export async function applyDefaultConfigs(trx: Kysely<Database>, ctx: ServiceContext, tenant: Tenant, pricing: Pricing): Promise<number> {
  const outcome = await changeConfigs(inTransaction(trx, ctx), tenant.id, { values: { 'billing.currency': pricing.currency, 'branding.company_name': tenant.name } }, undefined);
  return outcome.value.version;
}

/** Step 3: the first deployment, queued as a job through the deployments module; none when the tenant already runs or is being deployed. */
export async function queueFirstDeployment(trx: Kysely<Database>, ctx: ServiceContext, tenant: Tenant): Promise<{ deployment_id: string; job_id: string } | null> {
  if ((await currentDeployment(trx, tenant.id)) || (await deploymentInProgress(trx, tenant.id))) return null;
  const deployment = await createDeployment(inTransaction(trx, ctx), { tenant: tenant.id, version: FIRST_RELEASE, size: 'small', replicas: 1 });
  return { deployment_id: deployment.id, job_id: deployment.job_id };
}

export interface Subscribed extends TermsCore {
  platform_fee_cents?: number;
  setup_fee_cents?: number;
  price_book_version: string;
  /** the day the subscription starts (YYYY-MM-DD) */
  start: string;
}

/** Step 4: the subscription, through the billing module, on the quote's price-book version. */
export async function startSubscription(trx: Kysely<Database>, ctx: ServiceContext, tenant: Tenant, terms: Subscribed, quoteId: string | null): Promise<SubscriptionRow> {
  const { subscription } = await createSubscription(trx, ctx, {
    tenant: tenant.id,
    plan: terms.plan as PlanCode,
    term_months: terms.term_months as (typeof TERM_MONTHS)[number],
    subscribers: terms.subscribers,
    addons: terms.addons,
    discount_bps: terms.discount_bps,
    waive_setup: terms.waive_setup,
    platform_fee_cents: terms.platform_fee_cents,
    setup_cents: terms.setup_fee_cents,
    price_book_version: terms.price_book_version,
    start: terms.start,
    quote_id: quoteId,
  });
  return subscription;
}

/** Step 5: the first invoice, through the billing module; its total is the quote's first_invoice_cents. */
export async function issueFirstInvoice(trx: Kysely<Database>, ctx: ServiceContext, subscription: SubscriptionRow): Promise<{ id: string; total_cents: number }> {
  const invoice = await issueSubscriptionFirstInvoice(trx, ctx, subscription);
  return { id: invoice.id, total_cents: invoice.total_cents };
}

/**
 * Step 6: the initial commission for the reseller of record, awaiting the first invoice's
 * payment (commissions/initial.ts); none for a direct customer.
 */
export async function recordInitialCommission(trx: Kysely<Database>, ctx: ServiceContext, invoice: { id: string } | null): Promise<{ id: string } | null> {
  return invoice ? recordAwaitingInitial(trx, ctx, invoice.id) : null;
}

/** Step 7: the quote's opportunity, if it has one, is won (through the pipeline module). */
export async function markOpportunityWon(trx: Kysely<Database>, ctx: ServiceContext, opportunityId: string | null, quoteId: string | null): Promise<boolean> {
  if (!opportunityId) return false;
  return markWon(trx, ctx, opportunityId, ctx.clock.now(), quoteId ?? undefined);
}
