import { z } from '@hono/zod-openapi';
import { PAYOUT_STATUSES } from '../../../db/tables/commissions.js';
import { pageOf, PageQuery } from '../../routing.js';
import { CommissionSchema, DAY, PERIOD } from '../commissions/schema.js';
import { ResellerRefParam } from '../resellers/schema.js';

export const PayoutSchema = z
  .object({
    id: z.string().openapi({ example: 'pay_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    reseller_id: z.string(),
    run_on: z.string(),
    cutoff: z.string().openapi({ description: 'events eligible on or before this day were counted' }),
    status: z.enum(PAYOUT_STATUSES).openapi({ description: 'carried_forward: the net was under 10,000 cents or negative, and its events wait for the next run' }),
    net_cents: z.number().int(),
    amount_cents: z.number().int().openapi({ description: 'what was paid (0 when carried forward)' }),
    event_count: z.number().int(),
    created_at: z.string(),
  })
  .openapi('Payout');

export const PayoutLineSchema = z.object({
  event_id: z.string(),
  type: z.string(),
  period: z.string(),
  tenant_id: z.string().nullable(),
  invoice_id: z.string().nullable(),
  amount_cents: z.number().int(),
});

export const PayoutDetailSchema = PayoutSchema.extend({ lines: z.array(PayoutLineSchema) }).openapi('PayoutDetail');
export const PayoutPageSchema = pageOf(PayoutSchema, 'PayoutPage');
export const PayoutListQuery = z.object({
  ...PageQuery,
  reseller: z.string().max(100).optional().openapi({ description: 'reseller id or slug' }),
  status: z.enum(PAYOUT_STATUSES).optional(),
});
export const PayoutIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'payout id' }) });

export const RunPayoutsBody = z.strictObject({ on: DAY.openapi({ description: 'the run day (normally the 15th): pays events eligible by the last day of the month before' }) }).openapi('RunPayouts');
export const PayoutRunSchema = z
  .object({
    on: z.string(),
    cutoff: z.string(),
    written: z.number().int().openapi({ description: 'payouts this call recorded: 0 when the day was already run' }),
    paid_cents: z.number().int(),
    payouts: z.array(PayoutSchema),
  })
  .openapi('PayoutRun');

export const StatementParams = ResellerRefParam.extend({ period: PERIOD.openapi({ param: { name: 'period', in: 'path' } }) });
export const StatementSchema = z
  .object({
    reseller_id: z.string(),
    reseller_slug: z.string(),
    period: z.string(),
    issued_on: z.string().openapi({ description: 'the statement\'s day, the period\'s last: disputes are open 60 days after it' }),
    events: z.array(CommissionSchema),
    payouts: z.array(PayoutSchema).openapi({ description: 'payout runs made in the period' }),
    totals: z.object({
      earned_cents: z.number().int().openapi({ description: 'events of the period, clawbacks netted, cancelled left out' }),
      disputed_cents: z.number().int(),
      cancelled_cents: z.number().int(),
      paid_cents: z.number().int().openapi({ description: 'paid by the period\'s payout runs' }),
      unpaid_balance_cents: z.number().int().openapi({ description: 'every unpaid, undisputed event of the reseller, as of now' }),
    }),
  })
  .openapi('CommissionStatement');
