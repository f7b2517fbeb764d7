import type { Column } from './output.js';
import { formatCents } from '../core/money.js';

// One set per resource: every field, in display order. `extra` fields are listed only when
// --columns names them; on a narrow terminal the lowest `priority` goes first, and only `cut`
// text is shortened.

export const TENANT_COLUMNS: Column[] = [
  { key: 'slug' },
  { key: 'name', cut: true },
  { key: 'status' },
  { key: 'plan' },
  { key: 'region', priority: 2 },
  { key: 'reseller_slug', header: 'reseller', priority: 3 },
  { key: 'id', priority: 1 },
  { key: 'reseller_id', extra: true },
  { key: 'contact_email', header: 'contact', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
  { key: 'version', extra: true },
];

export const RESELLER_COLUMNS: Column[] = [
  { key: 'slug' },
  { key: 'name', cut: true },
  { key: 'territory', priority: 2, cut: true },
  { key: 'tier' },
  { key: 'kind', priority: 3 },
  { key: 'id', priority: 1 },
  { key: 'tier_source', extra: true },
  { key: 'quota_cents', header: 'quota', get: (row: { quota_cents?: number | null }) => dollars(row.quota_cents), extra: true },
  { key: 'default_commission_bps', header: 'default_bps', extra: true },
  { key: 'lifetime_revenue_cents', header: 'lifetime_revenue', get: (row: { lifetime_revenue_cents?: number }) => dollars(row.lifetime_revenue_cents), extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
];

export const TOKEN_COLUMNS: Column[] = [
  { key: 'jti' },
  { key: 'role' },
  { key: 'email', cut: true },
  { key: 'tenant_id', header: 'tenant', priority: 3 },
  { key: 'reseller_id', header: 'reseller', priority: 2 },
  { key: 'expires_at', header: 'expires', priority: 4 },
  { key: 'revoked_at', header: 'revoked', priority: 1 },
  { key: 'label', cut: true },
  { key: 'user_id', header: 'user', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'created_by', extra: true },
  { key: 'discount_authority_bps', header: 'discount_authority', extra: true },
];

export const AUDIT_COLUMNS: Column[] = [
  { key: 'seq' },
  { key: 'at' },
  { key: 'action' },
  { key: 'role' },
  { key: 'actor', priority: 1 },
  { key: 'target_id', header: 'target', priority: 2 },
  { key: 'reason', cut: true },
  { key: 'id', extra: true },
  { key: 'target_type', extra: true },
  { key: 'tenant_id', header: 'tenant', extra: true },
  { key: 'request_id', header: 'request', extra: true },
  { key: 'details', extra: true, cut: true },
  { key: 'prev_hash', extra: true },
  { key: 'hash', extra: true },
];

/** A configuration value as one line of text: a string as it is, anything else as JSON. */
export const configValueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export const CONFIG_COLUMNS: Column[] = [
  { key: 'key' },
  { key: 'value', get: (row: { value: unknown }) => configValueText(row.value), cut: true },
  { key: 'secret', priority: 2 },
  { key: 'version', header: 'set in', get: (row: { version: number }) => `v${row.version}`, priority: 1 },
  { key: 'category', extra: true },
  { key: 'masked', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
];

export const CONFIG_VERSION_COLUMNS: Column[] = [
  { key: 'version', get: (row: { version: number }) => `v${row.version}` },
  { key: 'action' },
  { key: 'created_at', header: 'at', priority: 2 },
  { key: 'actor', priority: 1 },
  {
    key: 'changes',
    cut: true,
    get: (row: { changes: { key: string; change: string }[]; restored_from: number | null }) =>
      `${row.restored_from ? `= v${row.restored_from}: ` : ''}${row.changes.map((c) => `${c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~'}${c.key}`).join(' ')}`,
  },
  { key: 'restored_from', extra: true },
];

export const BACKUP_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'created_at', header: 'created' },
  { key: 'kind', priority: 2 },
  { key: 'status', priority: 3 },
  { key: 'rows', priority: 4 },
  { key: 'size', priority: 5 },
  { key: 'checksum', priority: 1, cut: true },
  { key: 'tenant_id', header: 'tenant', extra: true },
  { key: 'format_version', extra: true },
  { key: 'schema_migration', header: 'schema', extra: true },
  { key: 'created_by', extra: true },
];

export const BACKUP_VERIFICATION_COLUMNS: Column[] = [
  { key: 'backup_id', header: 'backup' },
  { key: 'valid' },
  { key: 'problem', cut: true },
  { key: 'checksum', cut: true },
  { key: 'tenant_id', header: 'tenant', extra: true },
];

export const RESTORE_COLUMNS: Column[] = [{ key: 'table' }, { key: 'deleted' }, { key: 'inserted' }, { key: 'updated' }, { key: 'unchanged' }];

export const BACKUP_SCHEDULE_COLUMNS: Column[] = [
  { key: 'tenant_id', header: 'tenant' },
  { key: 'every_seconds', header: 'every (s)' },
  { key: 'keep' },
  { key: 'updated_at', header: 'updated', priority: 1 },
  { key: 'updated_by', extra: true },
  { key: 'created_at', header: 'created', extra: true },
];

/** Integer cents as dollars for people ($299.00); --json keeps the cents. */
export const dollars = (cents: unknown): string => (typeof cents === 'number' ? `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}` : '');

export const DEPLOYMENT_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'status' },
  { key: 'kind' },
  { key: 'version' },
  { key: 'size', priority: 3 },
  { key: 'replicas', priority: 3 },
  { key: 'region', priority: 2 },
  { key: 'tenant_id', header: 'tenant', priority: 4 },
  { key: 'endpoint_url', header: 'endpoint', priority: 1, cut: true },
  { key: 'failure_reason', header: 'reason', priority: 1, cut: true },
  { key: 'job_id', header: 'job', extra: true },
  { key: 'rollback_to', extra: true },
  { key: 'replaces', extra: true },
  { key: 'created_by', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'finished_at', header: 'finished', extra: true },
];

