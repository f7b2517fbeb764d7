import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { MAX_SUBSCRIBERS } from '../pricebook/pricing.js';
import { SLUG } from '../tenants/schema.js';

export const OnboardTenantBody = z
  .strictObject({
    name: humanText(200).min(1),
    slug: SLUG,
    plan: z.string().min(1).max(40),
    term_months: z.number().int().min(1).max(120),
    subscribers: z.number().int().min(0).max(MAX_SUBSCRIBERS),
    addons: z.array(z.string().min(1).max(40)).max(20).default([]),
    region: humanText(50).min(1).default('eu-west'),
    reseller: z.string().max(100).optional().openapi({ description: 'the reseller of record, id or slug' }),
    contact_email: z.string().email().max(254).optional(),
  })
  .openapi('OnboardTenant');

export const OnboardingSchema = z
  .object({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    tenant_created: z.boolean(),
    config_version: z.number().int(),
    deployment_id: z.string().nullable(),
    deployment_job_id: z.string().nullable(),
    subscription_id: z.string().nullable(),
    invoice_id: z.string().nullable(),
    commission_id: z.string().nullable(),
    opportunity_won: z.boolean(),
    monthly_cents: z.number().int(),
    first_invoice_cents: z.number().int(),
  })
  .openapi('Onboarding');

export type OnboardTenantInput = z.infer<typeof OnboardTenantBody>;
