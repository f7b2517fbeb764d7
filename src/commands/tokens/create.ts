import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TOKEN_COLUMNS } from '../../cli/columns.js';
import { parseDuration } from '../../cli/duration.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import type { IssuedToken } from '../../client/types.js';

export default class TokensCreate extends BaseCommand<typeof TokensCreate> {
  static override summary = 'Issue a role token (the JWT is printed once)';
  static override examples = [
    '<%= config.bin %> tokens create --role tenant_admin --tenant fibernet',
    '<%= config.bin %> tokens create --role instance --tenant fibernet --ttl 366d --label agent',
    '<%= config.bin %> tokens create --role master_admin --email deals@example.com --discount-authority 4000',
    '<%= config.bin %> tokens create --role reseller --reseller acme --ttl 90d --json | jq -r .token',
  ];
  static override apiFields = { ttl_seconds: '--ttl', discount_authority_bps: '--discount-authority' };
  static override flags = {
    role: Flags.string({ description: 'role of the token', options: ['master_admin', 'tenant_admin', 'reseller', 'instance'], required: true }),
    tenant: Flags.string({ description: 'tenant_admin or instance: the tenant (slug or id)', exclusive: ['reseller'] }),
    reseller: Flags.string({ description: 'reseller: the reseller (slug or id)', exclusive: ['tenant'] }),
    email: Flags.string({ description: 'the user the token acts as (created if new)' }),
    ttl: Flags.string({ description: 'lifetime: 3600, 90m, 12h, 30d, 2w', default: '30d' }),
    label: Flags.string({ description: 'a note to recognise the token by' }),
    'discount-authority': Flags.integer({ description: 'master_admin: the negotiated discount (bps) the holder may give without approval (default 1000; sales manager 2000, finance 3000, deal desk 4000)', min: 0, max: 4000 }),
    ...reasonFlag,
  };

  async run(): Promise<IssuedToken> {
    const f = this.flags;
    const ttl = parseDuration(f.ttl);
    if (ttl < 60) throw usageError(`--ttl ${f.ttl} is shorter than a minute`, 'a token lives at least 1m and at most 366d, e.g. --ttl 30d');
    const client = await this.writableClient();
    const issued = await client.tokens.create(
      { role: f.role as IssuedToken['role'], tenant: f.tenant, reseller: f.reseller, email: f.email, ttl_seconds: ttl, label: f.label, discount_authority_bps: f['discount-authority'] },
      f.reason,
    );
    if (!this.jsonEnabled()) {
      this.printRecord(issued, TOKEN_COLUMNS);
      this.note('The token is shown only now; store it safely:');
      this.log(issued.token);
    }
    return issued;
  }
}