/** A list names each deployment's tenant by slug (its id stays available as an extra column). */
export const DEPLOYMENT_LIST_COLUMNS: Column[] = DEPLOYMENT_COLUMNS.flatMap((column) =>
  column.key === 'tenant_id' ? [{ key: 'tenant_slug', header: 'tenant', priority: 4 }, { key: 'tenant_id', extra: true }] : [column],
);

export const JOB_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'kind' },
  { key: 'status' },
  { key: 'attempts', priority: 2 },
  { key: 'tenant_id', header: 'tenant', priority: 3 },
  { key: 'run_at', header: 'run at', priority: 1 },
  { key: 'last_error', header: 'error', priority: 1, cut: true },
  { key: 'lease_owner', header: 'worker', extra: true },
  { key: 'lease_expires_at', header: 'lease until', extra: true },
  { key: 'steps', get: (job: { steps?: { step: string }[] }) => job.steps?.map((s) => s.step).join(', '), extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'finished_at', header: 'finished', extra: true },
];

export const HEALTH_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'status' },
  { key: 'uptime_24h', header: 'up_24h' },
  { key: 'uptime_7d', header: 'up_7d', priority: 3 },
  { key: 'p95_latency_ms', header: 'p95_ms' },
  { key: 'latency_ms', header: 'last_ms', priority: 2 },
  { key: 'cpu', priority: 2 },
  { key: 'memory', header: 'memory', priority: 2 },
  { key: 'subscribers', header: 'subs', priority: 2 },
  { key: 'bandwidth_mbps', header: 'mbps', priority: 2 },
  { key: 'checked_at', header: 'checked', priority: 1 },
  { key: 'disk', extra: true },
  { key: 'checks_24h', extra: true },
  { key: 'checks_7d', extra: true },
  { key: 'metrics_at', extra: true },
  { key: 'tenant_id', extra: true },
];

