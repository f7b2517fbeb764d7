import { dollars } from './columns.js';
import type { Column } from './output.js';

// Columns of territories, opportunities and customer health (see columns.ts for the conventions).

const list = (values: unknown): string => (Array.isArray(values) ? values.join(',') : '');

export const TERRITORY_COLUMNS: Column[] = [
  { key: 'name', cut: true },
  { key: 'regions', get: (t: { regions: string[] }) => list(t.regions), cut: true },
  { key: 'reseller_slug', header: 'reseller' },
  {
    key: 'overlaps',
    get: (t: { overlaps?: { territory: string; regions: string[] }[] }) => t.overlaps?.map((o) => `${o.territory} (${o.regions.join(',')})`).join('; ') ?? '',
    priority: 2,
    cut: true,
  },
  { key: 'id', priority: 1 },
  { key: 'reseller_id', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
];

export const OPPORTUNITY_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'prospect_name', header: 'prospect', cut: true },
  { key: 'stage' },
  { key: 'value_cents', header: 'value', get: (o: { value_cents: number }) => dollars(o.value_cents) },
  { key: 'weighted_cents', header: 'weighted', get: (o: { weighted_cents: number }) => dollars(o.weighted_cents) },
  { key: 'region', priority: 2 },
  { key: 'reseller_slug', header: 'reseller', priority: 3 },
  { key: 'close_date', header: 'closes', priority: 1 },
  { key: 'prospect_email', header: 'email', extra: true, cut: true },
  { key: 'probability_bps', header: 'probability', get: (o: { probability_bps: number }) => `${o.probability_bps / 100} %`, extra: true },
  { key: 'quote_id', header: 'quote', extra: true },
  { key: 'territory_id', header: 'territory', extra: true },
  { key: 'reseller_id', extra: true },
  { key: 'created_by', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
  { key: 'closed_at', header: 'closed', extra: true },
];

export const STAGE_TOTAL_COLUMNS: Column[] = [
  { key: 'stage' },
  { key: 'count' },
  { key: 'value_cents', header: 'value', get: (s: { value_cents: number }) => dollars(s.value_cents) },
  { key: 'weighted_cents', header: 'weighted', get: (s: { weighted_cents: number }) => dollars(s.weighted_cents) },
];

export const STAGE_CHANGE_COLUMNS: Column[] = [
  { key: 'at' },
  { key: 'from_stage', header: 'from', get: (c: { from_stage: string | null }) => c.from_stage ?? '—' },
  { key: 'to_stage', header: 'to' },
  { key: 'actor_role', header: 'role', priority: 1 },
  { key: 'actor', priority: 1 },
  { key: 'reason', cut: true },
];

export const CUSTOMER_HEALTH_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'score' },
  { key: 'band' },
  {
    key: 'flags',
    get: (h: { expansion_opportunity: boolean; upgrade_required: boolean; forced_red: string[] }) =>
      [h.forced_red.length > 0 ? 'forced_red' : '', h.upgrade_required ? 'upgrade_required' : '', h.expansion_opportunity ? 'expansion' : ''].filter(Boolean).join(','),
    priority: 3,
  },
  ...(['subscriber_trend', 'module_adoption', 'billing', 'support', 'platform', 'sentiment'] as const).map(
    (name, i): Column => ({
      key: name,
      header: ['trend', 'modules', 'billing', 'support', 'platform', 'nps'][i],
      get: (h: { components: { component: string; score: number; no_data: boolean }[] }) => {
        const c = h.components.find((x) => x.component === name);
        return !c ? '' : c.no_data ? `${c.score}?` : String(c.score);
      },
      priority: 2,
    }),
  ),
  { key: 'plan', priority: 1 },
  { key: 'tenant_name', header: 'name', extra: true, cut: true },
  { key: 'tenant_id', extra: true },
  { key: 'reseller_id', extra: true },
];

export const COMPONENT_COLUMNS: Column[] = [
  { key: 'component' },
  { key: 'weight' },
  { key: 'score', get: (c: { score: number; no_data: boolean }) => (c.no_data ? `${c.score} (no data)` : String(c.score)) },
  { key: 'reason', cut: true },
];

export const NPS_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'score' },
  { key: 'comment', cut: true },
  { key: 'recorded_at', header: 'recorded' },
  { key: 'id', priority: 1 },
  { key: 'tenant_id', extra: true },
  { key: 'recorded_by', extra: true },
];
