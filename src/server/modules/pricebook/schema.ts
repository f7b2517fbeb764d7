import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { PLAN_CODES } from './book.js';

// The contract of a price book document: what `pricebook publish` accepts and `pricebook show`
// returns. Cents and counts are whole numbers; a document that prices nothing coherent (bands
// that overlap or leave gaps, a term offered twice) is refused before it is published.

const cents = z.number().int().min(0).max(100_000_000_00);
const count = z.number().int().min(0).max(10_000_000);
const code = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, starting with a letter');

const Band = z.strictObject({ from: count.min(1), to: count.min(1), unit_cents: cents });

const Plan = z
  .strictObject({
    code: z.enum(PLAN_CODES),
    name: humanText(60).min(1),
    platform_fee_cents: cents.nullable(),
    floor_cents: cents.optional(),
    included_subscribers: count,
    bands: z.array(Band).max(20),
    hard_cap: count.nullable(),
    allowances: z.strictObject({ users: count, devices: count, storage_gb: count, api_calls: count }).nullable(),
    overage: z.strictObject({ user_cents: cents, device_cents: cents, storage_gb_cents: cents, api_calls_1k_cents: cents }).nullable(),
    setup_cents: cents,
    quoted: z.boolean(),
  })
  .superRefine((plan, issues) => {
    if (plan.quoted !== (plan.platform_fee_cents === null)) issues.addIssue({ code: 'custom', path: ['platform_fee_cents'], message: 'is null exactly when the plan is quoted' });
    let next = plan.included_subscribers + 1;
    plan.bands.forEach((band, i) => {
      if (band.from !== next) issues.addIssue({ code: 'custom', path: ['bands', i, 'from'], message: `must be ${next}: bands follow the included subscribers and each other without gaps or overlaps` });
      if (band.to < band.from) issues.addIssue({ code: 'custom', path: ['bands', i, 'to'], message: 'must not be below from' });
      next = band.to + 1;
    });
  });

const Addon = z.strictObject({ code, name: humanText(60).min(1), monthly_cents: cents, included_in: z.array(z.enum(PLAN_CODES)) });
const Term = z.strictObject({ months: z.number().int().min(1).max(60), discount_bps: z.number().int().min(0).max(10_000) });

export const PriceBookSchema = z
  .strictObject({
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/, 'letters, digits, dots, dashes and underscores (e.g. 2026.1)'),
    currency: z.literal('USD'),
    plans: z.array(Plan).min(1).max(PLAN_CODES.length),
    addons: z.array(Addon).max(50),
    terms: z.array(Term).min(1).max(12),
    trial_days: z.number().int().min(0).max(90),
    commitment_min_term_months: z.number().int().min(1).max(60),
  })
  .superRefine((book, issues) => {
    const twice = (values: (string | number)[]) => values.find((v, i) => values.indexOf(v) !== i);
    const plan = twice(book.plans.map((p) => p.code));
    if (plan !== undefined) issues.addIssue({ code: 'custom', path: ['plans'], message: `plan ${plan} is listed twice` });
    const addon = twice(book.addons.map((a) => a.code));
    if (addon !== undefined) issues.addIssue({ code: 'custom', path: ['addons'], message: `add-on ${addon} is listed twice` });
    const term = twice(book.terms.map((t) => t.months));
    if (term !== undefined) issues.addIssue({ code: 'custom', path: ['terms'], message: `the ${term}-month term is listed twice` });
  })
  .openapi('PriceBook');

export const PriceBookQuery = z.object({
  version: z.string().min(1).max(32).optional().openapi({ description: 'a published version; default: the newest' }),
});

export const PlanSchema = z
  .object({
    code: z.enum(PLAN_CODES),
    name: z.string(),
    price_book_version: z.string(),
    platform_fee_cents: z.number().int().nullable(),
    floor_cents: z.number().int().nullable(),
    included_subscribers: z.number().int(),
    hard_cap: z.number().int().nullable(),
    setup_cents: z.number().int(),
    bands: z.array(Band),
    quoted: z.boolean(),
  })
  .openapi('Plan');

export const PlanListSchema = z.object({ price_book_version: z.string(), data: z.array(PlanSchema) }).openapi('PlanList');

export const PublishedPriceBookSchema = z
  .object({ version: z.string(), published_at: z.string(), published_by: z.string() })
  .openapi('PublishedPriceBook');

export type PriceBookDocument = z.infer<typeof PriceBookSchema>;
