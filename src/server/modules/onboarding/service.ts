// Onboarding (COMMERCE.md § Quotes): a customer's tenant, default configuration, first deployment,
// subscription, first invoice and initial commission, in the caller's ONE transaction. Accepting a
// quote runs it (quotes/service.ts), as does `tenants onboard` for a staff request without a quote.
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import { recordAudit } from '../audit/service.js';
import { loadPriceBook } from '../pricebook/service.js';
import { priceSubscription, type Pricing } from '../pricebook/pricing.js';
import { dayOf } from '../../../core/calendar.js';
import { findReseller } from '../resellers/service.js';
import { invalid, forbidden } from '../../../core/errors.js';
import type { TenantPlan } from '../../../db/tables/tenants.js';
import type { OnboardTenantInput } from './schema.js';
import {
  applyDefaultConfigs,
  createCustomerTenant,
  existingTenant,
  issueFirstInvoice,
  markOpportunityWon,
  queueFirstDeployment,
  recordInitialCommission,
  startSubscription,
  type NewCustomer,
  type Subscribed,
} from './steps.js';

export interface OnboardingInput {
  /** the accepted quote, when there is one */
  quoteId: string | null;
  /** a new customer (a prospect), or an existing tenant's id */
  customer: NewCustomer | { tenantId: string };
  resellerId: string | null;
  terms: Subscribed;
  pricing: Pricing;
  opportunityId: string | null;
}

export interface OnboardingResult {
  tenant_id: string;
  tenant_slug: string;
  tenant_created: boolean;
  config_version: number;
  deployment_id: string | null;
  deployment_job_id: string | null;
  subscription_id: string | null;
  invoice_id: string | null;
  commission_id: string | null;
  opportunity_won: boolean;
  monthly_cents: number;
  first_invoice_cents: number;
}

/** Runs every step inside `trx`; a failing step fails the whole (the caller's transaction rolls back). */
export async function onboard(trx: Kysely<Database>, ctx: ServiceContext, input: OnboardingInput): Promise<OnboardingResult> {
  const created = !('tenantId' in input.customer);
  const tenant = 'tenantId' in input.customer ? await existingTenant(trx, ctx, input.customer.tenantId) : await createCustomerTenant(trx, ctx, input.customer);
  const configVersion = await applyDefaultConfigs(trx, ctx, tenant, input.pricing);
  const deployment = await queueFirstDeployment(trx, ctx, tenant);
  const subscription = await startSubscription(trx, ctx, tenant, input.terms, input.quoteId);
  const invoice = await issueFirstInvoice(trx, ctx, subscription);
  const commission = await recordInitialCommission(trx, ctx, invoice);
  const won = await markOpportunityWon(trx, ctx, input.opportunityId, input.quoteId);
  const result: OnboardingResult = {
    tenant_id: tenant.id,
    tenant_slug: tenant.slug,
    tenant_created: created,
    config_version: configVersion,
    deployment_id: deployment?.deployment_id ?? null,
    deployment_job_id: deployment?.job_id ?? null,
    subscription_id: subscription?.id ?? null,
    invoice_id: invoice?.id ?? null,
    commission_id: commission?.id ?? null,
    opportunity_won: won,
    monthly_cents: input.pricing.monthly_cents,
    first_invoice_cents: input.pricing.first_invoice_cents,
  };
  await recordAudit(trx, ctx, {
    action: 'tenant.onboard',
    targetType: 'tenant',
    targetId: tenant.id,
    tenantId: tenant.id,
    details: { quote_id: input.quoteId, plan: input.terms.plan, term_months: input.terms.term_months, subscribers: input.terms.subscribers, monthly_cents: input.pricing.monthly_cents, first_invoice_cents: input.pricing.first_invoice_cents, deployment_id: result.deployment_id },
  });
  return result;
}

/** `tenants onboard`: the same workflow for a staff request without a quote, priced from the newest price book at list price. */
export async function onboardTenant(ctx: ServiceContext, input: OnboardTenantInput): Promise<OnboardingResult> {
  if (ctx.principal.role !== 'master_admin') throw forbidden('only master_admin onboards a tenant without a quote');
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const book = await loadPriceBook(trx);
    const pricing = priceSubscription(book, { plan: input.plan, term_months: input.term_months, subscribers: input.subscribers, addons: input.addons });
    let resellerId: string | null = null;
    if (input.reseller) {
      const reseller = await findReseller(trx, input.reseller);
      if (!reseller) throw invalid(`reseller "${input.reseller}" does not exist`);
      resellerId = reseller.id;
    }
    return onboard(trx, ctx, {
      quoteId: null,
      customer: { name: input.name, slug: input.slug, region: input.region, plan: pricing.plan as TenantPlan, resellerId, contactEmail: input.contact_email ?? null },
      resellerId,
      terms: {
        plan: pricing.plan,
        term_months: input.term_months,
        subscribers: input.subscribers,
        addons: pricing.addons,
        discount_bps: 0,
        waive_setup: false,
        price_book_version: book.version,
        start: dayOf(ctx.clock.now()),
      },
      pricing,
      opportunityId: null,
    });
  });
}
