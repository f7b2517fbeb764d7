import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TOKEN_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import type { Token } from '../../client/types.js';

export default class TokensList extends BaseCommand<typeof TokensList> {
  static override summary = 'List issued tokens (never the JWTs themselves)';
  static override flags = { ...listFlags, 'include-revoked': Flags.boolean({ description: 'show revoked tokens too', default: false }) };

  async run(): Promise<Token[]> {
    const client = await this.factory.client();
    const include_revoked = this.flags['include-revoked'];
    const { rows, next } = await fetchList(client, (cursor, limit) => client.tokens.list({ cursor, limit, include_revoked }), this.flags);
    this.printList(rows, TOKEN_COLUMNS, this.flags);
    if (next) this.note(`More tokens: --cursor ${next} (or --all)`);
    return rows;
  }
}
