import { dollars } from './columns.js';
import type { Column } from './output.js';

// The partner programme's resources: money as dollars for people, cents in --json and --csv's raw fields.

export const COMMISSION_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'type' },
  { key: 'period' },
  { key: 'amount_cents', header: 'amount', get: (row: { amount_cents: number }) => dollars(row.amount_cents) },
  { key: 'status' },
  { key: 'eligible_on', header: 'eligible', priority: 2 },
  { key: 'rate_bps', header: 'bps', priority: 3 },
  { key: 'base_cents', header: 'base', get: (row: { base_cents: number }) => dollars(row.base_cents), priority: 3 },
  { key: 'tenant_id', header: 'tenant', priority: 1 },
  { key: 'invoice_id', header: 'invoice', priority: 1 },
  { key: 'reseller_id', header: 'reseller', extra: true },
  { key: 'subscription_id', header: 'subscription', extra: true },
  { key: 'payout_id', header: 'payout', extra: true },
  { key: 'reverses_id', header: 'reverses', extra: true },
  { key: 'dispute_reason', cut: true, extra: true },
  { key: 'created_at', header: 'created', extra: true },
];

export const COMMISSION_RULE_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'priority' },
  { key: 'bps' },
  { key: 'reseller_id', header: 'reseller', priority: 2 },
  { key: 'tenant_id', header: 'tenant', priority: 2 },
  { key: 'plan', priority: 1 },
  { key: 'commission_type', header: 'type', priority: 1 },
  { key: 'active_from', header: 'from', priority: 3 },
  { key: 'active_to', header: 'to', priority: 3 },
  { key: 'description', cut: true },
  { key: 'created_at', header: 'created', extra: true },
];

export const PAYOUT_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'run_on', header: 'run on' },
  { key: 'reseller_id', header: 'reseller', priority: 2 },
  { key: 'status' },
  { key: 'amount_cents', header: 'paid', get: (row: { amount_cents: number }) => dollars(row.amount_cents) },
  { key: 'net_cents', header: 'net', get: (row: { net_cents: number }) => dollars(row.net_cents), priority: 1 },
  { key: 'event_count', header: 'events', priority: 1 },
  { key: 'cutoff', extra: true },
  { key: 'created_at', header: 'created', extra: true },
];

export const PAYOUT_LINE_COLUMNS: Column[] = [
  { key: 'event_id', header: 'event' },
  { key: 'type' },
  { key: 'period' },
  { key: 'amount_cents', header: 'amount', get: (row: { amount_cents: number }) => dollars(row.amount_cents) },
  { key: 'tenant_id', header: 'tenant', priority: 1 },
  { key: 'invoice_id', header: 'invoice', priority: 1 },
];

export const TRAINING_COLUMNS: Column[] = [
  { key: 'module' },
  { key: 'title', cut: true },
  { key: 'required' },
  { key: 'required_from', header: 'from tier', priority: 1 },
  { key: 'completed_on', header: 'completed' },
];

/** bps as a percent for people: 10,450 → 104.50 %; none, blank. */
export const percent = (bps: unknown): string => (typeof bps === 'number' ? `${(bps / 100).toFixed(2)} %` : '');

const money = (key: string, header: string, priority?: number): Column => ({ key, header, get: (row: Record<string, unknown>) => dollars(row[key]), ...(priority ? { priority } : {}) });

export const KPI_COLUMNS: Column[] = [
  { key: 'slug', header: 'reseller' },
  { key: 'period' },
  money('revenue_cents', 'revenue'),
  money('new_mrr_cents', 'new MRR'),
  money('expansion_mrr_cents', 'expansion', 1),
  money('contraction_mrr_cents', 'contraction', 2),
  money('churned_mrr_cents', 'churned', 1),
  { key: 'net_revenue_retention_bps', header: 'NRR', get: (row: { net_revenue_retention_bps: number | null }) => percent(row.net_revenue_retention_bps) },
  money('pipeline_weighted_cents', 'pipeline', 1),
  { key: 'win_rate_bps', header: 'win rate', get: (row: { win_rate_bps: number | null }) => percent(row.win_rate_bps), priority: 1 },
  { key: 'quote_to_close_days', header: 'close days', priority: 2 },
  money('commissions_earned_cents', 'earned', 1),
  money('commissions_paid_cents', 'paid', 2),
  { key: 'attainment_bps', header: 'attainment', get: (row: { attainment_bps: number | null }) => percent(row.attainment_bps), priority: 1 },
  money('start_mrr_cents', 'start MRR', 3),
  { key: 'won', extra: true },
  { key: 'lost', extra: true },
  { key: 'quotes_accepted', header: 'quotes accepted', extra: true },
  money('booked_cents', 'booked', 3),
  { key: 'quota_cents', header: 'quota', get: (row: { quota_cents: number | null }) => dollars(row.quota_cents), extra: true },
  { key: 'name', cut: true, extra: true },
  { key: 'reseller_id', header: 'id', extra: true },
];
