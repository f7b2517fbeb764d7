import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TOKEN_COLUMNS } from '../../cli/columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { Token } from '../../client/types.js';

export default class TokensRevoke extends BaseCommand<typeof TokensRevoke> {
  static override summary = 'Revoke a token: every later call with it is refused';
  static override examples = ['<%= config.bin %> tokens revoke tok_01jf... --yes --reason "laptop lost"'];
  static override operation = 'revokeToken';
  static override roles = ['master_admin'] as const;
  static override args = { jti: Args.string({ description: 'the token\'s id (jti), from `tokens list`', required: true }) };
  static override flags = { ...confirmFlags, ...reasonFlag };

  async run(): Promise<Token> {
    const client = await this.writableClient();
    const me = await this.caller();
    let warning: string | undefined;
    if (me.jti === this.args.jti) {
      const profile = await this.factory.profile();
      warning = `Warning: this is the token that profile "${profile.name}" itself uses (from ${profile.tokenSource}); once it is revoked, this profile can no longer call the API.`;
      if (this.flags.yes || this.flags.confirm !== undefined || !this.factory.io.canPrompt) this.note(warning);
    }
    await this.confirm({ action: `revoke token ${this.args.jti}`, expect: this.args.jti, yes: this.flags.yes, confirmFlag: this.flags.confirm, warning });
    const outcome = await client.tokens.revoke(this.args.jti, this.flags.reason);
    const token = outcome.value;
    this.reportChange(outcome, `Revoked token ${token.jti}`, `token ${token.jti} was already revoked`);
    this.printRecord(token, TOKEN_COLUMNS);
    return token;
  }
}
