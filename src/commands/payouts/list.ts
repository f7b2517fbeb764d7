import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import { PAYOUT_COLUMNS } from '../../cli/partner-columns.js';
import type { Payout } from '../../client/types.js';

export default class PayoutsList extends BaseCommand<typeof PayoutsList> {
  static override summary = 'List payouts, paid and carried forward (a reseller sees its own)';
  static override examples = ['<%= config.bin %> payouts list --reseller acme'];
  static override flags = {
    reseller: Flags.string({ description: 'only this reseller\'s (slug or id)' }),
    status: Flags.string({ description: 'only paid or carried-forward ones', options: ['paid', 'carried_forward'] }),
    ...listFlags(PAYOUT_COLUMNS),
  };

  async run(): Promise<Partial<Payout>[]> {
    const f = this.flags;
    const columns = parseColumns(f.columns, PAYOUT_COLUMNS);
    const client = await this.factory.client();
    const { rows, next } = await fetchList(client, (cursor, limit) => client.payouts.list({ reseller: f.reseller, status: f.status, cursor, limit }), f);
    const listed = this.printList(rows, PAYOUT_COLUMNS, { csv: f.csv, columns });
    if (next) this.note(`More payouts: --cursor ${next} (or --all)`);
    return listed;
  }
}
