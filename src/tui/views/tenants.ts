import type { Tenant } from '../../client/types.js';
import { PAGE } from './fetching.js';
import type { ListView } from './types.js';

export const tenantsView: ListView<Tenant> = {
  name: 'tenants',
  title: 'Tenants',
  roles: ['master_admin', 'reseller'],
  columns: [
    { header: 'slug', width: 20, value: (t) => t.slug },
    { header: 'name', width: 26, value: (t) => t.name },
    { header: 'status', width: 12, value: (t) => t.status },
    { header: 'plan', width: 12, value: (t) => t.plan },
    { header: 'region', width: 12, value: (t) => t.region },
    { header: 'reseller', width: 14, value: (t) => t.reseller_slug ?? '(direct)' },
  ],
  // the tenants route searches name and slug itself
  fetch: async (client, q) => (await client.tenants.list({ limit: PAGE, q: q || undefined })).data,
  key: (t) => t.id,
  tenantOf: (t) => t.slug,
  actions: (t) => [
    {
      key: 's',
      label: `suspend ${t.slug}`,
      command: `dotmac tenants suspend ${t.slug}`,
      roles: ['master_admin'],
      run: async (client) => ((await client.tenants.suspend(t.slug)).changed ? `suspended ${t.slug}` : `${t.slug} was already suspended`),
    },
    {
      key: 'u',
      label: `resume ${t.slug}`,
      command: `dotmac tenants resume ${t.slug}`,
      roles: ['master_admin'],
      run: async (client) => ((await client.tenants.resume(t.slug)).changed ? `resumed ${t.slug}` : `${t.slug} was already active`),
    },
  ],
};
