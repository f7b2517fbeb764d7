import { BaseCommand } from '../../cli/base-command.js';
import { RESELLER_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { Reseller } from '../../client/types.js';

export default class ResellersList extends BaseCommand<typeof ResellersList> {
  static override summary = 'List resellers (a reseller sees only itself)';
  static override flags = { ...listFlags(RESELLER_COLUMNS) };

  async run(): Promise<Partial<Reseller>[]> {
    const columns = parseColumns(this.flags.columns, RESELLER_COLUMNS); // a usage error before any request
    const client = await this.factory.client();
    const { rows, next } = await fetchList(client, (cursor, limit) => client.resellers.list({ cursor, limit }), this.flags);
    const listed = this.printList(rows, RESELLER_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More resellers: --cursor ${next} (or --all)`);
    return listed;
  }
}
