import type { Column } from './output.js';

export const TENANT_COLUMNS: Column[] = [
  { key: 'slug' },
  { key: 'name' },
  { key: 'status' },
  { key: 'plan' },
  { key: 'region' },
  { key: 'reseller_slug', header: 'reseller' },
  { key: 'id' },
];

export const TENANT_FIELDS: Column[] = [
  ...TENANT_COLUMNS,
  { key: 'reseller_id' },
  { key: 'contact_email', header: 'contact' },
  { key: 'created_at', header: 'created' },
  { key: 'updated_at', header: 'updated' },
  { key: 'version' },
];

export const RESELLER_COLUMNS: Column[] = [{ key: 'slug' }, { key: 'name' }, { key: 'territory' }, { key: 'tier' }, { key: 'id' }];
export const RESELLER_FIELDS: Column[] = [...RESELLER_COLUMNS, { key: 'created_at', header: 'created' }];

export const TOKEN_COLUMNS: Column[] = [
  { key: 'jti' },
  { key: 'role' },
  { key: 'email' },
  { key: 'tenant_id', header: 'tenant' },
  { key: 'reseller_id', header: 'reseller' },
  { key: 'expires_at', header: 'expires' },
  { key: 'revoked_at', header: 'revoked' },
  { key: 'label' },
];

export const AUDIT_COLUMNS: Column[] = [
  { key: 'seq' },
  { key: 'at' },
  { key: 'action' },
  { key: 'role' },
  { key: 'actor' },
  { key: 'target_id', header: 'target' },
  { key: 'reason' },
];
