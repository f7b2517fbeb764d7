import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { confirmFlags, reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { TenantUser } from '../../client/types.js';

export default class UsersRemove extends BaseCommand<typeof UsersRemove> {
  static override summary = 'Remove a user, or an open invite, from a tenant\'s instance (the last accepted, enabled admin cannot be removed: exit 6)';
  static override examples = ['<%= config.bin %> users remove ana@fibernet.example', '<%= config.bin %> users remove ana@fibernet.example --tenant fibernet --yes --reason "left the company"'];
  static override operation = 'removeTenantUser';
  static override roles = ['master_admin', 'tenant_admin'] as const;
  static override args = { user: Args.string({ description: 'the user: email or id', required: true }) };
  static override flags = { ...tenantFlag, ...confirmFlags, ...reasonFlag };

  async run(): Promise<TenantUser> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    await this.confirm({ action: `remove user "${this.args.user}" from tenant "${tenant}"`, expect: this.args.user, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const user = await client.tenantUsers.remove(tenant, this.args.user, this.flags.reason);
    this.note(`Removed ${user.email} from ${user.tenant_slug}`);
    this.printRecord(user, TENANT_USER_COLUMNS);
    return user;
  }
}
