import type { Commission } from '../../client/types.js';
import { money, pageOrFiltered } from './fetching.js';
import type { ListView } from './types.js';

export const commissionsView: ListView<Commission> = {
  name: 'commissions',
  title: 'Commissions',
  roles: ['master_admin', 'reseller'],
  columns: [
    { header: 'id', width: 30, value: (c) => c.id },
    { header: 'period', width: 8, value: (c) => c.period },
    { header: 'type', width: 10, value: (c) => c.type },
    { header: 'amount', width: 12, value: (c) => money(c.amount_cents) },
    { header: 'rate', width: 8, value: (c) => `${(c.rate_bps / 100).toFixed(2)}%` },
    { header: 'status', width: 10, value: (c) => c.status },
    { header: 'eligible', width: 11, value: (c) => c.eligible_on },
  ],
  fetch: (client, q) => pageOrFiltered((page) => client.commissions.list(page), q),
  key: (c) => c.id,
  tenantOf: (c) => c.tenant_id,
};
