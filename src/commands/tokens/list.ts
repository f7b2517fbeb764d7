import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TOKEN_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { Token } from '../../client/types.js';

export default class TokensList extends BaseCommand<typeof TokensList> {
  static override summary = 'List issued tokens (never the JWTs themselves)';
  static override flags = { ...listFlags(TOKEN_COLUMNS), 'include-revoked': Flags.boolean({ description: 'show revoked tokens too', default: false }) };

  async run(): Promise<Partial<Token>[]> {
    const columns = parseColumns(this.flags.columns, TOKEN_COLUMNS); // a usage error before any request
    const client = await this.factory.client();
    const include_revoked = this.flags['include-revoked'];
    const { rows, next } = await fetchList(client, (cursor, limit) => client.tokens.list({ cursor, limit, include_revoked }), this.flags);
    const listed = this.printList(rows, TOKEN_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More tokens: --cursor ${next} (or --all)`);
    return listed;
  }
}
