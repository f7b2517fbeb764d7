import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { TenantUser } from '../../client/types.js';

export default class UsersRole extends BaseCommand<typeof UsersRole> {
  static override summary = 'Change a user\'s role (the last accepted, enabled admin cannot be demoted: exit 6)';
  static override examples = ['<%= config.bin %> users role ana@fibernet.example --role admin', '<%= config.bin %> users role tus_01jf… --role viewer --tenant fibernet'];
  static override args = { user: Args.string({ description: 'the user: email or id', required: true }) };
  static override flags = {
    ...tenantFlag,
    role: Flags.string({ description: 'the new role', options: ['admin', 'operator', 'viewer'], required: true }),
    ...reasonFlag,
  };

  async run(): Promise<TenantUser> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.tenantUsers.role(tenant, this.args.user, this.flags.role as TenantUser['role'], this.flags.reason);
    const user = outcome.value;
    this.reportChange(outcome, `${user.email} is now ${user.role}`, `${user.email} is already ${user.role}`);
    this.printRecord(user, TENANT_USER_COLUMNS);
    return user;
  }
}
