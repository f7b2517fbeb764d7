import type { CustomerHealth } from '../../client/types.js';
import { rowMatches } from './fetching.js';
import type { ListView, Row } from './types.js';

export const customersView: ListView<CustomerHealth> = {
  name: 'customers',
  title: 'Customer health',
  roles: ['master_admin', 'reseller'],
  columns: [
    { header: 'tenant', width: 20, value: (c) => c.tenant_slug },
    { header: 'name', width: 24, value: (c) => c.tenant_name },
    { header: 'plan', width: 12, value: (c) => c.plan },
    { header: 'score', width: 6, value: (c) => String(c.score) },
    { header: 'band', width: 7, value: (c) => c.band },
    { header: 'flags', width: 30, value: (c) => [...c.forced_red, ...c.flags].join(', ') || '-' },
  ],
  // one answer holds every customer in scope; the filter matches it here
  fetch: async (client, q) => {
    const { data } = await client.customers.health();
    return q ? data.filter((row) => rowMatches(row as unknown as Row, q)) : data;
  },
  key: (c) => c.tenant_id,
  tenantOf: (c) => c.tenant_slug,
};
