import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import { COMMISSION_COLUMNS } from '../../cli/partner-columns.js';
import type { Commission } from '../../client/types.js';

export default class CommissionsList extends BaseCommand<typeof CommissionsList> {
  static override summary = 'List commission events (a reseller sees its own)';
  static override examples = ['<%= config.bin %> commissions list --period 2026-03', '<%= config.bin %> commissions list --reseller acme --status eligible --json'];
  static override flags = {
    reseller: Flags.string({ description: 'only this reseller\'s (slug or id)' }),
    period: Flags.string({ description: 'only events of this period, YYYY-MM' }),
    status: Flags.string({ description: 'only events in this status', options: ['awaiting_payment', 'pending', 'eligible', 'paid', 'disputed', 'cancelled'] }),
    type: Flags.string({ description: 'only events of this type', options: ['initial', 'recurring', 'renewal', 'upsell', 'bonus', 'clawback'] }),
    ...listFlags(COMMISSION_COLUMNS),
  };

  async run(): Promise<Partial<Commission>[]> {
    const f = this.flags;
    const columns = parseColumns(f.columns, COMMISSION_COLUMNS);
    const client = await this.factory.client();
    const filter = { reseller: f.reseller, period: f.period, status: f.status, type: f.type };
    const { rows, next } = await fetchList(client, (cursor, limit) => client.commissions.list({ ...filter, cursor, limit }), f);
    const listed = this.printList(rows, COMMISSION_COLUMNS, { csv: f.csv, columns });
    if (next) this.note(`More commissions: --cursor ${next} (or --all)`);
    return listed;
  }
}
