import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TOKEN_COLUMNS } from '../../cli/columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { Token } from '../../client/types.js';

export default class TokensRevoke extends BaseCommand<typeof TokensRevoke> {
  static override summary = 'Revoke a token: every later call with it is refused';
  static override examples = ['<%= config.bin %> tokens revoke tok_01jf... --yes --reason "laptop lost"'];
  static override args = { jti: Args.string({ description: 'the token\'s id (jti), from `tokens list`', required: true }) };
  static override flags = { ...confirmFlags, ...reasonFlag };

  async run(): Promise<Token> {
    const client = await this.writableClient();
    await this.confirm({ action: `revoke token ${this.args.jti}`, expect: this.args.jti, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const token = await client.tokens.revoke(this.args.jti, this.flags.reason);
    this.printRecord(token, TOKEN_COLUMNS);
    return token;
  }
}