export const PROBE_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'status' },
  { key: 'latency_ms', header: 'ms' },
  { key: 'http_status', header: 'http', priority: 2 },
  { key: 'error', priority: 1, cut: true },
  { key: 'at', priority: 1 },
  { key: 'deployment_id', header: 'deployment', extra: true },
  { key: 'id', extra: true },
  { key: 'tenant_id', extra: true },
];

const money = (key: string) => (row: Record<string, unknown>) => (typeof row[key] === 'number' ? formatCents(row[key] as number, (row.currency as string | undefined) ?? 'USD') : row[key]);
const customer = (row: Record<string, unknown>) => row.customer_tenant_slug ?? row.prospect_name ?? row.customer_tenant_id;

export const QUOTE_COLUMNS: Column[] = [
  { key: 'number' },
  { key: 'revision', header: 'rev' },
  { key: 'status' },
  { key: 'customer', get: customer, cut: true },
  { key: 'plan' },
  { key: 'term_months', header: 'term' },
  { key: 'subscribers', priority: 2 },
  { key: 'discount_bps', header: 'discount', priority: 3 },
  { key: 'monthly_cents', header: 'monthly', get: money('monthly_cents') },
  { key: 'first_invoice_cents', header: 'first_invoice', get: money('first_invoice_cents'), priority: 4 },
  { key: 'valid_until', priority: 5 },
  { key: 'reseller_slug', header: 'reseller', priority: 1 },
  { key: 'id', extra: true },
  { key: 'prospect_email', extra: true },
  { key: 'region', extra: true },
  { key: 'addons', extra: true, get: (row: Record<string, unknown>) => (row.addons as string[] | undefined)?.join(', ') },
  { key: 'waive_setup', extra: true },
  { key: 'price_book_version', header: 'price_book', extra: true },
  { key: 'required_authority_bps', header: 'authority_needed', extra: true },
  { key: 'flags', extra: true, get: (row: Record<string, unknown>) => (row.flags as string[] | undefined)?.join(', ') },
  { key: 'note', extra: true, cut: true },
  { key: 'refusal_reason', extra: true, cut: true },
  { key: 'rejection_reason', extra: true, cut: true },
  { key: 'accepted_on', extra: true },
  { key: 'onboarded_tenant_id', header: 'onboarded_tenant', extra: true },
  { key: 'opportunity_id', header: 'opportunity', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
];

/** A priced document's lines (a quote's, an invoice's). */
export const PRICE_LINE_COLUMNS: Column[] = [
  { key: 'description', cut: true },
  { key: 'quantity', header: 'qty' },
  { key: 'unit_cents', header: 'unit', get: money('unit_cents') },
  { key: 'amount_cents', header: 'amount', get: money('amount_cents') },
  { key: 'kind', priority: 1 },
];

export const ONBOARDING_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'tenant_id' },
  { key: 'tenant_created' },
  { key: 'config_version' },
  { key: 'deployment_id', header: 'deployment' },
  { key: 'deployment_job_id', header: 'deployment_job' },
  { key: 'subscription_id', header: 'subscription' },
  { key: 'invoice_id', header: 'invoice' },
  { key: 'commission_id', header: 'commission' },
  { key: 'monthly_cents', header: 'monthly', get: money('monthly_cents') },
  { key: 'first_invoice_cents', header: 'first_invoice', get: money('first_invoice_cents') },
];

export const TENANT_USER_COLUMNS: Column[] = [
  { key: 'email', cut: true },
  { key: 'role' },
  { key: 'status' },
  { key: 'invite_expires_at', header: 'invite_expires', priority: 2 },
  { key: 'accepted_at', header: 'accepted', priority: 3 },
  { key: 'id', priority: 1 },
  { key: 'tenant_slug', header: 'tenant', extra: true },
  { key: 'tenant_id', extra: true },
  { key: 'invited_by', extra: true },
  { key: 'invited_at', header: 'invited', extra: true },
  { key: 'disabled_at', header: 'disabled', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
];
