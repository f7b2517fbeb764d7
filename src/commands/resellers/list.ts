import { BaseCommand } from '../../cli/base-command.js';
import { RESELLER_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import type { Reseller } from '../../client/types.js';

export default class ResellersList extends BaseCommand<typeof ResellersList> {
  static override summary = 'List resellers (a reseller sees only itself)';
  static override flags = { ...listFlags };

  async run(): Promise<Reseller[]> {
    const client = await this.factory.client();
    const { rows, next } = await fetchList(client, (cursor, limit) => client.resellers.list({ cursor, limit }), this.flags);
    this.printList(rows, RESELLER_COLUMNS, this.flags);
    if (next) this.note(`More resellers: --cursor ${next} (or --all)`);
    return rows;
  }
}
