import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { writeTransaction } from '../../db/transaction.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../modules/audit/service.js';
import { changeBranding } from '../modules/branding/service.js';
import type { CreateQuoteInput } from '../modules/quotes/schema.js';
import { cancelQuote, createQuote, rejectQuote, submitQuote, viewQuote } from '../modules/quotes/service.js';
import { generateActivity } from './activity.js';
import { generateDemoData } from './generator.js';

const BATCH = 200;
/** parents first: a row's foreign keys name rows inserted before it */
const ACTIVITY_TABLES = ['jobs', 'deployments', 'health_checks', 'subscriptions', 'invoices', 'invoice_lines', 'tickets', 'opportunities', 'payouts', 'commission_events', 'payout_lines'] as const;

/**
 * Inserts demo data in batches, one transaction, with one audit event for the whole seed: tenants
 * and resellers, and the activity every dashboard panel shows (activity.ts). Then one tenant's
 * branding, through the branding module, so it is versioned as any other.
 */
export async function seedDemo(ctx: ServiceContext, tenantCount: number) {
  const data = generateDemoData(tenantCount, ctx.clock.now());
  const activity = generateActivity(data.tenants, data.resellers, ctx.clock.now());
  await writeTransaction(ctx.db, ctx.dialect, async (trx: Kysely<Database>) => {
    for (let i = 0; i < data.resellers.length; i += BATCH) await trx.insertInto('resellers').values(data.resellers.slice(i, i + BATCH)).execute();
    for (let i = 0; i < data.tenants.length; i += BATCH) await trx.insertInto('tenants').values(data.tenants.slice(i, i + BATCH)).execute();
    for (const table of ACTIVITY_TABLES) {
      const rows = activity[table] ?? [];
      for (let i = 0; i < rows.length; i += BATCH) await trx.insertInto(table).values(rows.slice(i, i + BATCH) as never).execute();
    }
    await recordAudit(trx, ctx, {
      action: 'workspace.seed_demo',
      targetType: 'workspace',
      targetId: null,
      tenantId: null,
      details: { resellers: data.resellers.length, tenants: data.tenants.length, ...Object.fromEntries(ACTIVITY_TABLES.map((t) => [t, activity[t]?.length ?? 0])) },
    });
  });
  const branded = data.tenants.find((t) => t.status === 'active' && t.plan === 'enterprise');
  if (branded) {
    await changeBranding(ctx, branded.id, { company_name: branded.name, primary_color: '#0b5fff', secondary_color: '#ffb000', support_email: `support@${branded.slug}.example` }, undefined);
  }
  await seedQuotes(ctx, data.tenants.filter((t) => t.status === 'active' && t.reseller_id === null).slice(0, 6).map((t) => t.slug));
  return { resellers: data.resellers.length, tenants: data.tenants.length };
}

/** Quotes in several states (draft, sent, viewed, rejected, cancelled, pending approval: a discount over the seed's authority), through the quotes module so each is priced as any other. */
async function seedQuotes(ctx: ServiceContext, tenants: string[]) {
  const moves = [[], [submitQuote], [submitQuote, viewQuote], [submitQuote, (c: ServiceContext, ref: string) => rejectQuote(c, ref, 'went with a cheaper offer')], [cancelQuote], [submitQuote]];
  for (const [i, tenant] of tenants.entries()) {
    const input = { tenant, plan: i % 2 ? 'enterprise' : 'professional', term_months: [1, 12, 24, 36][i % 4], subscribers: 1_200 + i * 700, addons: i === 2 ? ['premium-support'] : [], discount_bps: i === 5 ? 1_500 : 0, waive_setup: false, valid_days: i === 1 ? 5 : 30 } as CreateQuoteInput;
    const quote = await createQuote(ctx, input);
    for (const move of moves[i] ?? []) await move(ctx, quote.id);
  }
}
