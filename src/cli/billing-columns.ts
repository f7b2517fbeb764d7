import { formatCents } from '../core/money.js';
import type { Column } from './output.js';

// Columns of the billing resources. Money is integer cents in --json and formatted here for people.

const money = (key: string, header?: string, extra = false): Column => ({ key, header, extra, get: (row: Record<string, unknown>) => (typeof row[key] === 'number' ? formatCents(row[key]) : '') });

export const PLAN_COLUMNS: Column[] = [
  { key: 'code', header: 'plan' },
  { key: 'name', cut: true },
  { ...money('platform_fee_cents', 'monthly'), get: (r) => (r.platform_fee_cents === null ? `quoted, from ${formatCents(r.floor_cents ?? 0)}` : formatCents(r.platform_fee_cents)) },
  { key: 'included_subscribers', header: 'included' },
  { key: 'bands', get: (r) => (r.bands as { from: number; to: number; unit_cents: number }[]).map((b) => `${b.from}-${b.to} @ ${b.unit_cents}¢`).join('; ') || '—', priority: 2 },
  { key: 'hard_cap', header: 'cap', get: (r) => r.hard_cap ?? 'contract' },
  { ...money('setup_cents', 'setup'), get: (r) => `${r.quoted ? 'from ' : ''}${formatCents(r.setup_cents)}` },
  { key: 'price_book_version', header: 'version', extra: true },
];

export const SUBSCRIPTION_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'tenant_id', header: 'tenant', priority: 2 },
  { key: 'plan' },
  { key: 'term_months', header: 'term' },
  { key: 'subscribers' },
  { key: 'addons', get: (r) => (r.addons as string[]).join(', ') || '—', priority: 1 },
  { key: 'status' },
  { key: 'started_on', header: 'started' },
  { key: 'term_ends_on', header: 'term ends', priority: 3 },
  { key: 'upgrade_required', header: 'upgrade required', extra: true },
  { key: 'price_book_version', header: 'version', extra: true },
  { key: 'discount_bps', header: 'discount bps', extra: true },
  { key: 'trial_ends_on', header: 'trial ends', extra: true },
  { key: 'cancel_on', header: 'cancel on', extra: true },
  { key: 'pending_change', header: 'pending', extra: true, get: (r) => (r.pending_change ? `${r.pending_change.plan} from ${r.pending_on}` : '') },
  { key: 'reseller_id', header: 'reseller', extra: true },
];

export const INVOICE_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'tenant_id', header: 'tenant', priority: 2 },
  { key: 'period' },
  { key: 'kind' },
  { key: 'status' },
  money('total_cents', 'total'),
  { key: 'issued_on', header: 'issued', priority: 1 },
  { key: 'due_on', header: 'due', priority: 3 },
  { key: 'paid_on', header: 'paid', extra: true },
  money('recurring_cents', 'recurring', true),
  money('refunded_cents', 'refunded', true),
  { key: 'refunded_on', header: 'refunded on', extra: true },
  { key: 'subscription_id', header: 'subscription', extra: true },
  { key: 'reseller_id', header: 'reseller', extra: true },
];

export const LINE_COLUMNS: Column[] = [
  { key: 'description', cut: true },
  { key: 'quantity', header: 'qty' },
  money('unit_cents', 'unit'),
  money('amount_cents', 'amount'),
];

export const USAGE_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'plan' },
  { key: 'metric' },
  { key: 'value', get: (r) => r.value ?? '—' },
  { key: 'allowance', get: (r) => r.allowance ?? '—' },
  { key: 'limit', header: 'cap', get: (r) => r.limit ?? '' },
  { key: 'percent', header: '%', get: (r) => (r.percent === null ? '' : `${r.percent} %`) },
  money('overage_cents', 'billed so far'),
];
