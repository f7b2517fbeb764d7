import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { SUBSCRIPTION_COLUMNS } from '../../cli/billing-columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { Subscription } from '../../client/types.js';
import { SUBSCRIPTION_STATUSES } from '../../db/tables/billing.js';

export default class SubscriptionsList extends BaseCommand<typeof SubscriptionsList> {
  static override summary = 'List subscriptions (a reseller: its customers\'; a tenant admin: its own)';
  static override examples = ['<%= config.bin %> subscriptions list', '<%= config.bin %> subscriptions list --tenant fibernet --status active --json'];
  static override flags = {
    tenant: Flags.string({ description: 'only this tenant (slug or id)' }),
    status: Flags.string({ description: 'only this status', options: [...SUBSCRIPTION_STATUSES] }),
    ...listFlags(SUBSCRIPTION_COLUMNS),
  };

  async run(): Promise<Partial<Subscription>[]> {
    const columns = parseColumns(this.flags.columns, SUBSCRIPTION_COLUMNS);
    const client = await this.factory.client();
    const { rows, next } = await fetchList(client, (cursor, limit) => client.subscriptions.list({ cursor, limit, tenant: this.flags.tenant, status: this.flags.status }), this.flags);
    const listed = this.printList(rows, SUBSCRIPTION_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More subscriptions: --cursor ${next} (or --all)`);
    return listed;
  }
}
