import type { QuoteSummary } from '../../client/types.js';
import { money, PAGE, shortTime } from './fetching.js';
import type { ListView, RowAction } from './types.js';

const CANCELLABLE = new Set(['draft', 'pending_approval', 'approved', 'sent', 'viewed']);

export const quotesView: ListView<QuoteSummary> = {
  name: 'quotes',
  title: 'Quotes',
  roles: ['master_admin', 'reseller'],
  columns: [
    { header: 'number', width: 13, value: (q) => `${q.number}${q.revision > 1 ? `/${q.revision}` : ''}` },
    { header: 'status', width: 17, value: (q) => q.status },
    { header: 'customer', width: 24, value: (q) => q.customer_tenant_slug ?? q.prospect_name ?? '-' },
    { header: 'plan', width: 12, value: (q) => q.plan },
    { header: 'monthly', width: 12, value: (q) => money(q.monthly_cents, q.currency) },
    { header: 'reseller', width: 14, value: (q) => q.reseller_slug ?? '(direct)' },
    { header: 'updated', width: 17, value: (q) => shortTime(q.updated_at) },
  ],
  // the quotes route takes a text query itself
  fetch: async (client, q) => (await client.quotes.list({ limit: PAGE, q: q || undefined })).data,
  key: (q) => q.id,
  tenantOf: (q) => q.customer_tenant_slug,
  actions: (q) => {
    const actions: RowAction[] = [];
    if (q.status === 'pending_approval') {
      actions.push({
        key: 'p',
        label: `approve quote ${q.number}`,
        command: `dotmac quotes approve ${q.number}`,
        roles: ['master_admin'],
        run: async (client) => ((await client.quotes.approve(q.id)).changed ? `approved quote ${q.number}` : `quote ${q.number} was already approved`),
      });
    }
    if (CANCELLABLE.has(q.status)) {
      actions.push({
        key: 'c',
        label: `cancel quote ${q.number}`,
        command: `dotmac quotes cancel ${q.number}`,
        roles: ['master_admin', 'reseller'],
        run: async (client) => ((await client.quotes.cancel(q.id)).changed ? `cancelled quote ${q.number}` : `quote ${q.number} was already cancelled`),
      });
    }
    return actions;
  },
};
