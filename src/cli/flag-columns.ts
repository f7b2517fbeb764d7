import type { Column } from './output.js';

// Columns of feature flags (see columns.ts for the conventions).

const slugs = (tenants: unknown): string => (Array.isArray(tenants) ? tenants.map((t: { slug: string }) => t.slug).join(',') : '');

export const FLAG_COLUMNS: Column[] = [
  { key: 'key' },
  { key: 'state' },
  { key: 'rollout', get: (f: { rollout: number }) => `${f.rollout} %` },
  { key: 'enabled_tenants', header: 'on for' },
  { key: 'tenants', get: (f: { tenants: unknown }) => slugs(f.tenants), priority: 2, cut: true },
  { key: 'except', get: (f: { except: unknown }) => slugs(f.except), priority: 2, cut: true },
  { key: 'description', priority: 1, cut: true },
  { key: 'id', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
];

export const FLAG_EVALUATION_COLUMNS: Column[] = [{ key: 'key' }, { key: 'on', get: (f: { on: boolean }) => (f.on ? 'on' : 'off') }];
