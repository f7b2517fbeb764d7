import type { Selectable } from 'kysely';

export const CONFIG_CATEGORIES = ['network', 'billing', 'notifications', 'security', 'integrations', 'branding'] as const;
export type ConfigCategory = (typeof CONFIG_CATEGORIES)[number];

/**
 * A tenant's configuration as it is now: one row per key (`category.name`). The value is JSON
 * text; a secret's is sealed (modules/configs/sealing.ts: never at rest in the clear), and leaves
 * the API unmasked only through an audited reveal.
 */
export interface ConfigurationsTable {
  tenant_id: string;
  /** `category.name`, e.g. network.radius_secret */
  key: string;
  category: ConfigCategory;
  value: string;
  /** 1 when the value is masked in every answer, 0 otherwise (an integer on both dialects) */
  secret: number;
  /** the configuration version that last wrote this key */
  version: number;
  updated_at: string;
}

/**
 * One numbered version of a tenant's whole configuration: every change writes one, holding the
 * whole configuration after it (so a rollback restores it exactly) and which keys it changed.
 */
export interface ConfigurationVersionsTable {
  tenant_id: string;
  version: number;
  /** set, unset, apply or rollback */
  action: string;
  /** JSON: { [key]: { value, secret } } after this version; a secret's entry is { secret, sealed } instead */
  snapshot: string;
  /** JSON: [{ key, change: added|changed|removed, secret }] */
  changes: string;
  /** the version a rollback restored, else null */
  restored_from: number | null;
  actor: string;
  created_at: string;
}

export type ConfigurationRow = Selectable<ConfigurationsTable>;
export type ConfigurationVersionRow = Selectable<ConfigurationVersionsTable>;
