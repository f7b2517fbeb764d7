import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { TenantUser } from '../../client/types.js';

export default class UsersEnable extends BaseCommand<typeof UsersEnable> {
  static override summary = 'Enable a disabled user again';
  static override examples = ['<%= config.bin %> users enable ana@fibernet.example', '<%= config.bin %> users enable tus_01jf… --tenant fibernet --reason "left the company"'];
  static override args = { user: Args.string({ description: 'the user: email or id', required: true }) };
  static override flags = { ...tenantFlag, ...reasonFlag };

  async run(): Promise<TenantUser> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.tenantUsers.enable(tenant, this.args.user, this.flags.reason);
    const user = outcome.value;
    this.reportChange(outcome, `Enabled ${user.email}`, `${user.email} is already enabled`);
    this.printRecord(user, TENANT_USER_COLUMNS);
    return user;
  }
}
