import type { Opportunity } from '../../client/types.js';
import { money, pageOrFiltered } from './fetching.js';
import type { ListView, RowAction } from './types.js';

const NEXT: Record<string, Opportunity['stage'] | undefined> = { lead: 'qualified', qualified: 'proposal', proposal: 'negotiation', negotiation: 'won' };

function move(o: Opportunity, stage: Opportunity['stage'], key: string): RowAction {
  return {
    key,
    label: `move ${o.prospect_name} to ${stage}`,
    command: `dotmac pipeline move ${o.id} --stage ${stage}`,
    roles: ['master_admin', 'reseller'],
    run: async (client) => ((await client.opportunities.move(o.id, { stage })).changed ? `moved ${o.prospect_name} to ${stage}` : `${o.prospect_name} is already at ${stage}`),
  };
}

export const pipelineView: ListView<Opportunity> = {
  name: 'pipeline',
  title: 'Pipeline',
  roles: ['master_admin', 'reseller'],
  columns: [
    { header: 'prospect', width: 24, value: (o) => o.prospect_name },
    { header: 'stage', width: 12, value: (o) => o.stage },
    { header: 'value', width: 13, value: (o) => money(o.value_cents) },
    { header: 'weighted', width: 13, value: (o) => money(o.weighted_cents) },
    { header: 'close', width: 11, value: (o) => o.close_date ?? '-' },
    { header: 'reseller', width: 14, value: (o) => o.reseller_slug },
    { header: 'region', width: 10, value: (o) => o.region },
  ],
  fetch: (client, q) => pageOrFiltered((page) => client.opportunities.list(page), q),
  key: (o) => o.id,
  actions: (o) => {
    const next = NEXT[o.stage];
    if (!next) return [];
    return [move(o, next, 'n'), move(o, 'lost', 'l')];
  },
};
