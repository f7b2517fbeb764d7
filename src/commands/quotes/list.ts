import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { QUOTE_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { QuoteSummary } from '../../client/types.js';
import { QUOTE_STATUSES } from '../../db/tables/quotes.js';

export default class QuotesList extends BaseCommand<typeof QuotesList> {
  static override summary = 'List the quotes this profile may see (a reseller: its own)';
  static override examples = ['<%= config.bin %> quotes list --status pending_approval', '<%= config.bin %> quotes list --number Q-7K3M9P2X --json'];
  static override flags = {
    ...listFlags(QUOTE_COLUMNS),
    status: Flags.string({ description: 'only this status', options: [...QUOTE_STATUSES] }),
    number: Flags.string({ description: 'every revision of this quote number' }),
    search: Flags.string({ char: 's', description: 'text in the number, the prospect, or the customer\'s or reseller\'s slug' }),
  };

  async run(): Promise<Partial<QuoteSummary>[]> {
    const columns = parseColumns(this.flags.columns, QUOTE_COLUMNS);
    const client = await this.factory.client();
    const { status, number, search } = this.flags;
    const { rows, next } = await fetchList(client, (cursor, limit) => client.quotes.list({ status: status as QuoteSummary['status'] | undefined, number, q: search, cursor, limit }), this.flags);
    const listed = this.printList(rows, QUOTE_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More quotes: --cursor ${next} (or --all)`);
    return listed;
  }
}
